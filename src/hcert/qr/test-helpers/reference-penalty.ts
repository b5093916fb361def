/**
 * Module-by-module penalty (ISO/IEC 18004:2015 Table 11, ZXing's reading), written for clarity
 * only: the tests check the packed implementation in qr-penalty.ts against it.
 */

/**
 * Naive penalty score of a symbol.
 * @param m - row-major modules, 1 dark, 0 light
 * @param n - modules per side
 */
export function referencePenalty(m: Uint8Array, n: number): number {
  const at = (x: number, y: number): number => (x < 0 || y < 0 || x >= n || y >= n ? 0 : m[y * n + x]!);
  let n1 = 0;
  let n2 = 0;
  let n3 = 0;
  let dark = 0;
  for (const horizontal of [true, false]) {
    const get = (line: number, k: number): number => (horizontal ? at(k, line) : at(line, k));
    for (let line = 0; line < n; line++) {
      let k = 0;
      while (k < n) {
        let e = k;
        while (e < n && get(line, e) === get(line, k)) e++;
        if (e - k >= 5) n1 += 3 + (e - k - 5);
        k = e;
      }
      for (let p = 0; p + 6 < n; p++) {
        const core = [1, 0, 1, 1, 1, 0, 1].every((v, i) => get(line, p + i) === v);
        if (!core) continue;
        const lightBefore = [1, 2, 3, 4].every((d) => get(line, p - d) === 0);
        const lightAfter = [7, 8, 9, 10].every((d) => get(line, p + d) === 0);
        if (lightBefore || lightAfter) n3 += 40;
      }
    }
  }
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      dark += at(x, y);
      if (x < n - 1 && y < n - 1) {
        const c = at(x, y);
        if (at(x + 1, y) === c && at(x, y + 1) === c && at(x + 1, y + 1) === c) n2 += 3;
      }
    }
  }
  const total = n * n;
  const k = Math.floor(Math.abs(dark * 2 - total) * 10 / total);
  return n1 + n2 + n3 + k * 10;
}
