import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { describeEachDialect, testEachDialect } from '../db/test-helpers/dialects.js';
import { MemoryTrustStore } from '../hcert/index.js';
import { KeyCustody, pkiInit, verifyPublishedTrustList } from '../trust/pki/index.js';
import type { TrustListEntry } from '../trust/pki/index.js';
import { createApp } from './app.js';
import { etagMatches, trustPublishRoutes } from './trust-publish-routes.js';

function appWith(db: Parameters<typeof trustPublishRoutes>[0], custody: KeyCustody): ReturnType<typeof createApp> {
  const app = createApp({ trust: new MemoryTrustStore() });
  app.route('/', trustPublishRoutes(db, { custody }));
  return app;
}

describeEachDialect('trust publishing routes', (getDb) => {
  let dir: string;
  let custody: KeyCustody;
  let app: ReturnType<typeof createApp>;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vaxpass-publish-'));
    custody = new KeyCustody({ backend: 'file', keyDir: dir, secretFile: join(dir, 'secret'), passphrase: 'p' });
    await pkiInit(getDb().db, { custody });
    app = appWith(getDb().db, custody);
  });
  after(() => {
    custody.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('GET /trust/dsc: EU gateway format, strong ETag, 304 on If-None-Match', async () => {
    const r = await app.request('/trust/dsc');
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /application\/json/);
    const etag = r.headers.get('etag')!;
    assert.match(etag, /^"[A-Za-z0-9_-]+"$/);
    const list = (await r.json()) as TrustListEntry[];
    assert.equal(list.length, 1);
    assert.deepEqual(Object.keys(list[0]!).sort(), ['certificateType', 'country', 'kid', 'rawData', 'signature', 'thumbprint', 'timestamp']);
    assert.equal(list[0]!.certificateType, 'DSC');
    const again = await app.request('/trust/dsc', { headers: { 'if-none-match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('etag'), etag);
    assert.equal(await again.text(), '');
    assert.equal((await app.request('/trust/dsc', { headers: { 'if-none-match': '"other"' } })).status, 200);
  });

  it('the detached signature proves the list against the CSCA; an altered body fails', async () => {
    const signerPem = await (await app.request('/trust/signer')).text();
    assert.equal(signerPem.match(/BEGIN CERTIFICATE/g)?.length, 2);
    const cscaRes = await app.request('/trust/csca');
    const cscaBody = await cscaRes.text();
    const csca = (JSON.parse(cscaBody) as TrustListEntry[])[0]!;
    assert.equal(csca.certificateType, 'CSCA');
    // The verifier pins the CSCA out of band; here we take it from the list and check it is ours.
    const cscaPem = new X509Certificate(Buffer.from(csca.rawData, 'base64')).toString();
    assert.equal(verifyPublishedTrustList(cscaBody, cscaRes.headers.get('x-signature')!, signerPem, cscaPem).valid, true);
    const r = await app.request('/trust/dsc');
    const body = await r.text();
    const sig = r.headers.get('x-signature')!;
    const v = verifyPublishedTrustList(body, sig, signerPem, cscaPem);
    assert.equal(v.valid, true, v.reason);
    assert.equal(verifyPublishedTrustList(`${body} `, sig, signerPem, cscaPem).valid, false);
    assert.equal(verifyPublishedTrustList(body.replace(/"kid":"./, '"kid":"A'), sig, signerPem, cscaPem).valid, false);
  });
});

testEachDialect('trust publishing before pki init answers 503 PKI_NOT_INITIALISED', async ({ db }) => {
  const custody = new KeyCustody({ backend: 'file', keyDir: '/nonexistent', secretFile: '/nonexistent', passphrase: 'p' });
  const r = await appWith(db, custody).request('/trust/dsc');
  assert.equal(r.status, 503);
  assert.equal(((await r.json()) as { code: string }).code, 'PKI_NOT_INITIALISED');
});

it('etagMatches', () => {
  assert.equal(etagMatches(undefined, '"a"'), false);
  assert.equal(etagMatches('"b", "a"', '"a"'), true);
  assert.equal(etagMatches('W/"a"', '"a"'), true);
  assert.equal(etagMatches('*', '"a"'), true);
  assert.equal(etagMatches('"b"', '"a"'), false);
});
