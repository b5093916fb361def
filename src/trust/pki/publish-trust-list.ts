/**
 * Publishing our trust anchors the way the EU DCC gateway lists them (dgc-gateway TrustListDto:
 * `{kid, timestamp, country, certificateType, thumbprint, signature, rawData}`), signed so that a
 * foreign verifier can prove the list came from us:
 *
 * - each entry's `signature` is, as on the gateway, a CMS SignedData (base64 DER) encapsulating
 *   the certificate's DER, signed by our trust-list signer (see ./cms.ts);
 * - the whole response body carries a detached signature by the same key (`X-Signature`,
 *   base64 DER ECDSA over the exact bytes; `openssl dgst -sha256 -verify` checks it);
 * - the trust-list signer's certificate chains to our CSCA (`signer.pem` = signer + CSCA); the
 *   CSCA itself is pinned by verifiers out of band.
 *
 * ECDSA signatures are randomised, so a document is built once per state of the PKI and cached:
 * the ETag (SHA-256 of the body) stays stable until a certificate changes.
 */
import { X509Certificate, createHash, verify as cryptoVerify } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { kidOf } from '../../hcert/index.js';
import type { KeyCustody, RawSign } from './key-custody.js';
import { findActive, findCertificates } from './pki-repository.js';
import type { PkiCertificateRow } from './pki-repository.js';
import { certificateOf, issuerOf } from './pki-service.js';
import { cmsSign, cmsVerify } from './cms.js';

type Db = Kysely<Database>;

/** One entry of a published trust list (EU DCC gateway format). */
export interface TrustListEntry {
  /** HCERT kid, base64. */
  kid: string;
  timestamp: string;
  country: string;
  certificateType: 'DSC' | 'CSCA';
  /** Hex SHA-256 of the DER. */
  thumbprint: string;
  /** Base64 DER CMS SignedData encapsulating `rawData`, signed by the trust-list signer. */
  signature: string;
  /** Base64 DER. */
  rawData: string;
}

/** A signed trust-list document. */
export interface PublishedTrustList {
  /** The exact response body (JSON). */
  body: string;
  /** DER ECDSA signature over `body` by the trust-list signer. */
  signature: Buffer;
  /** Strong ETag (quoted). */
  etag: string;
}

/** Which list. */
export type TrustListKind = 'dsc' | 'csca';

/**
 * ECDSA r‖s (IEEE P1363) → DER `SEQUENCE { INTEGER r, INTEGER s }`.
 * @param sig - 64-byte r‖s
 */
export function p1363ToDer(sig: Uint8Array): Buffer {
  const half = sig.length / 2;
  const int = (b: Buffer): Buffer => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = b.subarray(i);
    if ((v[0]! & 0x80) !== 0) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02, v.length]), v]);
  };
  const r = int(Buffer.from(sig.subarray(0, half)));
  const s = int(Buffer.from(sig.subarray(half)));
  return Buffer.concat([Buffer.from([0x30, r.length + s.length]), r, s]);
}

function published(r: PkiCertificateRow, now: number): boolean {
  // Revoked and expired DSCs leave the list, so that foreign verifiers drop them.
  return r.status !== 'revoked' && new Date(r.not_after).getTime() > now;
}

/** Builds, signs and caches our trust lists. */
export class TrustListPublisher {
  private readonly cache = new Map<TrustListKind, { state: string; doc: PublishedTrustList }>();
  private signer: { id: number; sign: RawSign; cert: X509Certificate; pem: string } | undefined;

  /**
   * @param db - database
   * @param custody - reaches the trust-list signer's key
   */
  constructor(
    private readonly db: Db,
    private readonly custody: KeyCustody,
  ) {}

  private async trustListSigner(): Promise<{ id: number; sign: RawSign; cert: X509Certificate; pem: string }> {
    const row = await findActive(this.db, 'trustlist');
    if (!row) throw new AppError('PKI_NOT_INITIALISED', 'no trust-list signer: run `vaxpass pki init`', 503);
    if (this.signer?.id !== row.id) {
      const csca = await findActive(this.db, 'csca');
      if (!csca) throw new AppError('PKI_NOT_INITIALISED', 'no CSCA: run `vaxpass pki init`', 503);
      const { sign } = await issuerOf(this.db, this.custody, row);
      const cert = certificateOf(row);
      this.signer = { id: row.id, sign, cert, pem: cert.toString() + certificateOf(csca).toString() };
    }
    return this.signer;
  }

  /** PEM of the trust-list signer followed by our CSCA. */
  async signerPem(): Promise<string> {
    return (await this.trustListSigner()).pem;
  }

  /**
   * The signed list of our DSCs or our CSCA(s); rebuilt only when the PKI changed.
   * @param kind - `dsc` or `csca`
   */
  async document(kind: TrustListKind): Promise<PublishedTrustList> {
    const now = Date.now();
    const rows = (await findCertificates(this.db, { roles: [kind] })).filter((r) => published(r, now));
    const signer = await this.trustListSigner();
    const state = JSON.stringify([signer.id, rows.map((r) => [r.id, r.status])]);
    const hit = this.cache.get(kind);
    if (hit?.state === state) return hit.doc;
    const entries: TrustListEntry[] = rows.map((r) => {
      const der = Buffer.from(r.der, 'base64');
      return {
        kid: kidOf(der).toString('base64'),
        timestamp: r.created_at,
        country: r.country,
        certificateType: kind === 'dsc' ? 'DSC' : 'CSCA',
        thumbprint: createHash('sha256').update(der).digest('hex'),
        signature: cmsSign(der, signer.cert, (data) => p1363ToDer(signer.sign(data))).toString('base64'),
        rawData: r.der,
      };
    });
    const body = JSON.stringify(entries);
    const signature = p1363ToDer(signer.sign(Buffer.from(body)));
    const doc = { body, signature, etag: `"${createHash('sha256').update(body).digest('base64url')}"` };
    this.cache.set(kind, { state, doc });
    return doc;
  }
}

/** Outcome of {@link verifyPublishedTrustList}. */
export interface TrustListVerdict {
  valid: boolean;
  reason?: string;
  entries?: TrustListEntry[];
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Proves a published trust list: the CSCA is self-signed and a CA; the signer (first certificate
 * of `signerPem`) is issued and signed by it and valid now; the detached signature covers the
 * exact body; every entry's thumbprint and kid are right, its CMS signature (by the same signer)
 * encapsulates exactly its certificate, and every DSC chains to the CSCA.
 * @param body - the exact response body
 * @param signature - DER ECDSA signature (bytes, or base64 as in `X-Signature`)
 * @param signerPem - the trust-list signer certificate (may be followed by the chain)
 * @param cscaPem - our CSCA, as pinned by the verifier
 * @param now - verification time
 */
export function verifyPublishedTrustList(body: string | Uint8Array, signature: Uint8Array | string, signerPem: string, cscaPem: string, now = new Date()): TrustListVerdict {
  const fail = (reason: string): TrustListVerdict => ({ valid: false, reason });
  try {
    const bytes = typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    const sig = typeof signature === 'string' ? Buffer.from(signature, 'base64') : Buffer.from(signature);
    const signerBlock = signerPem.match(PEM_BLOCK)?.[0];
    if (!signerBlock) return fail('no signer certificate');
    const signer = new X509Certificate(signerBlock);
    const csca = new X509Certificate(cscaPem);
    if (!csca.ca || !csca.verify(csca.publicKey)) return fail('the CSCA is not a self-signed CA certificate');
    if (!signer.checkIssued(csca) || !signer.verify(csca.publicKey)) return fail('the trust-list signer is not signed by the CSCA');
    const t = now.getTime();
    if (t < new Date(signer.validFrom).getTime() || t > new Date(signer.validTo).getTime()) return fail('the trust-list signer is outside its validity');
    if (!cryptoVerify('sha256', bytes, signer.publicKey, sig)) return fail('the signature does not match the body');
    const entries = JSON.parse(bytes.toString('utf8')) as TrustListEntry[];
    if (!Array.isArray(entries)) return fail('the body is not a JSON array');
    for (const e of entries) {
      const der = Buffer.from(e.rawData, 'base64');
      if (createHash('sha256').update(der).digest('hex') !== e.thumbprint) return fail(`entry ${e.kid}: thumbprint mismatch`);
      if (kidOf(der).toString('base64') !== e.kid) return fail(`entry ${e.kid}: kid mismatch`);
      let cms: ReturnType<typeof cmsVerify>;
      try {
        cms = cmsVerify(Buffer.from(e.signature, 'base64'));
      } catch (err) {
        return fail(`entry ${e.kid}: CMS signature: ${(err as Error).message}`);
      }
      if (!cms.content.equals(der)) return fail(`entry ${e.kid}: the CMS signature covers another certificate`);
      if (!cms.signer.raw.equals(signer.raw)) return fail(`entry ${e.kid}: the CMS signer is not the trust-list signer`);
      if (e.certificateType === 'DSC' && !new X509Certificate(der).verify(csca.publicKey)) return fail(`entry ${e.kid}: DSC not signed by the CSCA`);
    }
    return { valid: true, entries };
  } catch (err) {
    return fail(`malformed input: ${(err as Error).message}`);
  }
}
