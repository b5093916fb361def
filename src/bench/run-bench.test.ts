import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import { registerBench } from '../cli/commands/bench.js';
import { runBench } from './run-bench.js';

// Only checks that the bench runs and reports every figure: no timing assertions (shared machine).
const REQUIRED = [
  'cores',
  'openssl.es256_sign_per_s',
  'openssl.es256_verify_per_s',
  'openssl.rsa2048_sign_per_s',
  'es256.issue_per_s',
  'es256.verify_per_s',
  'ps256.issue_per_s',
  'ps256.verify_per_s',
  'peer.es256.issue_per_s',
  'peer.es256.verify_per_s',
  'pool.es256.issue_per_s',
  'qr.svg_per_s',
  'openssl.es256_sign_all_cores_per_s',
  'cpu_time.openssl.es256_sign_per_s',
  'cpu_time.es256.issue_per_s',
  'cpu_time.es256.verify_per_s',
  'cpu_time.ps256.issue_per_s',
  'cpu_time.peer.es256.verify_per_s',
  'cpu_time.pool.es256.issue_per_s',
  'keys.file.es256_sign_per_s',
  'keys.file.ps256_sign_per_s',
];

function at(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], obj);
}

describe('vaxpass bench', () => {
  it('runs with a tiny window and reports every key as a positive number', { timeout: 120_000 }, async () => {
    const r = await runBench({ seconds: 0.02, rounds: 1 });
    const json: unknown = JSON.parse(JSON.stringify(r));
    for (const key of REQUIRED) {
      const v = at(json, key);
      assert.ok(typeof v === 'number' && v > 0, `${key} = ${String(v)}`);
    }
    assert.equal(r.goals.length, 9);
    assert.ok(r.goals.some((g) => g.id === 'hsm_es256_vs_file'));
    // SoftHSM2 is set up on the fly where it can be; elsewhere the figures say why they are missing.
    if (r.keys.hsm.available) for (const k of ['keys.hsm.es256_sign_per_s', 'keys.hsm.ps256_sign_per_s']) assert.ok((at(json, k) as number) > 0, k);
    else assert.match(r.keys.hsm.reason ?? '', /./);
    for (const g of r.goals) assert.equal(typeof g.pass, 'boolean');
    for (const stage of ['cbor_cwt', 'cose_sign', 'deflate', 'base45']) assert.ok(at(r.stages.es256, `issue.${stage}.per_s`), stage);
    for (const stage of ['base45_decode', 'inflate', 'cose_parse', 'cwt_decode', 'signature', 'schema', 'value_sets']) {
      assert.ok(at(r.stages.es256, `verify.${stage}.per_s`), stage);
    }
    assert.deepEqual(r.peer.interop, { ours_verifies_peer: true, peer_verifies_ours: true });
  });

  it('refuses a non-positive --seconds', async () => {
    const program = new Command('vaxpass').exitOverride().configureOutput({ writeErr: () => undefined });
    registerBench(program);
    await assert.rejects(program.parseAsync(['node', 'vaxpass', 'bench', '--seconds', '0']), /positive number/);
  });
});
