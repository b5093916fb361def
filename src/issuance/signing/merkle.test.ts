import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { decodeProof, encodeProof, leafHash, merkleTree, rootFromProof } from './merkle.js';

// The RFC 9162 §2.1.1 / §2.1.3.1 definitions, written as literally as possible, as the reference.
const H = (...parts: Uint8Array[]): Buffer => parts.reduce((h, p) => h.update(p), createHash('sha256')).digest();
function mth(d: Uint8Array[]): Buffer {
  if (d.length === 1) return H(Buffer.from([0]), d[0]!);
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return H(Buffer.from([1]), mth(d.slice(0, k)), mth(d.slice(k)));
}
function path(m: number, d: Uint8Array[]): Buffer[] {
  if (d.length === 1) return [];
  let k = 1;
  while (k * 2 < d.length) k *= 2;
  return m < k ? [...path(m, d.slice(0, k)), mth(d.slice(k))] : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
}
const leaves = (n: number): Buffer[] => Array.from({ length: n }, (_, i) => H(Buffer.from(`record ${i}`)));

describe('Merkle batch signing (RFC 9162 tree hash and inclusion proofs)', () => {
  it('root and every proof equal the RFC definitions, and every proof leads to the root (1–70 leaves)', () => {
    for (let n = 1; n <= 70; n++) {
      const d = leaves(n);
      const t = merkleTree(d);
      assert.ok(t.root.equals(mth(d)), `root n=${n}`);
      for (let i = 0; i < n; i++) {
        assert.deepEqual(t.proofs[i]!.map((b) => b.toString('hex')), path(i, d).map((b) => b.toString('hex')), `proof ${i}/${n}`);
        assert.ok(rootFromProof(d[i]!, i, n, t.proofs[i]!)?.equals(t.root), `verify ${i}/${n}`);
      }
    }
  });

  it('a changed leaf, sibling or position does not lead to the root (the size is part of the signed batch message)', () => {
    const d = leaves(13);
    const t = merkleTree(d);
    for (let i = 0; i < 13; i++) {
      const p = t.proofs[i]!;
      assert.ok(!rootFromProof(H(Buffer.from('forged')), i, 13, p)?.equals(t.root), 'other leaf');
      const bad = p.map((x) => Buffer.from(x));
      bad[0]![0] = bad[0]![0]! ^ 1;
      assert.ok(!rootFromProof(d[i]!, i, 13, bad)?.equals(t.root), 'flipped sibling bit');
      if (i + 1 < 13) assert.ok(!rootFromProof(d[i]!, i + 1, 13, p)?.equals(t.root), 'other position');
      assert.equal(rootFromProof(d[i]!, i, 13, [...p, t.root]), null, 'proof too long');
    }
    assert.equal(rootFromProof(d[0]!, 13, 13, t.proofs[0]!), null, 'index out of range');
    assert.equal(rootFromProof(d[0]!, -1, 13, t.proofs[0]!), null);
    assert.equal(rootFromProof(d[0]!, 0, 13, t.proofs[0]!.slice(1)), null, 'proof too short');
  });

  it('leaves and inner nodes are domain-separated (a node cannot pose as a leaf)', () => {
    const d = leaves(2);
    const t = merkleTree(d);
    // The 64 bytes under the root, offered as one leaf of a 1-leaf tree, give another hash.
    assert.ok(!leafHash(Buffer.concat([leafHash(d[0]!), leafHash(d[1]!)])).equals(t.root));
    assert.throws(() => merkleTree([]), RangeError);
  });

  it('stores proofs as base64 and refuses malformed ones', () => {
    const t = merkleTree(leaves(9));
    for (const p of t.proofs) assert.deepEqual(decodeProof(encodeProof(p))?.map((b) => b.toString('hex')), p.map((b) => b.toString('hex')));
    assert.deepEqual(decodeProof(''), []);
    assert.equal(decodeProof(Buffer.alloc(31).toString('base64')), null);
    assert.equal(decodeProof('not base64!'), null);
  });
});
