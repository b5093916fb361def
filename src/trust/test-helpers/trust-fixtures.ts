/**
 * Test fixtures (tests only): foreign CSCAs and the DSCs they issue, and EU gateway trust-list
 * entries for them. Certificates are made with @peculiar/x509 over WebCrypto.
 */
import { X509Certificate, createHash, generateKeyPairSync, webcrypto } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import 'reflect-metadata'; // @peculiar/x509 resolves its services through tsyringe, which needs it
import * as x509 from '@peculiar/x509';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { keySigner, kidOf } from '../../hcert/index.js';
import type { Signer } from '../../hcert/index.js';
import { certifyPublicKey } from '../keys/certify-public-key.js';
import type { CertificateAuthority, CertifyOptions } from '../keys/certify-public-key.js';

x509.cryptoProvider.set(webcrypto as never);

const ECDSA_P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY_MS = 86_400_000;

/**
 * A throw-away CSCA of a country.
 * @param country - ISO 3166 alpha-2
 * @param opts - subject (a forger reuses the real CSCA's), validity, or not a CA at all
 */
export async function makeCountryCsca(
  country: string,
  opts: { name?: string; notBefore?: Date; notAfter?: Date; ca?: boolean } = {},
): Promise<CertificateAuthority> {
  const keys = await webcrypto.subtle.generateKey(ECDSA_P256, false, ['sign', 'verify']);
  const name = opts.name ?? `C=${country}, O=Test health ministry, CN=CSCA ${country}`;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: webcrypto.getRandomValues(Buffer.alloc(8)).toString('hex').replace(/^[89a-f]/, '1'),
    name,
    notBefore: opts.notBefore ?? new Date(Date.now() - DAY_MS),
    notAfter: opts.notAfter ?? new Date(Date.now() + 10 * 365 * DAY_MS),
    keys,
    signingAlgorithm: ECDSA_P256,
    extensions: opts.ca === false ? [] : [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  return { certificate: new X509Certificate(Buffer.from(cert.rawData)), signingKey: keys.privateKey, name };
}

/** A DSC issued by a CSCA, with its signer. */
export interface TestDsc {
  certificate: X509Certificate;
  privateKey: KeyObject;
  signer: Signer;
}

/**
 * Issues an EC P-256 DSC under the CSCA.
 * @param ca - the issuing CSCA
 * @param opts - subject country, CN, validity
 */
export async function makeTestDsc(ca: CertificateAuthority, opts: CertifyOptions = {}): Promise<TestDsc> {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const certificate = await certifyPublicKey(publicKey, ca, opts);
  return { certificate, privateKey, signer: keySigner(privateKey, certificate) };
}

/**
 * An EU DCC gateway trust-list entry for a certificate.
 * @param cert - the certificate
 * @param over - fields to replace
 */
export function gatewayEntry(cert: X509Certificate, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    kid: kidOf(cert.raw).toString('base64'),
    timestamp: new Date().toISOString(),
    country: /^C=([A-Z]{2})$/m.exec(cert.subject)?.[1] ?? 'XX',
    certificateType: 'DSC',
    thumbprint: createHash('sha256').update(cert.raw).digest('hex'),
    signature: 'not-checked',
    rawData: cert.raw.toString('base64'),
    ...over,
  };
}

/**
 * Inserts one of OUR DSCs into `pki_certificate` as the PKI would (tests only).
 * @param db - database
 * @param cert - the DSC
 * @param over - status, revocation, kid override (to force a kid collision)
 */
export async function insertOurDsc(
  db: Kysely<Database>,
  cert: X509Certificate,
  over: { status?: string; revoked_at?: string | null; revoke_reason?: string | null; kid?: string } = {},
): Promise<number> {
  const r = await db
    .insertInto('pki_certificate')
    .values({
      role: 'dsc',
      subject: cert.subject.replace(/\n/g, ', '),
      issuer_id: null,
      serial: cert.serialNumber,
      kid: over.kid ?? kidOf(cert.raw).toString('base64'),
      thumbprint: createHash('sha256').update(cert.raw).digest('hex'),
      alg: 'ES256',
      key_id: null,
      country: 'VN',
      owner: null,
      not_before: new Date(cert.validFrom).toISOString(),
      not_after: new Date(cert.validTo).toISOString(),
      der: cert.raw.toString('base64'),
      status: over.status ?? 'active',
      revoked_at: over.revoked_at ?? null,
      revoke_reason: over.revoke_reason ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}
