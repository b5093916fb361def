/**
 * Certificate revocation keys of the EU DCC revocation design: the first 16 bytes of SHA-256 of
 * the UCI, of the issuing country code + UCI, or of the signature (for ECDSA only its r half,
 * since s can be changed without invalidating the signature). Lists are grouped per DSC kid.
 */
import { createHash } from 'node:crypto';
import type { CoseSign1 } from './cose.js';
import type { DccPayload } from './payload/index.js';

/** The three revocation hash types. */
export type RevocationHashType = 'UCI' | 'COUNTRYCODEUCI' | 'SIGNATURE';

export type RevocationHashes = Partial<Record<RevocationHashType, Buffer>>;

/** Answers whether a certificate is revoked, from an offline copy of the revocation list. */
export interface RevocationCheck {
  /**
   * @param kid - the signing certificate's kid
   * @param hashes - the certificate's revocation hashes (UCI ones absent when it has no `ci`)
   * @returns the revocation reason, or undefined when not revoked
   */
  isRevoked(kid: Uint8Array, hashes: RevocationHashes): { reason: string } | undefined;
}

function h16(data: Uint8Array | string): Buffer {
  return createHash('sha256').update(data).digest().subarray(0, 16);
}

/** The certificate identifier and its country, from the one v/t/r entry. */
export function uciOf(dcc: DccPayload): { ci: string; co: string } | undefined {
  const d = dcc as unknown as Record<string, unknown>;
  for (const group of ['v', 't', 'r']) {
    const entries = d[group];
    if (Array.isArray(entries) && entries.length > 0) {
      const e = entries[0] as Record<string, unknown>;
      if (typeof e.ci === 'string') return { ci: e.ci, co: typeof e.co === 'string' ? e.co : '' };
    }
  }
  return undefined;
}

/**
 * Revocation hashes of a certificate.
 * @param cose - the parsed COSE_Sign1 (for the signature)
 * @param dcc - the payload (for the UCI and country)
 */
export function revocationHashes(cose: Pick<CoseSign1, 'signature' | 'alg'>, dcc: DccPayload): RevocationHashes {
  const sig = cose.alg === 'ES256' && cose.signature.length === 64 ? cose.signature.subarray(0, 32) : cose.signature;
  const out: RevocationHashes = { SIGNATURE: h16(sig) };
  const u = uciOf(dcc);
  if (u) {
    out.UCI = h16(u.ci);
    out.COUNTRYCODEUCI = h16(u.co + u.ci);
  }
  return out;
}
