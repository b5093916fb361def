/**
 * CBOR Web Token (RFC 8392) claims of an HCERT (eu-dcc-hcert-spec §3.3): iss, iat, exp and the
 * hcert claim holding the EU DCC under key 1.
 */
import { cborDecode, cborEncode, cborToJson } from './cbor.js';
import { CwtStructureError } from './errors.js';
import { decodeCwtFast } from './fast-decode.js';
import type { DccPayload } from './payload/index.js';

export const CWT_ISS = 1;
export const CWT_EXP = 4;
export const CWT_IAT = 6;
export const CWT_HCERT = -260;
export const HCERT_EU_DCC_V1 = 1;

/** The claims of an HCERT, times in seconds since the epoch. */
export interface CwtClaims {
  iss?: string | undefined;
  iat: number;
  exp: number;
  dcc: DccPayload;
}

/**
 * Encodes the CWT claims map.
 * @param claims - iss (optional country code), iat, exp and the DCC payload
 */
export function encodeCwt(claims: CwtClaims): Buffer {
  const m = new Map<number, unknown>();
  if (claims.iss !== undefined) m.set(CWT_ISS, claims.iss);
  m.set(CWT_IAT, claims.iat);
  m.set(CWT_EXP, claims.exp);
  m.set(CWT_HCERT, new Map([[HCERT_EU_DCC_V1, claims.dcc]]));
  return cborEncode(m);
}

/** Claims as read from a certificate: any claim may be missing or odd in foreign data. */
export interface DecodedCwt {
  iss?: string;
  iat?: number;
  exp?: number;
  dcc: DccPayload;
}

/**
 * Decodes CWT claims; throws CwtStructureError when there is no hcert/DCC claim.
 * The common shape takes a fast path with the same result (fast-decode.ts).
 * @param bytes - the COSE payload
 */
export function decodeCwt(bytes: Uint8Array): DecodedCwt {
  return decodeCwtFast(bytes) ?? decodeCwtGeneric(bytes);
}

/**
 * decodeCwt through the generic CBOR decoder: every shape, and every error. Exported for tests.
 * @param bytes - the COSE payload
 */
export function decodeCwtGeneric(bytes: Uint8Array): DecodedCwt {
  let raw: unknown;
  try {
    raw = cborDecode(bytes);
  } catch (e) {
    throw new CwtStructureError(`CWT: payload is not valid CBOR (${(e as Error).message})`);
  }
  const claims = asMap(raw);
  if (!claims) throw new CwtStructureError('CWT: payload is not a CBOR map of claims');
  const hcert = asMap(claims.get(CWT_HCERT));
  if (!hcert) throw new CwtStructureError('CWT: no hcert claim (-260)');
  const dcc = hcert.get(HCERT_EU_DCC_V1);
  if (!(dcc instanceof Map) && (dcc === null || typeof dcc !== 'object' || Array.isArray(dcc))) {
    throw new CwtStructureError('CWT: hcert claim has no EU DCC v1 map under key 1');
  }
  const out: DecodedCwt = { dcc: cborToJson(dcc) as DccPayload };
  const iss = claims.get(CWT_ISS);
  if (typeof iss === 'string') out.iss = iss;
  const iat = numeric(claims.get(CWT_IAT));
  if (iat !== undefined) out.iat = iat;
  const exp = numeric(claims.get(CWT_EXP));
  if (exp !== undefined) out.exp = exp;
  return out;
}

/** CBOR maps may arrive as Maps, or (from some encoders' integer-keyed objects) as objects. */
function asMap(v: unknown): Map<unknown, unknown> | undefined {
  if (v instanceof Map) return v as Map<unknown, unknown>;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)) {
    return new Map(Object.entries(v).map(([k, x]) => [/^-?\d+$/.test(k) ? Number(k) : k, x]));
  }
  return undefined;
}

function numeric(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return Math.floor(v.getTime() / 1000);
  return undefined;
}
