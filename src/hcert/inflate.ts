/**
 * zlib (RFC 1950) / DEFLATE (RFC 1951) decompression with a hard output cap, after Mark Adler's
 * `puff.c` (canonical Huffman decoding by code length counts).
 *
 * Why by hand: node:zlib's inflateSync spends ~9 µs per call on stream setup, which is a large
 * share of a ~60 µs ES256 verification; fflate is slower still on 400-byte inputs. The decoder
 * below must accept every valid stream (stored, fixed and dynamic blocks: foreign issuers use all
 * three), refuse every invalid one with a ZlibError, and never exceed `maxOutput`. It is checked
 * against node:zlib by property tests.
 */
import { adler32 } from './adler32.js';
import { InflateLimitError, ZlibError } from './errors.js';

const MAXBITS = 15;

interface Huffman {
  count: Uint16Array; // number of codes of each length
  symbol: Uint16Array; // symbols ordered by code
  fast: Uint16Array; // FAST_BITS-wide lookup: (symbol << 4) | code length, 0 = longer code
}

// Codes of up to FAST_BITS bits (nearly all of them in DCC-sized data) decode with one lookup.
const FAST_BITS = 9;
const FAST_MASK = (1 << FAST_BITS) - 1;

const LEN_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258];
const LEN_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DIST_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13];
const CL_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

/** Builds a decoding table; returns the number of unused codes (0 = complete, < 0 = over-subscribed). */
function construct(h: Huffman, lengths: Uint8Array, from: number, n: number): number {
  h.count.fill(0);
  for (let s = 0; s < n; s++) h.count[lengths[from + s]!]!++;
  if (h.count[0] === n) return 0;
  let left = 1;
  for (let len = 1; len <= MAXBITS; len++) {
    left <<= 1;
    left -= h.count[len]!;
    if (left < 0) return left;
  }
  const offs = OFFS.fill(0);
  for (let len = 1; len < MAXBITS; len++) offs[len + 1] = offs[len]! + h.count[len]!;
  for (let s = 0; s < n; s++) if (lengths[from + s] !== 0) h.symbol[offs[lengths[from + s]!]!++] = s;
  buildFast(h);
  return left;
}

/** Fills the lookup table from the canonical code: codes are bit-reversed, as the stream is LSB-first. */
function buildFast(h: Huffman): void {
  h.fast.fill(0);
  let code = 0;
  let index = 0;
  for (let len = 1; len <= FAST_BITS; len++) {
    for (let k = 0; k < h.count[len]!; k++) {
      let rev = 0;
      for (let b = 0; b < len; b++) rev |= ((code >> b) & 1) << (len - 1 - b);
      const entry = (h.symbol[index]! << 4) | len;
      for (let r = rev; r <= FAST_MASK; r += 1 << len) h.fast[r] = entry;
      code++;
      index++;
    }
    code <<= 1;
  }
}

function newHuffman(n: number): Huffman {
  return { count: new Uint16Array(MAXBITS + 1), symbol: new Uint16Array(n), fast: new Uint16Array(FAST_MASK + 1) };
}

const OFFS = new Uint16Array(MAXBITS + 1);
const FIXED_LEN = newHuffman(288);
const FIXED_DIST = newHuffman(30);
{
  const l = new Uint8Array(288);
  l.fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
  construct(FIXED_LEN, l, 0, 288);
  construct(FIXED_DIST, new Uint8Array(30).fill(5), 0, 30);
}
// Scratch tables for dynamic blocks, reused: decoding is synchronous, so no two calls overlap.
const DYN_CL = newHuffman(19);
const DYN_LEN = newHuffman(288);
const DYN_DIST = newHuffman(30);
const DYN_LENGTHS = new Uint8Array(320);

const SCRATCH = new Uint8Array(4096);

// Results are views into a shared 8 KiB pool (as Node's Buffer.allocUnsafe does): a fresh
// ArrayBuffer per call costs an off-heap allocation and its later collection.
const POOL_SIZE = 8192;
let pool = new ArrayBuffer(POOL_SIZE);
let poolUsed = 0;

function take(len: number): Uint8Array {
  if (len > POOL_SIZE >> 2) return new Uint8Array(len);
  if (poolUsed + len > POOL_SIZE) {
    pool = new ArrayBuffer(POOL_SIZE);
    poolUsed = 0;
  }
  const v = new Uint8Array(pool, poolUsed, len);
  poolUsed += (len + 7) & ~7;
  return v;
}

class State {
  pos = 0;
  bitbuf = 0;
  bitcnt = 0;
  out: Uint8Array;
  outLen = 0;
  constructor(
    readonly input: Uint8Array,
    readonly end: number,
    readonly maxOutput: number,
  ) {
    // Start in a reused scratch buffer (decoding is synchronous); the result is copied out.
    this.out = SCRATCH.length <= maxOutput ? SCRATCH : new Uint8Array(Math.min(maxOutput, Math.max(1024, input.length * 4)));
  }

  bits(need: number): number {
    let val = this.bitbuf;
    while (this.bitcnt < need) {
      if (this.pos >= this.end) throw new ZlibError('zlib: compressed data ends early');
      val |= this.input[this.pos++]! << this.bitcnt;
      this.bitcnt += 8;
    }
    this.bitbuf = val >>> need;
    this.bitcnt -= need;
    return val & ((1 << need) - 1);
  }

  /** Drops the bits left in the current byte and gives back whole bytes read ahead. */
  alignToByte(): void {
    this.pos -= this.bitcnt >> 3;
    this.bitbuf = 0;
    this.bitcnt = 0;
  }

  decode(h: Huffman): number {
    while (this.bitcnt <= 24 && this.pos < this.end) {
      this.bitbuf |= this.input[this.pos++]! << this.bitcnt;
      this.bitcnt += 8;
    }
    const entry = h.fast[this.bitbuf & FAST_MASK]!;
    const len = entry & 15;
    if (entry !== 0 && len <= this.bitcnt) {
      this.bitbuf >>>= len;
      this.bitcnt -= len;
      return entry >> 4;
    }
    return this.decodeSlow(h);
  }

  decodeSlow(h: Huffman): number {
    let code = 0;
    let first = 0;
    let index = 0;
    for (let len = 1; len <= MAXBITS; len++) {
      code |= this.bits(1);
      const count = h.count[len]!;
      if (code - count < first) return h.symbol[index + (code - first)]!;
      index += count;
      first += count;
      first <<= 1;
      code <<= 1;
    }
    throw new ZlibError('zlib: invalid Huffman code');
  }

  ensure(extra: number): void {
    const need = this.outLen + extra;
    if (need > this.maxOutput) {
      throw new InflateLimitError(`zlib: inflated data exceeds the limit of ${this.maxOutput} bytes`, { limit: this.maxOutput });
    }
    if (need > this.out.length) {
      const grown = new Uint8Array(Math.min(this.maxOutput, Math.max(need, this.out.length * 2)));
      grown.set(this.out.subarray(0, this.outLen));
      this.out = grown;
    }
  }
}

function stored(s: State): void {
  s.alignToByte();
  if (s.pos + 4 > s.end) throw new ZlibError('zlib: stored block header ends early');
  const len = s.input[s.pos]! | (s.input[s.pos + 1]! << 8);
  const nlen = s.input[s.pos + 2]! | (s.input[s.pos + 3]! << 8);
  s.pos += 4;
  if (len !== (~nlen & 0xffff)) throw new ZlibError('zlib: stored block length check failed');
  if (s.pos + len > s.end) throw new ZlibError('zlib: stored block ends early');
  s.ensure(len);
  s.out.set(s.input.subarray(s.pos, s.pos + len), s.outLen);
  s.outLen += len;
  s.pos += len;
}

function codes(s: State, lencode: Huffman, distcode: Huffman): void {
  const input = s.input;
  const end = s.end;
  const fast = lencode.fast;
  for (;;) {
    // Literal run in locals: most symbols of a DCC are literals with short codes. Refilling two
    // bytes once below 16 bits leaves >= 16 >= FAST_BITS bits, so no length check per code.
    let bitbuf = s.bitbuf;
    let bitcnt = s.bitcnt;
    let pos = s.pos;
    const out = s.out;
    const cap = out.length;
    let outLen = s.outLen;
    const safeEnd = end - 1; // the last two bytes go through the general path
    while (outLen < cap) {
      if (bitcnt < 16) {
        if (pos >= safeEnd) break;
        bitbuf |= (input[pos]! | (input[pos + 1]! << 8)) << bitcnt;
        pos += 2;
        bitcnt += 16;
      }
      const entry = fast[bitbuf & FAST_MASK]!;
      // entry 0 (a longer code) or a symbol >= 256 (length, end of block): the general path
      if ((entry - 1) >>> 0 >= (256 << 4) - 1) break;
      const len = entry & 15;
      bitbuf >>>= len;
      bitcnt -= len;
      out[outLen++] = entry >> 4;
    }
    s.bitbuf = bitbuf;
    s.bitcnt = bitcnt;
    s.pos = pos;
    s.outLen = outLen;
    // Anything else (length, end of block, long code, full buffer) one symbol at a time.
    let sym = s.decode(lencode);
    if (sym < 256) {
      if (s.outLen >= s.out.length) s.ensure(1);
      s.out[s.outLen++] = sym;
    } else if (sym === 256) {
      return;
    } else {
      sym -= 257;
      if (sym >= 29) throw new ZlibError('zlib: invalid length symbol');
      const len = LEN_BASE[sym]! + s.bits(LEN_EXTRA[sym]!);
      const dsym = s.decode(distcode);
      if (dsym >= 30) throw new ZlibError('zlib: invalid distance symbol');
      const dist = DIST_BASE[dsym]! + s.bits(DIST_EXTRA[dsym]!);
      if (dist > s.outLen) throw new ZlibError('zlib: distance reaches before the start of the output');
      s.ensure(len);
      const out = s.out;
      let o = s.outLen;
      for (let k = 0; k < len; k++, o++) out[o] = out[o - dist]!;
      s.outLen = o;
    }
  }
}

function dynamic(s: State): void {
  const nlen = s.bits(5) + 257;
  const ndist = s.bits(5) + 1;
  const ncode = s.bits(4) + 4;
  if (nlen > 286 || ndist > 30) throw new ZlibError('zlib: bad dynamic block counts');
  const lengths = DYN_LENGTHS.fill(0);
  for (let i = 0; i < ncode; i++) lengths[CL_ORDER[i]!] = s.bits(3);
  if (construct(DYN_CL, lengths, 0, 19) !== 0) throw new ZlibError('zlib: incomplete code-length code');
  lengths.fill(0, 0, 19);
  let index = 0;
  while (index < nlen + ndist) {
    const sym = s.decode(DYN_CL);
    if (sym < 16) {
      lengths[index++] = sym;
    } else {
      let len = 0;
      let rep: number;
      if (sym === 16) {
        if (index === 0) throw new ZlibError('zlib: repeat with no previous length');
        len = lengths[index - 1]!;
        rep = 3 + s.bits(2);
      } else if (sym === 17) rep = 3 + s.bits(3);
      else rep = 11 + s.bits(7);
      if (index + rep > nlen + ndist) throw new ZlibError('zlib: too many code lengths');
      while (rep-- > 0) lengths[index++] = len;
    }
  }
  if (lengths[256] === 0) throw new ZlibError('zlib: no end-of-block code');
  const err = construct(DYN_LEN, lengths, 0, nlen);
  if (err < 0 || (err > 0 && nlen - DYN_LEN.count[0]! !== 1)) throw new ZlibError('zlib: bad literal/length code');
  const derr = construct(DYN_DIST, lengths, nlen, ndist);
  if (derr < 0 || (derr > 0 && ndist - DYN_DIST.count[0]! !== 1)) throw new ZlibError('zlib: bad distance code');
  codes(s, DYN_LEN, DYN_DIST);
}

/**
 * Decompresses a zlib stream, refusing output larger than `maxOutput` bytes. A small result is a
 * view into a shared pool (like Buffer.allocUnsafe's): honour its byteOffset.
 * @param input - the zlib stream (header, deflate data, Adler-32 trailer)
 * @param maxOutput - hard cap on the inflated size
 */
export function zlibInflate(input: Uint8Array, maxOutput: number): Uint8Array {
  if (input.length < 2) throw new ZlibError('zlib: data too short for a zlib header');
  const cmf = input[0]!;
  const flg = input[1]!;
  if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7) throw new ZlibError(`zlib: not a deflate stream (header byte 0x${cmf.toString(16).padStart(2, '0')})`);
  if ((cmf * 256 + flg) % 31 !== 0) throw new ZlibError('zlib: header check bits are wrong');
  if (flg & 0x20) throw new ZlibError('zlib: preset dictionaries are not supported');
  const s = new State(input, input.length, maxOutput);
  s.pos = 2;
  let last: number;
  do {
    last = s.bits(1);
    const type = s.bits(2);
    if (type === 0) stored(s);
    else if (type === 1) codes(s, FIXED_LEN, FIXED_DIST);
    else if (type === 2) dynamic(s);
    else throw new ZlibError('zlib: invalid block type 3');
  } while (!last);
  const out = take(s.outLen);
  out.set(s.out.subarray(0, s.outLen));
  // Trailer starts at the next byte boundary; bytes still held in the bit buffer belong to it.
  const t = s.pos - (s.bitcnt >> 3);
  if (t + 4 > input.length) throw new ZlibError('zlib: Adler-32 trailer missing');
  const expected = ((input[t]! << 24) | (input[t + 1]! << 16) | (input[t + 2]! << 8) | input[t + 3]!) >>> 0;
  if (adler32(out) !== expected) throw new ZlibError('zlib: Adler-32 checksum mismatch');
  return out;
}
