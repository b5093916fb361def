import type { Sfc32 } from './sfc32.js';

/**
 * Walker/Vose alias table: picks one of n weighted items in O(1) with one random number,
 * which keeps per-person sampling cheap (names, ages, vaccines are drawn millions of times).
 */
export class AliasTable<T> {
  private readonly prob: Float64Array;
  private readonly alias: Uint32Array;

  /**
   * @param items - the values to pick from
   * @param weights - non-negative weights, same length, not all zero
   */
  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    const n = items.length;
    if (n === 0 || weights.length !== n) throw new RangeError('AliasTable needs as many weights as items (≥1)');
    const total = weights.reduce((s, w) => s + w, 0);
    if (!(total > 0)) throw new RangeError('AliasTable weights sum to zero');
    this.prob = new Float64Array(n);
    this.alias = new Uint32Array(n);
    const scaled = weights.map((w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    scaled.forEach((w, i) => (w < 1 ? small : large).push(i));
    for (;;) {
      const s = small.pop();
      const l = large.pop();
      if (s === undefined || l === undefined) {
        for (const i of [s, l, ...small, ...large]) if (i !== undefined) this.prob[i] = 1;
        break;
      }
      this.prob[s] = scaled[s] ?? 0;
      this.alias[s] = l;
      const rest = (scaled[l] ?? 0) + (scaled[s] ?? 0) - 1;
      scaled[l] = rest;
      (rest < 1 ? small : large).push(l);
    }
  }

  /**
   * One weighted pick.
   * @param rng - the random stream to draw from
   */
  pick(rng: Sfc32): T {
    const x = rng.float() * this.items.length;
    const i = Math.floor(x);
    const j = x - i < (this.prob[i] ?? 1) ? i : (this.alias[i] ?? i);
    return this.items[j] as T;
  }
}
