/**
 * A throw-away self-signed document signer: for tests and for the demo signer of `vaxpass start`
 * (its key lives only in memory and dies with the process). Made with @peculiar/x509 over
 * WebCrypto, because node:crypto cannot create certificates.
 */
import { KeyObject, X509Certificate, webcrypto } from 'node:crypto';
import 'reflect-metadata'; // @peculiar/x509 resolves its services through tsyringe, which needs it
import * as x509 from '@peculiar/x509';
import { keySigner, trustedKeyFromCertificate } from '../hcert/index.js';
import type { CoseAlg, Signer, TrustedKey } from '../hcert/index.js';

x509.cryptoProvider.set(webcrypto as never);

export interface DevSigner {
  signer: Signer;
  trusted: TrustedKey;
  certificate: X509Certificate;
  privateKey: KeyObject;
}

/**
 * @param alg - ES256 or PS256 (RSA 2048)
 * @param opts - validity and extended key usages (EU DCC OIDs)
 */
export async function makeDevSigner(
  alg: CoseAlg = 'ES256',
  opts: { notBefore?: Date; notAfter?: Date; eku?: string[]; country?: string; cn?: string } = {},
): Promise<DevSigner> {
  const params =
    alg === 'ES256'
      ? { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' }
      : { name: 'RSA-PSS', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256', saltLength: 32 };
  const keys = await webcrypto.subtle.generateKey(params, true, ['sign', 'verify']);
  const extensions: x509.Extension[] = [];
  if (opts.eku) extensions.push(new x509.ExtendedKeyUsageExtension(opts.eku));
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: Date.now().toString(16).padStart(16, '0'),
    name: `C=${opts.country ?? 'VN'}, O=VaxPass test, CN=${opts.cn ?? `test ${alg} DSC`}`,
    notBefore: opts.notBefore ?? new Date(Date.now() - 86400_000),
    notAfter: opts.notAfter ?? new Date(Date.now() + 3 * 365 * 86400_000),
    keys,
    signingAlgorithm: params,
    extensions,
  });
  const certificate = new X509Certificate(Buffer.from(cert.rawData));
  const privateKey = KeyObject.from(keys.privateKey);
  return { signer: keySigner(privateKey, certificate), trusted: trustedKeyFromCertificate(certificate), certificate, privateKey };
}
