/**
 * The EXPECTED* flags of the EU dgc-testdata vectors (dgc-testdata README, "Possible boolean
 * variables set in EXPECTEDRESULTS"), and the mapping of the spellings found in real vectors onto
 * them. Vector authors typed these keys by hand: `EXPTECTEDEXPIRED` (BG) is one of them.
 */

/** Every check a vector can ask for, in the order the chain is decoded. */
export const CHECKS = [
  'PICTUREDECODE',
  'UNPREFIX',
  'B45DECODE',
  'COMPRESSION',
  'VERIFY',
  'KEYUSAGE',
  'EXPIRATIONCHECK',
  'DECODE',
  'VALIDJSON',
  'SCHEMAVALIDATION',
  'VALIDOBJECT',
  'ENCODE',
] as const;

/** One check, named by its flag without the `EXPECTED` prefix. */
export type CheckName = (typeof CHECKS)[number];

/**
 * Other names seen for a check. `EXPIRED` comes from the BG vectors' `EXPTECTEDEXPIRED: true`:
 * all four are inside iat..exp at their VALIDATIONCLOCK, so the flag means "the expiration check
 * succeeds", not "the certificate is expired".
 */
const ALIASES: Readonly<Record<string, CheckName>> = {
  EXPIRED: 'EXPIRATIONCHECK',
  EXPIRATION: 'EXPIRATIONCHECK',
  EXPIRY: 'EXPIRATIONCHECK',
  EXPIRYCHECK: 'EXPIRATIONCHECK',
  BASE45DECODE: 'B45DECODE',
  BASE45: 'B45DECODE',
  PREFIX: 'UNPREFIX',
  PICTURE: 'PICTUREDECODE',
  SCHEMA: 'SCHEMAVALIDATION',
  SIGNATURE: 'VERIFY',
  KEYUSAGES: 'KEYUSAGE',
  DECOMPRESSION: 'COMPRESSION',
};

/** Edit distance (insert, delete, substitute, swap neighbours) between two short keys. */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/** The letters of a key, upper-cased: `expected_Verify` and `EXPECTED-VERIFY` read alike. */
export function keyLetters(key: string): string {
  return key.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

/**
 * Whether a key looks like an expectation flag: it starts with (a misspelling of) `EXPECTED`.
 * @param key - a JSON key from a vector
 */
export function isExpectationKey(key: string): boolean {
  return stripExpected(keyLetters(key)) !== undefined;
}

/** The key without its leading `EXPECTED` (tolerating up to two typos in that word). */
function stripExpected(letters: string): string | undefined {
  // A correctly spelled prefix is final: `EXPECTEDCODE` must not become EXPECT|EDCODE → DECODE.
  if (letters.startsWith('EXPECTED')) return letters.length > 8 ? letters.slice(8) : undefined;
  for (let len = 6; len <= 10 && len < letters.length; len++) {
    if (distance(letters.slice(0, len), 'EXPECTED') <= 2) {
      const rest = letters.slice(len);
      // Prefer the split that leaves a known name (EXPTECTED|EXPIRED vs EXPTECTEDE|XPIRED).
      if (resolveName(rest) !== undefined) return rest;
    }
  }
  for (let len = 6; len <= 10 && len < letters.length; len++) {
    if (distance(letters.slice(0, len), 'EXPECTED') <= 2) return letters.slice(len);
  }
  return undefined;
}

/** A check by its exact, aliased or single-typo name; undefined when ambiguous or unknown. */
function resolveName(name: string): CheckName | undefined {
  const exact = CHECKS.find((c) => c === name) ?? ALIASES[name];
  if (exact) return exact;
  // Short names differ by little (ENCODE/DECODE are two edits apart): allow one typo, and only
  // when exactly one check is that close.
  const near = CHECKS.filter((c) => distance(c, name) <= (c.length >= 9 ? 2 : 1));
  return near.length === 1 ? near[0] : undefined;
}

/**
 * Maps an expectation key as written in a vector onto the check it asks for.
 * @param key - e.g. `EXPECTEDVERIFY`, `EXPTECTEDEXPIRED`, `expectedValidJson`
 * @returns the check, or undefined when the key names no known check
 */
export function checkForKey(key: string): CheckName | undefined {
  const rest = stripExpected(keyLetters(key));
  return rest === undefined ? undefined : resolveName(rest);
}
