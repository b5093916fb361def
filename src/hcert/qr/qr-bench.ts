/**
 * Micro benchmark of the QR hot path for the main `bench` command: SVG renders per second of a
 * 580-character HC1-like text at level M (version 15), the size of a typical vaccination
 * certificate. Goal: ≥ 2,000/s on one core (the common `qrcode` package manages ~300/s).
 */
import { qrMatrix } from './qr-matrix.js';
import { renderSvg } from './render-svg.js';

/** Result of `benchQr`. */
export interface QrBenchResult {
  /** full `renderSvg` calls (encode + mask choice + SVG text) per second */
  readonly svg_per_s: number;
  /** `qrMatrix` calls per second (encode + mask choice only) */
  readonly matrix_per_s: number;
  /** version of the benchmarked symbol (15 expected) */
  readonly version: number;
  /** length of one SVG document in bytes */
  readonly svg_bytes: number;
}

const BASE45 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/**
 * A deterministic HC1-like text: `HC1:` and base45 characters from a fixed-seed generator.
 * @param length - total length including the prefix
 * @param seed - generator seed; different seeds give different texts of the same shape
 */
export function sampleHc1Text(length = 580, seed = 1): string {
  let s = seed >>> 0;
  let text = 'HC1:';
  while (text.length < length) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    text += BASE45[s % 45]!;
  }
  return text;
}

/** Runs `fn` over rotating inputs for about `ms` milliseconds; best of three slices, per second. */
function rate(ms: number, texts: readonly string[], fn: (t: string) => unknown): number {
  for (let i = 0; i < 50; i++) fn(texts[i % texts.length]!); // warm-up: JIT and layout caches
  let best = 0;
  const slice = ms / 3;
  for (let r = 0; r < 3; r++) {
    const t0 = performance.now();
    let n = 0;
    let t = t0;
    while (t - t0 < slice) {
      for (let i = 0; i < 16; i++) fn(texts[(n + i) % texts.length]!);
      n += 16;
      t = performance.now();
    }
    best = Math.max(best, (n * 1000) / (t - t0));
  }
  return Math.round(best);
}

/**
 * Measures SVG and matrix throughput on one thread.
 * @param ms - time budget in milliseconds, split between the two measurements (default 2000)
 */
export function benchQr(ms = 2000): QrBenchResult {
  // Several texts, so neither the branch predictor nor any cache sees the same symbol each time.
  const texts = Array.from({ length: 8 }, (_, i) => sampleHc1Text(580, i + 1));
  const svg = renderSvg(texts[0]!);
  return {
    svg_per_s: rate(ms / 2, texts, (t) => renderSvg(t)),
    matrix_per_s: rate(ms / 2, texts, (t) => qrMatrix(t)),
    version: qrMatrix(texts[0]!).version,
    svg_bytes: svg.length,
  };
}
