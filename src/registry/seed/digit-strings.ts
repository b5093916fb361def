/**
 * Zero-padded decimal strings, precomputed: `String(n).padStart(k, '0')` converts a number to a
 * string, then pads and concatenates, once per phone number and ID serial (millions per run);
 * two table reads give the same text.
 */
const PAD3: readonly string[] = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const PAD4: readonly string[] = Array.from({ length: 10_000 }, (_, i) => String(i).padStart(4, '0'));

/** `String(n).padStart(6, '0')` for an integer 0 ≤ n < 10^6. @param n - the number */
export function sixDigits(n: number): string {
  return (PAD3[Math.floor(n / 1000)] as string) + (PAD3[n % 1000] as string);
}

/** `String(n).padStart(7, '0')` for an integer 0 ≤ n < 10^7. @param n - the number */
export function sevenDigits(n: number): string {
  return (PAD4[Math.floor(n / 1000)] as string) + (PAD3[n % 1000] as string);
}
