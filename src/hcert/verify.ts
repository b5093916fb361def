/**
 * Verifying an HC1 certificate: prefix → base45 → zlib → COSE → CWT → kid → signature →
 * revocation of the DSC → key usage → validity times → schema → value sets.
 * Never throws: any input yields a result naming the first failing step's stable code, and every
 * problem found (schema errors list each failing field). The payload is returned whenever it
 * could be decoded, even if unverified, so a verifier can show what a foreign QR claims.
 */
import { parseCose, verifyCoseSignature } from './cose.js';
import type { CoseSign1 } from './cose.js';
import { decodeCwt } from './cwt.js';
import type { DecodedCwt } from './cwt.js';
import { HcertError } from './errors.js';
import type { HcertCode } from './errors.js';
import { base64Of } from './kid-text.js';
import { checkValueSets, validateSchema } from './payload/index.js';
import { revocationHashes } from './revocation-hashes.js';
import type { RevocationCheck } from './revocation-hashes.js';
import type { DccPayload } from './payload/index.js';
import type { CoseAlg } from './signer.js';
import { fromHc1 } from './transport.js';
import type { TrustStore, TrustedKey } from './trust-store.js';

/** EU DCC extended key usage OIDs per certificate type (both the current and the early arc). */
export const KEY_USAGE_OIDS: Readonly<Record<'t' | 'v' | 'r', readonly string[]>> = {
  t: ['1.3.6.1.4.1.1847.2021.1.1', '1.3.6.1.4.1.0.1847.2021.1.1'],
  v: ['1.3.6.1.4.1.1847.2021.1.2', '1.3.6.1.4.1.0.1847.2021.1.2'],
  r: ['1.3.6.1.4.1.1847.2021.1.3', '1.3.6.1.4.1.0.1847.2021.1.3'],
};
const ALL_DCC_OIDS = new Set(Object.values(KEY_USAGE_OIDS).flat());

export interface VerifyOptions {
  trust: TrustStore;
  /** Verification time (default: now). */
  now?: Date;
  /** Validate the payload against the EU DCC schema (default true). */
  schema?: boolean;
  /** Check codes against the EU value sets (default true). */
  valueSets?: boolean;
  /** Offline certificate revocation list; unset = no certificate revocation check. */
  revocation?: RevocationCheck;
}

export interface VerifyProblem {
  code: HcertCode;
  message: string;
  /** JSON path in the payload, for schema and value-set problems. */
  path?: string;
}

export interface VerifyResult {
  valid: boolean;
  /** The first failing step's code; undefined when valid. */
  code?: HcertCode;
  message: string;
  problems: VerifyProblem[];
  /** True when the signature was checked and matched a trusted key. */
  signatureVerified: boolean;
  alg?: CoseAlg;
  kid?: string;
  claims?: { iss?: string; iat?: number; exp?: number };
  payload?: DccPayload;
  certificateType?: 'v' | 't' | 'r';
  signer?: { kid: string; country?: string; subject?: string; notAfter?: string };
}

/**
 * Decodes and verifies an `HC1:` text.
 * @param text - the scanned QR text
 * @param opts - trust store, clock and which payload checks to run
 */
export function verifyHc1(text: string, opts: VerifyOptions): VerifyResult {
  const r: VerifyResult = { valid: false, message: '', problems: [], signatureVerified: false };
  let cose: CoseSign1;
  let cwt: DecodedCwt;
  try {
    cose = parseCose(fromHc1(text).cose);
    cwt = decodeCwt(cose.payload);
  } catch (e) {
    return fail(r, toProblem(e));
  }
  r.payload = cwt.dcc;
  r.claims = claimsOf(cwt);
  r.certificateType = certificateType(cwt.dcc);
  if (cose.alg) r.alg = cose.alg;
  if (cose.kid) r.kid = base64Of(cose.kid);

  if (!cose.alg) {
    return fail(r, { code: 'HC1_ALG_UNSUPPORTED', message: `COSE alg ${cose.algId ?? 'missing'} is neither ES256 (-7) nor PS256 (-37)` });
  }
  if (!cose.kid) return fail(r, { code: 'HC1_KID_UNKNOWN', message: 'no kid in the COSE headers' });
  const candidates = opts.trust.findByKid(cose.kid);
  if (candidates.length === 0) return fail(r, { code: 'HC1_KID_UNKNOWN', message: `no trusted signing certificate has kid ${r.kid}` });
  const alg = cose.alg;
  const key = candidates.find((k) => verifyCoseSignature(cose, alg, k.publicKey));
  if (!key) {
    return fail(r, { code: 'HC1_SIGNATURE', message: `signature does not verify with any of the ${candidates.length} certificate(s) under kid ${r.kid}` });
  }
  r.signatureVerified = true;
  r.signer = signerInfo(key);

  const problems = afterSignature(cwt, key, r.certificateType, opts);
  const revoked = opts.revocation?.isRevoked(cose.kid, revocationHashes(cose, cwt.dcc));
  if (revoked) problems.unshift({ code: 'HC1_REVOKED', message: `certificate revoked: ${revoked.reason}` });
  if (problems.length > 0) return fail(r, ...problems);
  r.valid = true;
  r.message = 'valid';
  return r;
}

function afterSignature(cwt: DecodedCwt, key: TrustedKey, type: VerifyResult['certificateType'], opts: VerifyOptions): VerifyProblem[] {
  const out: VerifyProblem[] = [];
  if (key.revoked) out.push({ code: 'HC1_DSC_REVOKED', message: `signing certificate revoked on ${key.revoked.at.toISOString()}: ${key.revoked.reason}` });
  const eku = key.extendedKeyUsage?.filter((o) => ALL_DCC_OIDS.has(o)) ?? [];
  if (type && eku.length > 0 && !KEY_USAGE_OIDS[type].some((o) => eku.includes(o))) {
    out.push({ code: 'HC1_KEY_USAGE', message: `signing certificate may not sign certificates of type "${type}" (its key usage: ${eku.join(', ')})` });
  }
  const now = (opts.now ? opts.now.getTime() : Date.now()) / 1000;
  if (cwt.iat === undefined || cwt.exp === undefined) {
    out.push({ code: 'HC1_CWT', message: `CWT lacks ${cwt.iat === undefined ? 'iat' : 'exp'}` });
  } else {
    if (cwt.iat > now) out.push({ code: 'HC1_NOT_YET_VALID', message: `issued at ${iso(cwt.iat)}, after the verification time ${iso(now)}` });
    if (cwt.exp < now) out.push({ code: 'HC1_EXPIRED', message: `expired at ${iso(cwt.exp)}` });
    if (key.notAfter && cwt.exp * 1000 > key.notAfter.getTime()) {
      out.push({ code: 'HC1_EXP_BEYOND_DSC', message: `exp ${iso(cwt.exp)} is after the signing certificate's notAfter ${key.notAfter.toISOString()}` });
    }
    if (key.notBefore && cwt.iat * 1000 < key.notBefore.getTime()) {
      out.push({ code: 'HC1_NOT_YET_VALID', message: `issued at ${iso(cwt.iat)}, before the signing certificate's notBefore ${key.notBefore.toISOString()}` });
    }
  }
  if (opts.schema !== false) {
    for (const e of validateSchema(cwt.dcc).errors) out.push({ code: 'HC1_SCHEMA', message: e.message, path: e.path });
  }
  if (opts.valueSets !== false) {
    for (const e of checkValueSets(cwt.dcc).errors) out.push({ code: 'HC1_VALUESET', message: e.message, path: e.path });
  }
  return out;
}

function fail(r: VerifyResult, ...problems: VerifyProblem[]): VerifyResult {
  const first = problems[0]!;
  r.valid = false;
  r.code = first.code;
  r.message = first.path ? `${first.path}: ${first.message}` : first.message;
  r.problems.push(...problems);
  return r;
}

function toProblem(e: unknown): VerifyProblem {
  if (e instanceof HcertError) return { code: e.code, message: e.message };
  // Library errors escaping a step are structure errors of the input, not crashes.
  return { code: 'HC1_COSE', message: `malformed certificate: ${(e as Error).message}` };
}

/** iss, iat, exp as present, in that order. */
function claimsOf(cwt: DecodedCwt): NonNullable<VerifyResult['claims']> {
  const c: NonNullable<VerifyResult['claims']> = {};
  if (cwt.iss !== undefined) c.iss = cwt.iss;
  if (cwt.iat !== undefined) c.iat = cwt.iat;
  if (cwt.exp !== undefined) c.exp = cwt.exp;
  return c;
}

function certificateType(dcc: DccPayload): VerifyResult['certificateType'] {
  const d = dcc as unknown as Record<string, unknown>;
  if (Array.isArray(d.v)) return 'v';
  if (Array.isArray(d.t)) return 't';
  if (Array.isArray(d.r)) return 'r';
  return undefined;
}

// Signer details are the same for every certificate a key verifies: build them once per key.
const signerInfoCache = new WeakMap<TrustedKey, NonNullable<VerifyResult['signer']>>();

function signerInfo(k: TrustedKey): NonNullable<VerifyResult['signer']> {
  let info = signerInfoCache.get(k);
  if (!info) {
    info = buildSignerInfo(k);
    signerInfoCache.set(k, info);
  }
  return { ...info };
}

function buildSignerInfo(k: TrustedKey): NonNullable<VerifyResult['signer']> {
  return {
    kid: base64Of(k.kid),
    ...(k.country ? { country: k.country } : {}),
    ...(k.subject ? { subject: k.subject } : {}),
    ...(k.notAfter ? { notAfter: k.notAfter.toISOString() } : {}),
  };
}

function iso(seconds: number): string {
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? String(seconds) : d.toISOString();
}
