import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { issueHc1 } from '../hcert/index.js';
import { renderPng } from '../hcert/qr/index.js';
import { sampleDcc } from '../hcert/test-helpers/sample-dcc.js';
import { makeDevSigner } from '../trust/index.js';
import { main } from './main.js';
import { captureOutput } from './test-helpers/capture-output.js';

/** Runs the CLI in-process and captures what it prints. */
async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { result, out, err } = await captureOutput(() => main(['node', 'vaxpass', ...args]));
  return { code: result, out, err };
}

describe('vaxpass verify', () => {
  let dir: string;
  let hc1: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vaxpass-cli-'));
    const s = await makeDevSigner('ES256');
    writeFileSync(join(dir, 'dsc.pem'), s.certificate.toString());
    const now = Math.floor(Date.now() / 1000);
    hc1 = issueHc1(sampleDcc(), { signer: s.signer, iss: 'VN', iat: now, exp: now + 86400 });
    writeFileSync(join(dir, 'qr.png'), renderPng(hc1));
  });

  it('exits 0 for a valid certificate, from text or a picture', async () => {
    const r = await run('verify', hc1, '--trust', join(dir, 'dsc.pem'));
    assert.equal(r.code, 0, r.out + r.err);
    assert.match(r.out, /^VALID/);
    assert.match(r.out, /country VN/);
    const p = await run('verify', join(dir, 'qr.png'), '--trust', dir, '--json');
    assert.equal(p.code, 0);
    assert.equal((JSON.parse(p.out) as { valid: boolean }).valid, true);
  });

  it('exits 1 for an invalid one and names the step; an unknown signer still shows the payload', async () => {
    const late = await run('verify', hc1, '--trust', dir, '--at', '2100-01-01T00:00:00Z');
    assert.equal(late.code, 1);
    assert.match(late.out, /INVALID HC1_EXPIRED/);
    const unknown = await run('verify', hc1, '--trust', join(dir, 'none'));
    assert.equal(unknown.code, 1);
    assert.match(unknown.out, /HC1_KID_UNKNOWN/);
    assert.match(unknown.out, /unverified/);
    assert.match(unknown.out, /Nguyễn/);
  });

  it('exits 2 for bad usage', async () => {
    assert.equal((await run('verify')).code, 2);
    assert.equal((await run('verify', hc1, '--at', 'yesterday')).code, 2);
    assert.equal((await run('nonsense')).code, 2);
  });
});
