/**
 * ID numbers one keying slip apart: a single digit changed or two neighbouring digits swapped
 * (the two commonest typing errors on digit strings).
 */

/**
 * Whether `b` is `a` with one digit changed or two neighbouring digits swapped.
 * @param a - one ID
 * @param b - the other
 */
export function isOneDigitAway(a: string, b: string): boolean {
  const n = a.length;
  if (b.length !== n) return false;
  let first = -1;
  let count = 0;
  for (let i = 0; i < n; i++) {
    if (a.charCodeAt(i) === b.charCodeAt(i)) continue;
    if (++count > 2) return false;
    if (first < 0) first = i;
  }
  if (count === 1) return true;
  return count === 2 && a.charCodeAt(first) === b.charCodeAt(first + 1) && a.charCodeAt(first + 1) === b.charCodeAt(first);
}
