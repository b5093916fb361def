import assert from 'node:assert/strict';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { canonicalBatch } from './canonical-dose.js';
import { checkDoseSignature } from './check-dose-signature.js';
import type { DoseSignatureCheck } from './check-dose-signature.js';
import { encodeProof, merkleTree } from './merkle.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const sha = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** A signed batch of `n` records, as the checks a reader would hand over. */
function batch(n: number, signedAt = '2022-05-01T00:00:00.000Z'): DoseSignatureCheck[] {
  const texts = Array.from({ length: n }, (_, i) => `{"record":${i},"at":"${signedAt}"}`);
  const tree = merkleTree(texts.map(sha));
  const message = canonicalBatch(tree.root.toString('hex'), { signer: 'SYT-01', signedAt, size: n });
  const signature = sign('sha256', Buffer.from(message, 'utf8'), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64');
  return texts.map((canonical, i) => ({
    doseId: i + 1,
    signatureId: 100 + i,
    canonical,
    signer: 'SYT-01',
    sha256: sha(canonical).toString('hex'),
    signature,
    alg: 'ES256',
    certificateId: 7,
    kid: 'kid',
    signedAt,
    merkle: { index: i, size: n, proof: encodeProof(tree.proofs[i]!) },
  }));
}

/** Flips one bit of the proof's `k`-th hash. */
function flipProof(c: DoseSignatureCheck, k: number): DoseSignatureCheck {
  const bytes = Buffer.from(c.merkle!.proof, 'base64');
  bytes[k * 32] = bytes[k * 32]! ^ 1;
  return { ...c, merkle: { ...c.merkle!, proof: bytes.toString('base64') } };
}

describe('checkDoseSignature with verified batches remembered', () => {
  it('every record of batches of 1–70 verifies, in any order, cold and warm', () => {
    for (let n = 1; n <= 70; n++) {
      const checks = batch(n, `2022-05-01T00:00:${String(n % 60).padStart(2, '0')}.${String(n).padStart(3, '0')}Z`);
      const order = checks.map((_, i) => (i * 37) % n).filter((v, i, a) => a.indexOf(v) === i);
      for (const i of [...order, ...checks.keys()]) assert.equal(checkDoseSignature(checks[i]!, publicKey), null, `leaf ${i} of ${n}`);
    }
  });

  it('after the batch is known, an altered record, proof, position or signature still fails', () => {
    const checks = batch(13, '2022-06-01T00:00:00.000Z');
    for (const c of checks) assert.equal(checkDoseSignature(c, publicKey), null);
    for (const [i, c] of checks.entries()) {
      const depth = Buffer.from(c.merkle!.proof, 'base64').length / 32;
      for (let k = 0; k < depth; k++) assert.match(checkDoseSignature(flipProof(c, k), publicKey) ?? '', /batch signature does not verify .*leaf/, `leaf ${i}, sibling ${k}`);
      const other = checks[(i + 1) % 13]!;
      assert.notEqual(checkDoseSignature({ ...c, merkle: { ...c.merkle!, index: other.merkle!.index } }, publicKey), null, `leaf ${i} at another position`);
      assert.match(checkDoseSignature({ ...c, canonical: `${c.canonical} ` }, publicKey) ?? '', /tampering/);
    }
    // Same record and proof, another signature over the same root: a different question, so it is checked.
    const forged = { ...checks[0]!, signature: Buffer.alloc(64, 1).toString('base64') };
    assert.match(checkDoseSignature(forged, publicKey) ?? '', /batch signature does not verify/);
    assert.match(checkDoseSignature({ ...checks[0]!, merkle: { ...checks[0]!.merkle!, size: 14 } }, publicKey) ?? '', /malformed|does not verify/);
  });

  it('a record that fails first leaves nothing behind: the good ones of its batch still verify, the bad one never does', () => {
    const checks = batch(8, '2022-07-01T00:00:00.000Z');
    const bad = flipProof(checks[5]!, 1);
    assert.notEqual(checkDoseSignature(bad, publicKey), null);
    for (const c of checks) assert.equal(checkDoseSignature(c, publicKey), null);
    assert.notEqual(checkDoseSignature(bad, publicKey), null);
    // One-leaf batch: known root, then an altered leaf text with a matching hash claim.
    const [single] = batch(1, '2022-07-02T00:00:00.000Z');
    assert.equal(checkDoseSignature(single!, publicKey), null);
    const altered = { ...single!, canonical: '{"other":1}', sha256: sha('{"other":1}').toString('hex') };
    assert.match(checkDoseSignature(altered, publicKey) ?? '', /does not verify/);
  });

  it('a proof of the wrong length or shape is malformed', () => {
    const checks = batch(5, '2022-08-01T00:00:00.000Z');
    const c = checks[2]!;
    const proof = Buffer.from(c.merkle!.proof, 'base64');
    assert.match(checkDoseSignature({ ...c, merkle: { ...c.merkle!, proof: proof.subarray(32).toString('base64') } }, publicKey) ?? '', /malformed/);
    assert.match(checkDoseSignature({ ...c, merkle: { ...c.merkle!, proof: Buffer.concat([proof, proof.subarray(0, 32)]).toString('base64') } }, publicKey) ?? '', /malformed/);
    assert.match(checkDoseSignature({ ...c, merkle: { ...c.merkle!, proof: 'AAAA' } }, publicKey) ?? '', /malformed/);
    assert.match(checkDoseSignature({ ...c, merkle: { ...c.merkle!, index: 5 } }, publicKey) ?? '', /malformed/);
    assert.match(checkDoseSignature({ ...c, merkle: { ...c.merkle!, index: -1 } }, publicKey) ?? '', /malformed/);
  });
});
