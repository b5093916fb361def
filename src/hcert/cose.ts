/**
 * COSE_Sign1 (RFC 8152 §4.2) for HCERT: protected header {alg, kid}, empty unprotected header,
 * the CWT as payload, and a signature over Sig_structure ["Signature1", protected, h'', payload].
 *
 * The fixed-shape parts (protected header, Sig_structure, the Sign1 array) are framed by hand:
 * they are a few constant bytes, and a generic CBOR encoder pass per certificate costs more than
 * the framing itself on the issue hot path. Parsing uses the generic decoder, because foreign
 * certificates vary (tag 18 or none, CWT tag 61, kid in the unprotected header…).
 */
import { constants, verify as cryptoVerify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { Tag, cborDecode } from './cbor.js';
import { CoseStructureError } from './errors.js';
import { COSE_ALG_ID } from './signer.js';
import type { CoseAlg, Signer } from './signer.js';

const HDR_ALG = 1;
const HDR_KID = 4;
const TAG_SIGN1 = 18;
const TAG_CWT = 61;
const SIGNATURE1 = Buffer.from('jSignature1', 'latin1'); // 0x6a = text string of length 10

/** CBOR head of a byte string of `len` bytes. */
function bstrHead(len: number): Buffer {
  if (len < 24) return Buffer.from([0x40 + len]);
  if (len < 0x100) return Buffer.from([0x58, len]);
  if (len < 0x10000) return Buffer.from([0x59, len >> 8, len & 0xff]);
  const b = Buffer.allocUnsafe(5);
  b[0] = 0x5a;
  b.writeUInt32BE(len, 1);
  return b;
}

function bstr(bytes: Uint8Array): Buffer {
  return Buffer.concat([bstrHead(bytes.length), bytes]);
}

/**
 * Encoded protected header {1: alg, 4: kid}.
 * @param alg - ES256 or PS256
 * @param kid - key identifier
 */
export function protectedHeader(alg: CoseAlg, kid: Uint8Array): Buffer {
  // alg -7 is the single byte 0x26; -37 is 0x38 0x24 (negative integer, one-byte argument).
  const algBytes = alg === 'ES256' ? [0x26] : [0x38, 0x24];
  return Buffer.concat([Buffer.from([0xa2, HDR_ALG, ...algBytes, HDR_KID]), bstr(kid)]);
}

/**
 * Sig_structure for COSE_Sign1 with empty external AAD.
 * @param protectedBytes - the protected header exactly as carried (never re-encoded)
 * @param payload - the payload bytes
 */
export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from([0x84]), SIGNATURE1, bstrHead(protectedBytes.length), protectedBytes, Buffer.from([0x40]), bstrHead(payload.length), payload]);
}

/**
 * Signs a payload into a tagged COSE_Sign1.
 * @param payload - the CWT bytes
 * @param signer - key and algorithm
 */
export function signCose(payload: Uint8Array, signer: Signer): Buffer {
  const prot = protectedHeader(signer.alg, signer.kid);
  const signature = signer.sign(sigStructure(prot, payload));
  return Buffer.concat([Buffer.from([0xd2, 0x84]), bstrHead(prot.length), prot, Buffer.from([0xa0]), bstrHead(payload.length), payload, bstrHead(signature.length), signature]);
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
 * @param bytes - the decompressed COSE bytes
 */
export function parseCose(bytes: Uint8Array): CoseSign1 {
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
      return cryptoVerify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, cose.signature);
    }
    if (publicKey.asymmetricKeyType !== 'rsa' && publicKey.asymmetricKeyType !== 'rsa-pss') return false;
    return cryptoVerify('sha256', data, { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_AUTO }, cose.signature);
  } catch {
    return false;
  }
}
