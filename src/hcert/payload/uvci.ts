/**
 * Unique Vaccination Certificate Identifiers (UVCI), per eHealth Network "Guidelines on verifiable
 * vaccination certificates - basic interoperability elements", Annex 2, as quoted and made precise
 * by the eu-dcc-schema FAQ ("UVCI checksum"):
 * - charset: upper-case A-Z, 0-9 and the separators `:` (fields), `/` (components), `#` (checksum);
 * - layout: `URN:UVCI:` prefix, 2-digit version, ISO 3166-1 alpha-2 country, then the
 *   issuer-defined unique part (`URN:UVCI:01:NL:187/37512422923`);
 * - optional checksum: one Luhn mod N character after `#`, computed over the whole UVCI *including*
 *   the `URN:UVCI:` prefix, with the code points `ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:` (N = 38,
 *   letters first). That order is the FAQ's and the schema repo's reference luhn_mod_n.py; it gives
 *   `Z` for the FAQ example above and agrees with the dgc-testdata vectors of AT, GR, HU, LT and SI.
 *   (A digits-first alphabet, seen in some write-ups, disagrees with all of them.)
 * - the schema caps `ci` at 80 characters.
 */
import { randomInt } from 'node:crypto';
import { AppError } from '../../errors/index.js';

/** URN prefix; the URN namespace is case-insensitive (RFC 8141), the rest of a UVCI is not. */
export const UVCI_PREFIX = 'URN:UVCI:';
/** Luhn mod N code points, in order (eu-dcc-schema FAQ, "Luhn-Mod-N charset"). */
export const UVCI_CHECKSUM_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/:';
/** Versions of the UVCI structure accepted by {@link validateUvci}. */
export const UVCI_VERSIONS: readonly string[] = ['01', '02', '03'];
/** Maximum length of a UVCI (schema `certificate_id`, maxLength 80). */
export const UVCI_MAX_LENGTH = 80;

const ISSUER_COUNTRY = 'VN';
const OPAQUE_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
// 26 characters of 36 symbols is ~134 bits: collisions are out of reach at any realistic volume,
// and the full UVCI (43 characters) stays far below the 80-character limit.
const OPAQUE_LENGTH = 26;
const COMPONENT = /^[A-Z0-9]+$/;

/** Why a UVCI was rejected; stable strings. */
export type UvciErrorCode =
  | 'UVCI_EMPTY'
  | 'UVCI_TOO_LONG'
  | 'UVCI_BAD_CHARACTER'
  | 'UVCI_BAD_STRUCTURE'
  | 'UVCI_BAD_VERSION'
  | 'UVCI_BAD_COUNTRY'
  | 'UVCI_BAD_CHECKSUM_FORMAT'
  | 'UVCI_CHECKSUM_MISMATCH';

/** The parts of a valid UVCI. */
export interface ParsedUvci {
  version: string;
  country: string;
  /** The issuer-defined part after the country, e.g. `187/37512422923`. */
  unique: string;
  /** The checksum character, when the UVCI carries one. */
  checksum?: string;
}

/** Outcome of {@link validateUvci}. */
export type UvciValidationResult =
  { ok: true; uvci: ParsedUvci; reason?: undefined } | { ok: false; code: UvciErrorCode; reason: string };

/** Options of {@link validateUvci}. */
export interface UvciValidationOptions {
  /** Reject a UVCI without `#checksum` (our own certificates always carry one). */
  requireChecksum?: boolean;
}

/**
 * Luhn mod N sum of `text` modulo N: right to left, every second code point doubled starting with
 * the rightmost (the check character will sit right of it), each addend's base-N digits summed.
 */
function luhnRemainder(text: string): number | undefined {
  const n = UVCI_CHECKSUM_ALPHABET.length;
  let factor = 2;
  let sum = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const codePoint = UVCI_CHECKSUM_ALPHABET.indexOf(text.charAt(i));
    if (codePoint < 0) return undefined;
    const addend = factor * codePoint;
    sum += Math.floor(addend / n) + (addend % n);
    factor = factor === 2 ? 1 : 2;
  }
  return sum % n;
}

/**
 * The Luhn mod 38 check character of a UVCI (computed over the text as given, prefix included).
 * @param uvci - the UVCI without `#checksum`, e.g. `URN:UVCI:01:NL:187/37512422923`
 * @returns the check character (`Z` for that example), or undefined if `uvci` has characters
 *   outside the alphabet
 */
export function uvciChecksum(uvci: string): string | undefined {
  const remainder = luhnRemainder(uvci);
  if (remainder === undefined) return undefined;
  const n = UVCI_CHECKSUM_ALPHABET.length;
  return UVCI_CHECKSUM_ALPHABET.charAt((n - remainder) % n);
}

function randomOpaque(): string {
  let out = '';
  // crypto.randomInt draws without modulo bias.
  for (let i = 0; i < OPAQUE_LENGTH; i++) out += OPAQUE_ALPHABET.charAt(randomInt(OPAQUE_ALPHABET.length));
  return out;
}

/**
 * Creates a Vietnamese UVCI `URN:UVCI:01:VN:<opaque>#<checksum>`.
 * @param opaque - the unique part; by default 26 cryptographically random upper-case alphanumerics.
 *   A given value must be `/`-separated components of A-Z and 0-9 and keep the UVCI within 80
 *   characters; otherwise this throws AppError `UVCI_INVALID_OPAQUE` (a programming error).
 */
export function generateUvci(opaque: string = randomOpaque()): string {
  const body = `${UVCI_PREFIX}01:${ISSUER_COUNTRY}:${opaque}`;
  if (!opaque.split('/').every((c) => COMPONENT.test(c)) || body.length + 2 > UVCI_MAX_LENGTH) {
    throw new AppError('UVCI_INVALID_OPAQUE', `invalid UVCI opaque part: ${JSON.stringify(opaque)}`, 500);
  }
  return `${body}#${uvciChecksum(body) ?? ''}`;
}

function fail(code: UvciErrorCode, reason: string): UvciValidationResult {
  return { ok: false, code, reason };
}

/**
 * Checks the syntax of a UVCI and, when it carries one, its Luhn mod N checksum.
 * Accepts the forms with and without the `URN:UVCI:` prefix (the prefix in any case); the checksum
 * is always computed over the prefixed form, as the FAQ prescribes. Versions 01, 02 and 03 share one
 * grammar here: `<version>:<country>:<component>[/<component>...]`.
 * @param value - the UVCI (e.g. a payload's `ci`)
 * @param options - `requireChecksum` to reject a UVCI without `#checksum`
 */
export function validateUvci(value: string, options: UvciValidationOptions = {}): UvciValidationResult {
  if (value.length === 0) return fail('UVCI_EMPTY', 'empty UVCI');
  if (value.length > UVCI_MAX_LENGTH) {
    return fail('UVCI_TOO_LONG', `UVCI has ${value.length} characters, at most ${UVCI_MAX_LENGTH} allowed`);
  }
  const hasPrefix = value.slice(0, UVCI_PREFIX.length).toUpperCase() === UVCI_PREFIX;
  const rest = hasPrefix ? value.slice(UVCI_PREFIX.length) : value;
  const bad = /[^A-Z0-9/:#]/.exec(rest);
  if (bad) {
    const at = bad.index + value.length - rest.length;
    return fail('UVCI_BAD_CHARACTER', `character ${JSON.stringify(bad[0])} at ${at} is not allowed (A-Z 0-9 : / #)`);
  }
  const hashes = rest.split('#');
  if (hashes.length > 2) return fail('UVCI_BAD_CHECKSUM_FORMAT', 'more than one "#"');
  const [body = '', checksum] = hashes;
  if (checksum !== undefined && (checksum.length !== 1 || !UVCI_CHECKSUM_ALPHABET.includes(checksum))) {
    const got = JSON.stringify(checksum);
    return fail('UVCI_BAD_CHECKSUM_FORMAT', `checksum must be one character of ${UVCI_CHECKSUM_ALPHABET}, got ${got}`);
  }
  const fields = body.split(':');
  if (fields.length !== 3) return fail('UVCI_BAD_STRUCTURE', 'expected <version>:<country>:<unique part>');
  const [version = '', country = '', unique = ''] = fields;
  if (!UVCI_VERSIONS.includes(version)) {
    return fail('UVCI_BAD_VERSION', `version ${JSON.stringify(version)} is not one of ${UVCI_VERSIONS.join(', ')}`);
  }
  if (!/^[A-Z]{2}$/.test(country)) {
    return fail('UVCI_BAD_COUNTRY', `country ${JSON.stringify(country)} is not an ISO 3166-1 alpha-2 code`);
  }
  if (!unique.split('/').every((c) => COMPONENT.test(c))) {
    return fail('UVCI_BAD_STRUCTURE', 'unique part must be non-empty A-Z/0-9 components separated by "/"');
  }
  if (checksum === undefined) {
    if (options.requireChecksum) return fail('UVCI_BAD_CHECKSUM_FORMAT', 'checksum required but missing');
    return { ok: true, uvci: { version, country, unique } };
  }
  const expected = uvciChecksum(`${UVCI_PREFIX}${body}`);
  if (checksum !== expected) {
    return fail('UVCI_CHECKSUM_MISMATCH', `checksum ${checksum} does not match, expected ${expected ?? '?'}`);
  }
  return { ok: true, uvci: { version, country, unique, checksum } };
}
