import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const repo = resolve(import.meta.dirname, '..', '..', '..');
const tsx = import.meta.resolve('tsx');
const mainTs = join(repo, 'src', 'cli', 'main.ts');

/** Runs `vaxpass start` in `cwd` until it serves; resolves with its output and a stop function. */
function startServer(cwd: string, port: number): Promise<{ out: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', tsx, '--input-type=module', '-e', `const m = await import(${JSON.stringify(mainTs)}); process.exitCode = await m.main(['node', 'vaxpass', 'start']);`], {
    cwd,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', VAXPASS_SEED_PEOPLE: '300', VAXPASS_NOTIFY_TRANSPORT: 'console', VAXPASS_DB: join(cwd, 'data', 'vaxpass.db') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`start did not serve in time:\n${out}\n${err}`));
    }, 240_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (/sample (passport|certificate)[^\n]*\n[^\n]*HC1:[^']*'/.test(out)) {
        clearTimeout(timer);
        res({
          out,
          stop: () =>
            new Promise<void>((done) => {
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`start exited (${String(code)}):\n${out}\n${err}`));
    });
  });
}

test('npm start on an empty machine: seeds, verifies, signs, issues, serves; a second start reuses it all', { timeout: 600_000 }, async () => {
  const cwd = mkdtempSync(join(tmpdir(), 'vaxpass-start-'));
  const port = 40_000 + Math.floor(Math.random() * 20_000);
  const first = await startServer(cwd, port);
  try {
    const issued = /issue\s+(\d+) passports issued/.exec(first.out);
    assert.ok(issued && Number(issued[1]) > 0, first.out);
    assert.match(first.out, /seed\s+province 01: 300 people/);
    assert.match(first.out, /verify\s+\d+ sent: \d+ verified/);
    assert.match(first.out, /sign\s+\d+ dose records signed by 1 signing unit/);
    assert.match(first.out, /admin\s+national\s+vp_/);
    const hc1 = /--data '(HC1:[^']+)'/.exec(first.out)?.[1] ?? '';
    const verdict = (await (await fetch(`http://127.0.0.1:${port}/verify`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: hc1 })).json()) as { valid: boolean };
    assert.equal(verdict.valid, true);
    const admin = /admin\s+national\s+(vp_\S+)/.exec(first.out)?.[1] ?? '';
    const funnel = await fetch(`http://127.0.0.1:${port}/api/v1/stats/funnel`, { headers: { authorization: `Bearer ${admin}` } });
    assert.equal(funnel.status, 200);
  } finally {
    await first.stop();
  }
  const second = await startServer(cwd, port);
  try {
    assert.match(second.out, /seed\s+reused/);
    assert.match(second.out, /issue\s+0 passports issued/);
  } finally {
    await second.stop();
  }
});
