/**
 * X.509 certificates of our PKI (RFC 5280; EU DCC certificate governance for CSCA and DSC
 * profiles), built with @peculiar/x509. The issuer's private key is reached only through a
 * {@link RawSign} (key file or HSM): @peculiar/x509 is handed a crypto provider whose `sign`
 * calls it. Issuing keys (CSCA, facility CA) are always EC P-256 (ecdsa-with-SHA256).
 */
import { X509Certificate, randomBytes, webcrypto } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import 'reflect-metadata'; // @peculiar/x509 resolves its services through tsyringe, which needs it
import * as x509 from '@peculiar/x509';
import type { RawSign } from './key-custody.js';

x509.cryptoProvider.set(webcrypto as never);

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
export const DAY_MS = 86_400_000;

/** Certificate profiles of our PKI. */
export type Profile = 'csca' | 'dsc' | 'facility_ca' | 'facility' | 'trustlist';

/** EU DCC extended key usages of a DSC allowed to sign test, vaccination and recovery certificates. */
export const DCC_EKU_OIDS: readonly string[] = ['1.3.6.1.4.1.1847.2021.1.1', '1.3.6.1.4.1.1847.2021.1.2', '1.3.6.1.4.1.1847.2021.1.3'];

/** The issuer: its certificate (absent when self-signing) and its key. */
export interface Issuer {
  certificate?: X509Certificate;
  publicKey: KeyObject;
  sign: RawSign;
}

/** What to certify. */
export interface CertificateSpec {
  profile: Profile;
  subject: string;
  publicKey: KeyObject;
  notBefore: Date;
  notAfter: Date;
}

function providerFor(sign: RawSign): webcrypto.Crypto {
  const subtle = webcrypto.subtle;
  return {
    getRandomValues: webcrypto.getRandomValues.bind(webcrypto),
    randomUUID: webcrypto.randomUUID.bind(webcrypto),
    subtle: new Proxy(subtle, {
      get(target, prop): unknown {
        if (prop === 'sign') return (_alg: unknown, _key: unknown, data: ArrayBuffer | Uint8Array) => Promise.resolve(Uint8Array.from(sign(new Uint8Array(data))).buffer) // a copy: Buffers may sit in a shared pool;
        const v = Reflect.get(target, prop) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }),
  } as webcrypto.Crypto;
}

/** A positive random serial number (hex, 16 bytes, top bit clear). */
function serial(): string {
  const b = randomBytes(16);
  b[0] = (b[0]! & 0x7f) | 0x01;
  return b.toString('hex');
}

const spkiOf = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });

/**
 * Builds and signs a certificate of one of our profiles.
 * @param spec - profile, subject DN, key and validity
 * @param issuer - the issuing CA's certificate and key; for the self-signed CSCA/facility CA, the subject's own key
 */
export async function buildCertificate(spec: CertificateSpec, issuer: Issuer): Promise<X509Certificate> {
  const K = x509.KeyUsageFlags;
  const spki = spkiOf(spec.publicKey);
  const extensions: x509.Extension[] = [await x509.SubjectKeyIdentifierExtension.create(spki)];
  if (issuer.certificate) extensions.push(await x509.AuthorityKeyIdentifierExtension.create(spkiOf(issuer.publicKey)));
  switch (spec.profile) {
    case 'csca':
    case 'facility_ca':
      extensions.push(new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(K.keyCertSign | K.cRLSign, true));
      break;
    case 'dsc':
      extensions.push(new x509.KeyUsagesExtension(K.digitalSignature, true), new x509.ExtendedKeyUsageExtension([...DCC_EKU_OIDS]));
      break;
    case 'facility':
      extensions.push(new x509.KeyUsagesExtension(K.digitalSignature | K.nonRepudiation, true));
      break;
    case 'trustlist':
      extensions.push(new x509.KeyUsagesExtension(K.digitalSignature, true));
      break;
  }
  const cert = await x509.X509CertificateGenerator.create(
    {
      serialNumber: serial(),
      subject: spec.subject,
      issuer: issuer.certificate ? new x509.X509Certificate(issuer.certificate.raw).subjectName : spec.subject,
      notBefore: spec.notBefore,
      notAfter: spec.notAfter,
      publicKey: spki,
      signingKey: { algorithm: ECDSA_P256, type: 'private', extractable: false, usages: ['sign'] },
      signingAlgorithm: ECDSA_P256,
      extensions,
    },
    providerFor(issuer.sign),
  );
  return new X509Certificate(Buffer.from(cert.rawData));
}
