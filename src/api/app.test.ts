import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import { MemoryTrustStore, issueHc1 } from '../hcert/index.js';
import { decodeQrImage, renderPng } from '../hcert/qr/index.js';
import { sampleDcc } from '../hcert/test-helpers/sample-dcc.js';
import { makeDevSigner } from '../trust/index.js';
import { createApp } from './app.js';

function blankPng(): Buffer {
  const png = new PNG({ width: 64, height: 64 });
  png.data.fill(255);
  return PNG.sync.write(png);
}

describe('HTTP API', () => {
  let app: ReturnType<typeof createApp>;
  let hc1: string;
  before(async () => {
    const s = await makeDevSigner('ES256');
    const now = Math.floor(Date.now() / 1000);
    hc1 = issueHc1(sampleDcc(), { signer: s.signer, iss: 'VN', iat: now, exp: now + 86400 });
    app = createApp({ trust: new MemoryTrustStore([s.trusted]), dbHealth: () => Promise.resolve('sqlite'), decodeImage: decodeQrImage });
  });

  it('GET /health and /version', async () => {
    const h = await app.request('/health');
    assert.equal(h.status, 200);
    assert.deepEqual(await h.json(), { status: 'ok', db: 'sqlite' });
    const v = (await (await app.request('/version')).json()) as { name: string; version: string };
    assert.equal(v.name, 'vaxpass');
    assert.match(v.version, /^\d+\.\d+\.\d+/);
  });

  it('health answers 503 when the database is down', async () => {
    const down = createApp({ trust: new MemoryTrustStore(), dbHealth: () => Promise.reject(new Error('connection refused')) });
    const r = await down.request('/health');
    assert.equal(r.status, 503);
  });

  it('POST /verify with JSON, text and a QR picture', async () => {
    const j = await app.request('/verify', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ hc1 }) });
    assert.equal(j.status, 200);
    const body = (await j.json()) as { valid: boolean; payload: { nam: { fn: string } } };
    assert.equal(body.valid, true);
    assert.equal(body.payload.nam.fn, 'Nguyễn');
    const t = (await (await app.request('/verify', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: hc1 })).json()) as { valid: boolean };
    assert.equal(t.valid, true);
    const png = renderPng(hc1);
    const p = (await (await app.request('/verify', { method: 'POST', headers: { 'content-type': 'image/png' }, body: png })).json()) as { valid: boolean };
    assert.equal(p.valid, true);
  });

  it('answers a verdict, not an HTTP error, for a bad certificate; honours ?at=', async () => {
    const r = (await (await app.request('/verify', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'HC1:%%%' })).json()) as { valid: boolean; code: string };
    assert.deepEqual([r.valid, r.code], [false, 'HC1_BASE45']);
    const late = (await (await app.request('/verify?at=2100-01-01T00:00:00Z', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: hc1 })).json()) as { code: string };
    assert.equal(late.code, 'HC1_EXPIRED');
  });

  it('answers problem+json for bad requests', async () => {
    const cases: [RequestInit, number, string][] = [
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' }, 400, 'BAD_REQUEST'],
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"x":1}' }, 400, 'BAD_REQUEST'],
      [{ method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<x/>' }, 415, 'UNSUPPORTED_MEDIA_TYPE'],
      [{ method: 'POST', headers: { 'content-type': 'image/png' }, body: Buffer.from('not a picture') }, 400, 'QR_IMAGE_INVALID'],
      [{ method: 'POST', headers: { 'content-type': 'image/png' }, body: blankPng() }, 422, 'QR_NOT_FOUND'],
    ];
    for (const [init, status, code] of cases) {
      const r = await app.request('/verify', init);
      assert.equal(r.status, status, code);
      assert.equal(r.headers.get('content-type'), 'application/problem+json');
      const p = (await r.json()) as { code: string; detail: string };
      assert.equal(p.code, code);
      assert.ok(p.detail.length > 0);
    }
    const nf = await app.request('/nope');
    assert.equal(nf.status, 404);
  });
});
