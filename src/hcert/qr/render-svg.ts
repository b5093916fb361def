/**
 * QR → SVG. One `<path>` whose sub-paths are horizontal runs of dark modules (one rectangle per
 * run, not per module), in module units with a viewBox, so the file stays small and scales to
 * any size; `shape-rendering="crispEdges"` keeps module edges sharp when scaled.
 * The path is assembled in a reused byte buffer: rendering is on the issuance hot path (see
 * qr-matrix.ts), and per-run string concatenation was the slowest part of it.
 */
import { qrMatrix, type QrMatrix, type QrOptions } from './qr-matrix.js';

/** SVG rendering options. */
export interface SvgOptions extends QrOptions {
  /** light modules around the symbol; default 4, the minimum ISO/IEC 18004 asks for */
  margin?: number;
  /** dark colour; default `#000` */
  color?: string;
  /** light colour; default `#fff`; `none` for a transparent background */
  background?: string;
  /** `width`/`height` attributes in px; default none (the SVG scales to its container) */
  size?: number;
}

// Decimal digits of 0..999, three bytes per number (unused ones arbitrary) plus its length:
// numbers are written as three unconditional byte stores and an advance, with no branch on the
// digit count, which would be unpredictable across run lengths and gaps.
const DIGITS = new Uint8Array(4000);
for (let v = 0; v < 1000; v++) {
  const s = String(v);
  for (let i = 0; i < s.length; i++) DIGITS[v * 4 + i] = s.charCodeAt(i);
  DIGITS[v * 4 + 3] = s.length;
}

/** Writes a non-negative integer in decimal; returns the new offset. Needs 2 spare bytes. */
function writeInt(buf: Uint8Array, o: number, v: number): number {
  if (v < 1000) {
    const k = v * 4;
    buf[o] = DIGITS[k]!;
    buf[o + 1] = DIGITS[k + 1]!;
    buf[o + 2] = DIGITS[k + 2]!;
    return o + DIGITS[k + 3]!;
  }
  const s = String(v);
  for (let i = 0; i < s.length; i++) buf[o++] = s.charCodeAt(i);
  return o;
}

let scratch = Buffer.allocUnsafe(0);
let edges = new Int32Array(0);

/**
 * Path data for the dark modules: `M x y h n v1 h-n z` per run, later runs of a row relative to
 * the previous run's start (`m dx 0`), since `z` returns there.
 * @param q - the encoded symbol
 * @param margin - quiet-zone width in modules (offsets every coordinate)
 */
export function svgPathData(q: QrMatrix, margin: number): string {
  const { size, modules } = q;
  // Worst case: ceil(size / 2) runs per row of ≤ 19 bytes, plus one absolute move per row.
  const need = size * (((size + 1) >>> 1) * 19 + 48) + 64;
  if (scratch.length < need) scratch = Buffer.allocUnsafeSlow(need);
  if (edges.length < size + 2) edges = new Int32Array(size + 2);
  const buf = scratch;
  let o = 0;
  for (let y = 0; y < size; y++) {
    // Colour changes of the row, branch-free: a light→dark edge starts a run, dark→light ends it.
    const row = y * size;
    let n = 0;
    let prev = 0;
    for (let x = 0; x < size; x++) {
      const c = modules[row + x]!;
      edges[n] = x;
      n += c ^ prev;
      prev = c;
    }
    edges[n] = size;
    n += prev;
    let lastX = -1;
    for (let k = 0; k < n; k += 2) {
      const start = edges[k]!;
      const len = edges[k + 1]! - start;
      if (lastX < 0) {
        buf[o++] = 0x4d; // M
        o = writeInt(buf, o, start + margin);
        buf[o++] = 0x20;
        o = writeInt(buf, o, y + margin);
      } else {
        buf[o++] = 0x6d; // m
        o = writeInt(buf, o, start - lastX);
        buf[o++] = 0x20;
        buf[o++] = 0x30;
      }
      buf[o++] = 0x68; // h
      o = writeInt(buf, o, len);
      buf[o++] = 0x76; // v1h-
      buf[o++] = 0x31;
      buf[o++] = 0x68;
      buf[o++] = 0x2d;
      o = writeInt(buf, o, len);
      buf[o++] = 0x7a; // z
      lastX = start;
    }
  }
  return buf.toString('latin1', 0, o);
}

/** Escapes an attribute value; colours come from callers and must not break the markup. */
function attr(v: string): string {
  return v.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Renders text as a QR code in SVG.
 * @param text - content, e.g. an `HC1:` string
 * @param opts - error-correction level (default M), margin (default 4), colours, pixel size
 * @returns a standalone `<svg>` document (no XML declaration, so it can also be inlined in HTML)
 */
export function renderSvg(text: string, opts: SvgOptions = {}): string {
  return svgFromMatrix(qrMatrix(text, opts), opts);
}

/**
 * Renders an already encoded symbol in SVG.
 * @param q - the encoded symbol
 * @param opts - margin (default 4), colours, pixel size
 */
export function svgFromMatrix(q: QrMatrix, opts: Omit<SvgOptions, keyof QrOptions> = {}): string {
  const margin = Math.max(0, Math.floor(opts.margin ?? 4));
  const full = q.size + 2 * margin;
  const px = opts.size === undefined ? '' : ` width="${Math.round(opts.size)}" height="${Math.round(opts.size)}"`;
  const bg = opts.background ?? '#fff';
  const fill = attr(opts.color ?? '#000');
  const rect = bg === 'none' ? '' : `<rect width="${full}" height="${full}" fill="${attr(bg)}"/>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${full} ${full}"${px} shape-rendering="crispEdges">` +
    `${rect}<path fill="${fill}" d="${svgPathData(q, margin)}"/></svg>`
  );
}
