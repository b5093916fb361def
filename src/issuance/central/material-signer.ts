/**
 * A Signer over {@link DscMaterial} in the calling thread. Only an HSM key loads the PKCS#11
 * module and key custody, on demand: the issuance workers, which sign with file keys nearly
 * always, start without them.
 */
import { X509Certificate } from 'node:crypto';
import { keySigner } from '../../hcert/index.js';
import type { Signer } from '../../hcert/index.js';
import type { DscMaterial } from './dsc-material.js';

/**
 * The material's signer; `close` ends an HSM session.
 * @param m - the material
 */
export async function signerFromMaterial(m: DscMaterial): Promise<{ signer: Signer; close: () => void }> {
  const cert = new X509Certificate(m.certDer);
  if (m.kind === 'key') return { signer: keySigner(m.privateKey, cert), close: () => undefined };
  const { Pkcs11Session } = await import('../../trust/keys/index.js');
  const session = Pkcs11Session.open(m.pkcs11);
  try {
    return { signer: session.signer(m.label, cert), close: () => session.close() };
  } catch (e) {
    session.close();
    throw e;
  }
}
