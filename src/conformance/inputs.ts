/**
 * Reading the scalar inputs of a dgc-testdata vector as their authors wrote them: hex in either
 * case (sometimes with spaces or `0x`), base64 with line breaks, certificates as bare base64 DER
 * or PEM (and, possibly, a bare SubjectPublicKeyInfo instead of a certificate), and validation
 * clocks in every ISO 8601 variant seen (7- and 9-digit fractions, `+0200`, no zone at all).
 */
import { X509Certificate, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/** A value read from a vector, or why it could not be read. */
export type Read<T> = { ok: true; value: T } | { ok: false; reason: string };

/** @param value - the value read */
export function ok<T>(value: T): Read<T> {
  return { ok: true, value };
}

/** @param reason - why the value could not be read or computed */
export function no<T>(reason: string): Read<T> {
  return { ok: false, reason };
}

/**
 * Hex text → bytes.
 * @param field - field name, for the reason
 * @param text - hex digits in either case; whitespace and a `0x` prefix are ignored
 */
export function hexBytes(field: string, text: unknown): Read<Buffer> {
  if (typeof text !== 'string') return no(`${field} is not a string`);
  const hex = text.replace(/\s+/g, '').replace(/^0x/i, '');
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) return no(`${field} is not hex (odd length or a non-hex character)`);
  return ok(Buffer.from(hex, 'hex'));
}

/**
 * Base64 text → bytes, refusing text that is not base64 (Buffer.from silently skips junk).
 * @param field - field name, for the reason
 * @param text - base64 or base64url, line breaks allowed
 */
export function base64Bytes(field: string, text: unknown): Read<Buffer> {
  if (typeof text !== 'string') return no(`${field} is not a string`);
  const b64 = text.replace(/\s+/g, '');
  if (b64.length === 0 || !/^[A-Za-z0-9+/\-_]+={0,2}$/.test(b64)) return no(`${field} is not base64`);
  return ok(Buffer.from(b64, b64.includes('-') || b64.includes('_') ? 'base64url' : 'base64'));
}

/** TESTCTX.CERTIFICATE, read: the key, and the certificate when it is one. */
export interface SignerCertificate {
  publicKey: KeyObject;
  /** Absent when the vector carries a bare public key. */
  certificate?: X509Certificate;
}

/**
 * TESTCTX.CERTIFICATE → public key (and certificate). The README says "BASE64 (PEM)": both a PEM
 * block and the bare base64 body occur; a SubjectPublicKeyInfo is accepted too.
 * @param text - the field's value
 */
export function readCertificate(text: unknown): Read<SignerCertificate> {
  if (typeof text !== 'string' || text.trim() === '') return no('TESTCTX.CERTIFICATE is missing');
  const body = text.replace(/-----(BEGIN|END)[^-]*-----/g, '');
  const der = base64Bytes('TESTCTX.CERTIFICATE', body);
  if (!der.ok) return der;
  try {
    const certificate = new X509Certificate(der.value);
    return ok({ publicKey: certificate.publicKey, certificate });
  } catch (certError) {
    try {
      return ok({ publicKey: createPublicKey({ key: der.value, format: 'der', type: 'spki' }) });
    } catch {
      return no(`TESTCTX.CERTIFICATE is neither an X.509 certificate nor a public key (${(certError as Error).message})`);
    }
  }
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A validation clock → epoch milliseconds. Fractions beyond milliseconds are cut (Date.parse
 * rejects 7- and 9-digit fractions); a clock without zone is UTC, as in the reference harness.
 * @param value - ISO 8601 text, or epoch seconds/milliseconds as a number
 */
export function parseInstant(value: unknown): Read<number> {
  if (typeof value === 'number' && Number.isFinite(value)) return ok(value > 1e11 ? value : value * 1000);
  if (typeof value !== 'string') return no('VALIDATIONCLOCK is not a string');
  const m = ISO.exec(value.trim());
  if (!m) return no(`VALIDATIONCLOCK ${JSON.stringify(value)} is not an ISO 8601 time`);
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const ms = Number(frac.slice(0, 3).padEnd(3, '0'));
  let offset = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offset = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
  }
  const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms) - offset * 60_000;
  return Number.isNaN(t) ? no(`VALIDATIONCLOCK ${JSON.stringify(value)} is not a valid time`) : ok(t);
}
