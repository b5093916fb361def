/**
 * sfc32 (Chris Doty-Humphrey's "Small Fast Chaotic" generator, 128-bit state, from PractRand):
 * passes PractRand/BigCrush, needs only 32-bit adds, xors and shifts, so it is fast in V8.
 * The state is seeded with splitmix32 from a (seed, stream) pair, so separate streams of one seed
 * (facilities, persons, lots) stay independent of each other.
 */
export class Sfc32 {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /**
   * @param seed - any integer (only its low 32 bits matter)
   * @param stream - a sub-stream number, so one seed can drive independent generators
   */
  constructor(seed: number, stream = 0) {
    let s = (seed ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      // splitmix32
      s = (s + 0x9e3779b9) | 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = next();
    this.b = next();
    this.c = next();
    this.d = next();
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform unsigned 32-bit integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** A uniform float in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  /**
   * A uniform integer in [0, n).
   * @param n - exclusive bound, at most 2^32
   */
  int(n: number): number {
    return Math.floor(this.float() * n);
  }

  /**
   * True with probability `p`.
   * @param p - probability in [0, 1]
   */
  chance(p: number): boolean {
    return this.float() < p;
  }
}
