/**
 * Issuing a document signer certificate (DSC) for a public key whose private half we never see
 * (an HSM key, or a key file made elsewhere). The CA here is a software key: fine for tests and
 * the demo; a production CSCA signs offline and hands us the DSC. Made with @peculiar/x509 over
 * WebCrypto, because node:crypto cannot create certificates.
 */
import { X509Certificate, webcrypto } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import 'reflect-metadata'; // @peculiar/x509 resolves its services through tsyringe, which needs it
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as never);

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY_MS = 86_400_000;

/** A certificate authority able to sign certificates (a CSCA). */
export interface CertificateAuthority {
  certificate: X509Certificate;
  /** Non-extractable WebCrypto signing key. */
  signingKey: webcrypto.CryptoKey;
  /** Subject DN, reused as the issuer of the certificates it signs. */
  name: string;
}

/** Options of a certificate to issue. */
export interface CertifyOptions {
  cn?: string;
  /** ISO 3166 alpha-2 of the issuing country (subject C=). */
  country?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Extended key usages (EU DCC OIDs for t/v/r); none = any certificate type. */
  eku?: string[];
}

/**
 * A throw-away EC P-256 CSCA whose key lives only in memory.
 * @param cn - common name of the CA
 */
export async function makeTestCa(cn = 'VaxPass test CSCA'): Promise<CertificateAuthority> {
  const keys = await webcrypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify']);
  const name = `C=VN, O=VaxPass test, CN=${cn}`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name,
    notBefore: new Date(Date.now() - DAY_MS),
    notAfter: new Date(Date.now() + 10 * 365 * DAY_MS),
    keys,
    signingAlgorithm: ECDSA_P256,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  return { certificate: new X509Certificate(Buffer.from(cert.rawData)), signingKey: keys.privateKey, name };
}

/**
 * Issues a DSC for a public key, signed by the CA.
 * @param publicKey - the document signer's public key (EC P-256 or RSA)
 * @param ca - the issuing CA
 * @param opts - subject, validity and key usages
 */
export async function certifyPublicKey(publicKey: KeyObject, ca: CertificateAuthority, opts: CertifyOptions = {}): Promise<X509Certificate> {
  const extensions: x509.Extension[] = [new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true)];
  if (opts.eku) extensions.push(new x509.ExtendedKeyUsageExtension(opts.eku));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: webcrypto.getRandomValues(Buffer.alloc(12)).toString('hex').replace(/^[89a-f]/, '1'), // positive
    subject: `C=${opts.country ?? 'VN'}, O=VaxPass test, CN=${opts.cn ?? 'VaxPass DSC'}`,
    issuer: ca.name,
    notBefore: opts.notBefore ?? new Date(Date.now() - DAY_MS),
    notAfter: opts.notAfter ?? new Date(Date.now() + 2 * 365 * DAY_MS),
    publicKey: publicKey.export({ type: 'spki', format: 'der' }),
    signingKey: ca.signingKey,
    signingAlgorithm: ECDSA_P256,
    extensions,
  });
  return new X509Certificate(Buffer.from(cert.rawData));
}
