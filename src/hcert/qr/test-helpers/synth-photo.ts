/**
 * Test helper: turns a QR matrix into a synthetic phone photo of a printed code, deterministically
 * (seeded PRNG). The model, in the order light takes:
 * - print: grey-black toner (not pure black) on off-white paper, the code with its quiet zone
 *   centred on a larger sheet;
 * - camera pose: the sheet's corners map to an arbitrary quadrilateral (rotation + perspective)
 *   on a textured grey table;
 * - optics: supersampled area sampling (a sensor pixel integrates light, i.e. downscaling) and a
 *   small Gaussian-like blur (slightly out of focus);
 * - lighting: a smooth gradient, vignetting and a soft shadow band, multiplicative;
 * - sensor: Gaussian noise, a faint colour cast, then JPEG compression (jpeg-js).
 */
import jpeg from 'jpeg-js';
import type { QrMatrix } from '../qr-matrix.js';

/** Photo parameters; every field has a moderate default. */
export interface PhotoOptions {
  /** output width and height in px (default 720 × 720) */
  width?: number;
  height?: number;
  /** PRNG seed (default 1) */
  seed?: number;
  /** rotation of the sheet in degrees (default 7) */
  rotateDeg?: number;
  /** perspective: how much the far edge shrinks, 0..0.4 (default 0.12) */
  perspective?: number;
  /** width of the code (quiet zone included) as a share of the photo width (default 0.62) */
  coverage?: number;
  /** blur passes of a [1 2 1] kernel (default 2) */
  blur?: number;
  /** noise standard deviation in grey levels (default 9) */
  noise?: number;
  /** JPEG quality 1..100 (default 70) */
  quality?: number;
}

/** mulberry32: tiny, fast, good enough for test noise, and reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Mat3 = [number, number, number, number, number, number, number, number, number];

/** Projective map of the unit square onto a quadrilateral (Heckbert, "Fundamentals of Texture Mapping"). */
function squareToQuad(q: readonly (readonly [number, number])[]): Mat3 {
  const [[x0, y0], [x1, y1], [x2, y2], [x3, y3]] = q as [[number, number], [number, number], [number, number], [number, number]];
  const dx1 = x1 - x2;
  const dx2 = x3 - x2;
  const dy1 = y1 - y2;
  const dy2 = y3 - y2;
  const sx = x0 - x1 + x2 - x3;
  const sy = y0 - y1 + y2 - y3;
  const den = dx1 * dy2 - dx2 * dy1;
  const g = (sx * dy2 - dx2 * sy) / den;
  const h = (dx1 * sy - sx * dy1) / den;
  return [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1];
}

function invert(m: Mat3): Mat3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  return [A / det, -(b * i - c * h) / det, (b * f - c * e) / det, B / det, (a * i - c * g) / det, -(a * f - c * d) / det, C / det, -(a * h - b * g) / det, (a * e - b * d) / det];
}

/**
 * Synthesises a JPEG phone photo of the printed symbol.
 * @param q - the symbol to print
 * @param opts - pose, optics, lighting, noise and JPEG quality
 */
export function synthPhoto(q: QrMatrix, opts: PhotoOptions = {}): Uint8Array {
  const W = opts.width ?? 720;
  const H = opts.height ?? 720;
  const rnd = seededRandom(opts.seed ?? 1);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());

  // The sheet: the code (size + 2·4 modules) centred with 3 more modules of paper on each side.
  const codeModules = q.size + 8;
  const sheetModules = codeModules + 6;
  const side = (W * (opts.coverage ?? 0.62) * sheetModules) / codeModules;
  const rot = ((opts.rotateDeg ?? 7) * Math.PI) / 180;
  const persp = opts.perspective ?? 0.12;
  const cx = W / 2 + (rnd() - 0.5) * W * 0.05;
  const cy = H / 2 + (rnd() - 0.5) * H * 0.05;
  // Corners of the sheet before rotation: top edge farther away, hence shorter.
  const half = side / 2;
  const corners = [
    [-half * (1 - persp), -half],
    [half * (1 - persp), -half],
    [half, half],
    [-half, half],
  ].map(([x, y]) => [cx + x! * Math.cos(rot) - y! * Math.sin(rot), cy + x! * Math.sin(rot) + y! * Math.cos(rot)] as const);
  const toSheet = invert(squareToQuad(corners));

  const ink = 38;
  const paper = 228;
  const sheetAt = (u: number, v: number): number => {
    // u, v in sheet units 0..1 → module coordinates inside the code
    const mx = Math.floor(u * sheetModules - 3 - 4);
    const my = Math.floor(v * sheetModules - 3 - 4);
    if (mx >= 0 && my >= 0 && mx < q.size && my < q.size && q.modules[my * q.size + mx] === 1) return ink;
    return paper;
  };

  // Table texture: low-frequency blotches on mid grey.
  const blotch = Array.from({ length: 6 }, () => [rnd() * W, rnd() * H, 40 + rnd() * 120, (rnd() - 0.5) * 40] as const);
  const table = (x: number, y: number): number => {
    let g = 110 + 12 * Math.sin(x * 0.05) * Math.sin(y * 0.043);
    for (const [bx, by, r, a] of blotch) g += a * Math.exp(-((x - bx) ** 2 + (y - by) ** 2) / (r * r));
    return g;
  };

  // Optics: 3×3 supersampling per pixel.
  const img = new Float32Array(W * H);
  const [a, b, c, d, e, f, g, h, i] = toSheet;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      let sum = 0;
      let bg = -1; // the table is smooth: one sample per pixel is enough, and exp() is slow
      for (let sy = 0; sy < 3; sy++) {
        for (let sx = 0; sx < 3; sx++) {
          const px = x + (sx + 0.5) / 3;
          const py = y + (sy + 0.5) / 3;
          const w = g * px + h * py + i;
          const u = (a * px + b * py + c) / w;
          const v = (d * px + e * py + f) / w;
          if (u >= 0 && u <= 1 && v >= 0 && v <= 1) sum += sheetAt(u, v);
          else sum += bg < 0 ? (bg = table(x + 0.5, y + 0.5)) : bg;
        }
      }
      img[y * W + x] = sum / 9;
    }
  }
  blur(img, W, H, opts.blur ?? 2);

  // Lighting and sensor noise, then a faint warm cast per channel.
  const lx = rnd() - 0.5;
  const ly = rnd() - 0.5;
  const shadowAngle = rnd() * Math.PI;
  const rgba = Buffer.alloc(W * H * 4);
  const sigma = opts.noise ?? 9;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const nx = x / W - 0.5;
      const ny = y / H - 0.5;
      const gradient = 1 + 0.5 * (lx * nx + ly * ny) * 2;
      const vignette = 1 - 0.45 * (nx * nx + ny * ny) * 2;
      const band = nx * Math.cos(shadowAngle) + ny * Math.sin(shadowAngle);
      const shadow = 1 - 0.25 / (1 + Math.exp(-band * 25));
      const v = img[y * W + x]! * gradient * vignette * shadow + gauss() * sigma;
      const o = (y * W + x) * 4;
      rgba[o] = clamp(v * 1.04 + 4);
      rgba[o + 1] = clamp(v);
      rgba[o + 2] = clamp(v * 0.93 - 3);
      rgba[o + 3] = 255;
    }
  }
  return jpeg.encode({ data: rgba, width: W, height: H }, opts.quality ?? 70).data;
}

function clamp(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** Separable [1 2 1]/4 blur, `passes` times (σ ≈ 0.7 px per pass). */
function blur(img: Float32Array, W: number, H: number, passes: number): void {
  const tmp = new Float32Array(img.length);
  for (let p = 0; p < passes; p++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const l = img[y * W + Math.max(0, x - 1)]!;
        const r = img[y * W + Math.min(W - 1, x + 1)]!;
        tmp[y * W + x] = (l + 2 * img[y * W + x]! + r) / 4;
      }
    }
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const u = tmp[Math.max(0, y - 1) * W + x]!;
        const dn = tmp[Math.min(H - 1, y + 1) * W + x]!;
        img[y * W + x] = (u + 2 * tmp[y * W + x]! + dn) / 4;
      }
    }
  }
}
