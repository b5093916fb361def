import { AppError } from '../../errors/index.js';

/**
 * Unique, random-looking 6-digit CCCD serials without remembering issued numbers: per bucket
 * (century/sex digit × two-digit year) the k-th number is k passed through a 4-round Feistel
 * permutation of [0, 10^6) (two base-1000 halves) keyed by the run seed and the bucket.
 * A bijection, so serials never repeat within a bucket, and a 5M-person run needs no Set.
 */
export class SerialPermutation {
  private readonly counters = new Uint32Array(1000);
  private readonly keys: Uint32Array;

  /** @param seed - run seed */
  constructor(seed: number) {
    this.keys = new Uint32Array(4);
    let s = seed >>> 0;
    for (let r = 0; r < 4; r++) {
      s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5 + r) >>> 0;
      this.keys[r] = s;
    }
  }

  /**
   * Next serial of a bucket.
   * @param centurySexDigit - the CCCD's 4th digit
   * @param yy - last two digits of the birth year
   */
  next(centurySexDigit: number, yy: number): number {
    const bucket = centurySexDigit * 100 + yy;
    const k = this.counters[bucket] ?? 0;
    if (k >= 1_000_000) {
      throw new AppError('SEED_SERIALS_EXHAUSTED', `more than a million people born in one year and sex (bucket ${bucket})`, 400);
    }
    this.counters[bucket] = k + 1;
    let l = Math.floor(k / 1000);
    let r = k % 1000;
    for (let round = 0; round < 4; round++) {
      let h = Math.imul(r + 1, 0x9e3779b1) ^ Math.imul(bucket + 1, 0x85ebca6b) ^ (this.keys[round] ?? 0);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      h = (h ^ (h >>> 16)) >>> 0;
      const nl = r;
      r = (l + (h % 1000)) % 1000;
      l = nl;
    }
    return l * 1000 + r;
  }
}
