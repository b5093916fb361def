/**
 * COSE_Sign1 (RFC 8152 §4.2) for HCERT: protected header {alg, kid}, empty unprotected header,
 * the CWT as payload, and a signature over Sig_structure ["Signature1", protected, h'', payload].
 *
 * The fixed-shape parts (protected header, Sig_structure, the Sign1 array) are framed by hand:
 * they are a few constant bytes, and a generic CBOR encoder pass per certificate costs more than
 * the framing itself on the issue hot path. Parsing tries a fast reader of the common shape and
 * falls back to the generic decoder, because foreign certificates vary (tag 18 or none, CWT tag 61,
 * kid in the unprotected header…).
 */
import { constants, verify as cryptoVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { Tag, cborDecode } from './cbor.js';
import { CoseStructureError } from './errors.js';
import { parseCoseFast } from './fast-decode.js';
import { COSE_ALG_ID, rawToDerEcdsa } from './signer.js';
import type { CoseAlg, Signer } from './signer.js';

const HDR_ALG = 1;
const HDR_KID = 4;
const TAG_SIGN1 = 18;
const TAG_CWT = 61;
const SIGNATURE1 = Buffer.from('jSignature1', 'latin1'); // 0x6a = text string of length 10

/** Size of the CBOR head of a byte string of `len` bytes. */
function headSize(len: number): number {
  return len < 24 ? 1 : len < 0x100 ? 2 : len < 0x10000 ? 3 : 5;
}

/** Writes the CBOR head of a byte string of `len` bytes at `o`; returns the next offset. */
function writeHead(buf: Buffer, o: number, len: number): number {
  if (len < 24) {
    buf[o] = 0x40 + len;
    return o + 1;
  }
  if (len < 0x100) {
    buf[o] = 0x58;
    buf[o + 1] = len;
    return o + 2;
  }
  if (len < 0x10000) {
    buf[o] = 0x59;
    buf.writeUInt16BE(len, o + 1);
    return o + 3;
  }
  buf[o] = 0x5a;
  buf.writeUInt32BE(len, o + 1);
  return o + 5;
}

/** Writes a CBOR byte string (head and content) at `o`; returns the next offset. */
function writeBstr(buf: Buffer, o: number, bytes: Uint8Array): number {
  o = writeHead(buf, o, bytes.length);
  buf.set(bytes, o);
  return o + bytes.length;
}

/**
 * Encoded protected header {1: alg, 4: kid}.
 * @param alg - ES256 or PS256
 * @param kid - key identifier
 */
export function protectedHeader(alg: CoseAlg, kid: Uint8Array): Buffer {
  // alg -7 is the single byte 0x26; -37 is 0x38 0x24 (negative integer, one-byte argument).
  const algBytes = alg === 'ES256' ? [0x26] : [0x38, 0x24];
  const head = Buffer.from([0xa2, HDR_ALG, ...algBytes, HDR_KID]);
  const out = Buffer.allocUnsafe(head.length + headSize(kid.length) + kid.length);
  head.copy(out);
  writeBstr(out, head.length, kid);
  return out;
}

/**
 * Sig_structure for COSE_Sign1 with empty external AAD, built in one allocation.
 * @param protectedBytes - the protected header exactly as carried (never re-encoded)
 * @param payload - the payload bytes
 */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Buffer {
  const size = 1 + SIGNATURE1.length + headSize(protectedBytes.length) + protectedBytes.length + 1 + headSize(payload.length) + payload.length;
  const out = Buffer.allocUnsafe(size);
  out[0] = 0x84;
  SIGNATURE1.copy(out, 1);
  let o = writeBstr(out, 1 + SIGNATURE1.length, protectedBytes);
  out[o++] = 0x40;
  writeBstr(out, o, payload);
  return out;
}

// The protected header depends only on the signer: encode it once per signer.
const headerCache = new WeakMap<Signer, Buffer>();

/**
 * Signs a payload into a tagged COSE_Sign1.
 * @param payload - the CWT bytes
 * @param signer - key and algorithm
 */
export function signCose(payload: Uint8Array, signer: Signer): Buffer {
  let prot = headerCache.get(signer);
  if (!prot) {
    prot = protectedHeader(signer.alg, signer.kid);
    headerCache.set(signer, prot);
  }
  const signature = signer.sign(sigStructure(prot, payload));
  const out = Buffer.allocUnsafe(2 + headSize(prot.length) + prot.length + 1 + headSize(payload.length) + payload.length + headSize(signature.length) + signature.length);
  out[0] = 0xd2; // tag 18, COSE_Sign1
  out[1] = 0x84; // array of 4
  let o = writeBstr(out, 2, prot);
  out[o++] = 0xa0; // empty unprotected header
  o = writeBstr(out, o, payload);
  writeBstr(out, o, signature);
  return out;
}

/** A parsed COSE_Sign1. */
export interface CoseSign1 {
  protectedBytes: Uint8Array;
  /** alg label value (e.g. -7), undefined when absent. */
  algId?: number;
  alg?: CoseAlg;
  kid?: Uint8Array;
  /** Where the kid was found: the spec wants the protected header; some issuers used the other. */
  kidIn?: 'protected' | 'unprotected';
  payload: Uint8Array;
  signature: Uint8Array;
}

/**
 * Parses a COSE_Sign1 (tag 18 optional, CWT tag 61 tolerated); throws CoseStructureError.
 * The common shape takes a fast path with the same result (fast-decode.ts).
 * @param bytes - the decompressed COSE bytes
 */
export function parseCose(bytes: Uint8Array): CoseSign1 {
  return parseCoseFast(bytes) ?? parseCoseGeneric(bytes);
}

/**
 * parseCose through the generic CBOR decoder: every shape, and every error. Exported for tests.
 * @param bytes - the decompressed COSE bytes
 */
export function parseCoseGeneric(bytes: Uint8Array): CoseSign1 {
  let item: unknown;
  try {
    item = cborDecode(bytes);
  } catch (e) {
    throw new CoseStructureError(`COSE: not valid CBOR (${(e as Error).message})`);
  }
  if (item instanceof Tag && item.tag === TAG_CWT) item = item.value as unknown;
  if (item instanceof Tag) {
    if (item.tag !== TAG_SIGN1) throw new CoseStructureError(`COSE: tag ${item.tag} is not COSE_Sign1 (18)`);
    item = item.value as unknown;
  }
  if (!Array.isArray(item) || item.length !== 4) throw new CoseStructureError('COSE: COSE_Sign1 must be an array of 4 items');
  const [prot, unprot, payload, signature] = item as unknown[];
  if (!(prot instanceof Uint8Array)) throw new CoseStructureError('COSE: protected header is not a byte string');
  if (!(payload instanceof Uint8Array)) throw new CoseStructureError('COSE: payload is not a byte string (detached payloads are not allowed)');
  if (!(signature instanceof Uint8Array)) throw new CoseStructureError('COSE: signature is not a byte string');
  const protMap = prot.length === 0 ? new Map<unknown, unknown>() : headerMap(safeDecode(prot), 'protected');
  const unprotMap = unprot === undefined || unprot === null ? new Map<unknown, unknown>() : headerMap(unprot, 'unprotected');
  const out: CoseSign1 = { protectedBytes: prot, payload, signature };
  const algId = protMap.get(HDR_ALG) ?? unprotMap.get(HDR_ALG);
  if (typeof algId === 'number') {
    out.algId = algId;
    if (algId === COSE_ALG_ID.ES256) out.alg = 'ES256';
    else if (algId === COSE_ALG_ID.PS256) out.alg = 'PS256';
  }
  const pk = protMap.get(HDR_KID);
  const uk = unprotMap.get(HDR_KID);
  if (pk instanceof Uint8Array) {
    out.kid = pk;
    out.kidIn = 'protected';
  } else if (uk instanceof Uint8Array) {
    out.kid = uk;
    out.kidIn = 'unprotected';
  }
  return out;
}

function safeDecode(bytes: Uint8Array): unknown {
  try {
    return cborDecode(bytes);
  } catch (e) {
    throw new CoseStructureError(`COSE: protected header is not valid CBOR (${(e as Error).message})`);
  }
}

function headerMap(v: unknown, which: string): Map<unknown, unknown> {
  if (v instanceof Map) return v as Map<unknown, unknown>;
  if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)) {
    return new Map(Object.entries(v).map(([k, x]) => [/^-?\d+$/.test(k) ? Number(k) : k, x]));
  }
  throw new CoseStructureError(`COSE: ${which} header is not a map`);
}

/**
 * Checks the signature of a parsed COSE_Sign1 with one public key. Never throws.
 * @param cose - the parsed structure
 * @param alg - algorithm to verify with
 * @param publicKey - candidate key
 */
export function verifyCoseSignature(cose: CoseSign1, alg: CoseAlg, publicKey: KeyObject): boolean {
  const data = sigStructure(cose.protectedBytes, cose.payload);
  try {
    if (alg === 'ES256') {
      if (publicKey.asymmetricKeyType !== 'ec' || cose.signature.length !== 64) return false;
      return cryptoVerify('sha256', data, publicKey, rawToDerEcdsa(cose.signature));
    }
    if (publicKey.asymmetricKeyType !== 'rsa' && publicKey.asymmetricKeyType !== 'rsa-pss') return false;
    return cryptoVerify('sha256', data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, cose.signature);
  } catch {
    return false;
  }
}
