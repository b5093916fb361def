/**
 * The cryptographic half of a facility-signature verdict (see verify-dose-signature.ts for the
 * rest): the record's canonical bytes hash to what was signed, and the signature — one per
 * record, or a batch signature over a Merkle root reached through the record's inclusion proof —
 * verifies under the signing unit's key. Pure CPU on structured-clone-friendly input, importing
 * only node:crypto and sibling pure modules, so the national batch's worker threads load it
 * without the registry or the database.
 */
import { hash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { canonicalBatch } from './canonical-dose.js';
import { decodeProof, leafHash, nodeHash, split } from './merkle.js';
import { verifyUnitSignature } from './unit-signature.js';

/** The cryptographic check of a `valid` verdict, left to the caller (see `deferCrypto`). */
export interface DoseSignatureCheck {
  readonly doseId: number;
  readonly signatureId: number;
  /**
   * The RFC 8785 text of the record as read now, with the signature's signer and time: built
   * once, on the reading thread, from the database row (a string is cheap to send to a worker).
   */
  readonly canonical: string;
  /** Signing unit's facility code. */
  readonly signer: string;
  /** Hex SHA-256 of the canonical bytes as signed. */
  readonly sha256: string;
  /** base64. */
  readonly signature: string;
  readonly alg: string;
  readonly certificateId: number;
  readonly kid: string;
  /** When it was signed (ISO-8601 UTC): part of the batch message of a batch signature. */
  readonly signedAt: string;
  /** Batch signature: the record's leaf position, the batch size and its inclusion proof (base64). */
  readonly merkle?: { readonly index: number; readonly size: number; readonly proof: string };
}

/**
 * Checks one record's signature.
 * @param c - the deferred check (from a verdict's `deferred`)
 * @param publicKey - the key of certificate `c.certificateId`
 * @returns null when valid, else why (a sentence for the verdict message)
 */
export function checkDoseSignature(c: DoseSignatureCheck, publicKey: KeyObject): string | null {
  // crypto.hash encodes the string as UTF-8 itself: no Buffer per record on the batch path.
  const digest = hash('sha256', c.canonical, 'buffer');
  if (digest.toString('hex') !== c.sha256) {
    return 'the record differs from the data that was signed, and its version was not bumped: it was changed outside the registry (tampering)';
  }
  if (c.merkle) {
    const { index, size } = c.merkle;
    const proof = decodeProof(c.merkle.proof);
    const verdict = proof ? checkInclusion(c, publicKey, digest, proof) : 'malformed';
    if (verdict === 'malformed') return `its batch inclusion proof is malformed (leaf ${index} of ${size})`;
    if (verdict === 'bad') {
      return `the batch signature does not verify against certificate ${c.certificateId} (kid ${c.kid}) of ${c.signer} (leaf ${index} of ${size}: the record, its proof or the signature was altered)`;
    }
    return null;
  }
  if (!verifyUnitSignature(c.alg, publicKey, Buffer.from(c.canonical, 'utf8'), Buffer.from(c.signature, 'base64'))) {
    return `the signature does not verify against certificate ${c.certificateId} (kid ${c.kid}) of ${c.signer}`;
  }
  return null;
}

/**
 * The message of an `invalid` verdict whose deferred check failed.
 * @param c - the check
 * @param why - from {@link checkDoseSignature}
 */
export function invalidSignatureMessage(c: DoseSignatureCheck, why: string): string {
  return `dose ${c.doseId}: signature ${c.signatureId} is invalid: ${why}`;
}

/**
 * Verified batches per key: for each batch (signature and signed message), the hashes of the
 * tree nodes already shown to lead to its signed root — the nodes of verified paths and their
 * siblings — by node range. A record whose path meets one of them is proven included without
 * hashing further up or checking the signature again (the rest of its proof is compared with
 * the known siblings): a batch's 64 records cost ~2 hashes each instead of ~7, the first one
 * pays the climb and the ECDSA check. Only nodes of a path whose root verified are stored, and
 * a batch is keyed by everything its signature covers, so a node only vouches for its own tree.
 */
const verifiedBatches = new WeakMap<KeyObject, Map<string, Map<number, Buffer>>>();
/**
 * Batches remembered per key: up to 127 nodes of a 64-record batch, ~30 kB with their Buffers, so
 * ~15 MB at most. A national run reads records in person order, and a page of 2,000 people
 * touches ~80 batches, so this keeps every batch still being read.
 */
const BATCHES_MAX = 512;

/** A node range [from, to) as a number key (batches are far below 2^20 leaves). */
const rangeKey = (from: number, to: number): number => from * 1_048_576 + to;

/**
 * Whether the leaf is in the signed batch (RFC 9162 §2.1.3.2, computed top-down so each node's
 * leaf range is known and can be looked up among the verified ones).
 */
function checkInclusion(c: DoseSignatureCheck, publicKey: KeyObject, digest: Uint8Array, proof: readonly Uint8Array[]): 'ok' | 'bad' | 'malformed' {
  const { index, size } = c.merkle!;
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size || size >= 1_048_576) return 'malformed';
  // Ranges of the nodes on the leaf's path, root first: [0,n) … [i,i+1).
  const froms: number[] = [0];
  const tos: number[] = [size];
  for (let from = 0, to = size; to - from > 1; ) {
    const k = split(to - from);
    if (index < from + k) to = from + k;
    else from += k;
    froms.push(from);
    tos.push(to);
  }
  const depth = froms.length - 1;
  /** The node beside the path's node at `level`: the other half of its parent. */
  const siblingKey = (level: number): number => (froms[level] === froms[level - 1] ? rangeKey(tos[level]!, tos[level - 1]!) : rangeKey(froms[level - 1]!, froms[level]!));
  if (proof.length !== depth || proof.some((p) => p.length !== 32)) return 'malformed';

  let byKey = verifiedBatches.get(publicKey);
  if (!byKey) {
    byKey = new Map();
    verifiedBatches.set(publicKey, byKey);
  }
  const batchKey = `${c.alg} ${c.signature} ${c.signer} ${c.signedAt} ${size}`;
  const nodes = byKey.get(batchKey);
  const climbed: [number, Buffer][] = [];
  let r = leafHash(digest);
  for (let level = depth; level > 0; level--) {
    const sibling = proof[depth - level]!;
    // The node at `level` is the left child when it starts where its parent starts.
    r = froms[level] === froms[level - 1] ? nodeHash(r, sibling) : nodeHash(sibling, r);
    const parentKey = rangeKey(froms[level - 1]!, tos[level - 1]!);
    const known = nodes?.get(parentKey);
    if (known) {
      if (!known.equals(r)) return 'bad';
      // The rest of the proof must still be the verified siblings: a damaged proof is refused
      // whether or not the batch is known, so the verdict never depends on what was seen before.
      for (let l = level - 1; l > 0; l--) if (!nodes?.get(siblingKey(l))?.equals(proof[depth - l]!)) return 'bad';
      return 'ok';
    }
    climbed.push([parentKey, r], [siblingKey(level), Buffer.from(sibling)]);
  }
  // A one-leaf batch: the leaf is the root, and there was nothing to climb.
  const knownRoot = depth === 0 ? nodes?.get(rangeKey(0, 1)) : undefined;
  if (knownRoot) return knownRoot.equals(r) ? 'ok' : 'bad';
  const message = canonicalBatch(r.toString('hex'), { signer: c.signer, signedAt: c.signedAt, size });
  if (!verifyUnitSignature(c.alg, publicKey, Buffer.from(message, 'utf8'), Buffer.from(c.signature, 'base64'))) return 'bad';
  let verified = nodes;
  if (!verified) {
    if (byKey.size >= BATCHES_MAX) byKey.clear();
    verified = new Map();
    byKey.set(batchKey, verified);
  }
  if (depth === 0) verified.set(rangeKey(0, 1), r);
  for (const [key, hashOf] of climbed) verified.set(key, hashOf);
  return 'ok';
}
