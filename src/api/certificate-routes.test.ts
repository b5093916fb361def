import assert from 'node:assert/strict';
import { createToken } from '../auth/index.js';
import { testEachDialect } from '../db/test-helpers/dialects.js';
import { MemoryTrustStore, verifyHc1 } from '../hcert/index.js';
import { decodeQrImage } from '../hcert/qr/index.js';
import { issueForPerson } from '../issuance/central/index.js';
import { addVaccinated, markVerified, setupIssuance, signAll } from '../issuance/central/test-helpers/issuance-fixture.js';
import { RevocationList, loadDbTrustStore } from '../trust/index.js';
import { createApp } from './app.js';

type Json = Record<string, unknown>;

function call(app: ReturnType<typeof createApp>, token: string, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return Promise.resolve(app.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }));
}

testEachDialect('certificates API: current certificate as JSON/HC1/PNG/SVG, by UVCI, revoke', async ({ db }) => {
  const f = await setupIssuance(db);
  try {
    const app = createApp({ trust: new MemoryTrustStore(), db });
    const ministry = (await createToken(db, { name: 'Bộ Y tế', role: 'ministry' })).secret;
    const facility = (await createToken(db, { name: 'BV', role: 'facility', scope: f.facilityCode })).secret;
    const a = await addVaccinated(db, f, { fullName: 'Ngô Thị Lan', dob: '1991-01-01', sex: 'F', n: 21, doses: [{ vaccine: 'Moderna', date: '2021-09-01', n: 1 }] });
    await markVerified(db, a.personId);
    assert.equal((await call(app, facility, 'GET', `/api/v1/people/${a.personId}/certificate`)).status, 404);
    await signAll(db, f);
    const issued = await issueForPerson(db, a.personId, { signer: f.signer, actor: 'test' });

    const meta = (await (await call(app, facility, 'GET', `/api/v1/people/${a.personId}/certificate`)).json()) as Json;
    assert.equal(meta.uvci, issued.uvci);
    assert.equal(meta.status, 'active');
    const hc1 = await (await call(app, facility, 'GET', `/api/v1/people/${a.personId}/certificate?format=hc1`)).text();
    assert.equal(hc1, meta.hc1);
    const png = await call(app, facility, 'GET', `/api/v1/people/${a.personId}/certificate?format=png`);
    assert.equal(png.headers.get('content-type'), 'image/png');
    assert.deepEqual(await decodeQrImage(new Uint8Array(await png.arrayBuffer())), [hc1]);
    const svg = await (await call(app, facility, 'GET', `/api/v1/people/${a.personId}/certificate?format=svg`)).text();
    assert.match(svg, /^<svg/);
    assert.equal((await db.selectFrom('certificate_qr').selectAll().execute()).length, 2, 'both images cached');
    assert.equal(await (await call(app, facility, 'GET', `/api/v1/people/${a.personId}/certificate?format=svg`)).text(), svg);

    const uvciPath = `/api/v1/certificates/${encodeURIComponent(issued.uvci ?? '')}`;
    assert.equal(((await (await call(app, facility, 'GET', uvciPath)).json()) as Json).id, issued.certificateId);
    assert.equal((await call(app, facility, 'POST', `${uvciPath}/revoke`, { reason: 'fraud' })).status, 403);
    const revoked = (await (await call(app, ministry, 'POST', `${uvciPath}/revoke`, { reason: 'fraud' })).json()) as Json;
    assert.equal(revoked.status, 'revoked');
    assert.equal((await call(app, ministry, 'POST', `${uvciPath}/revoke`, { reason: 'fraud' })).status, 409);
    assert.equal(verifyHc1(hc1, { trust: await loadDbTrustStore(db), revocation: await RevocationList.fromDb(db) }).code, 'HC1_REVOKED');
    assert.equal((await call(app, facility, 'GET', `/api/v1/people/${a.personId}/certificate`)).status, 404);
    const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown> };
    assert.ok(doc.paths['/api/v1/certificates/{uvci}/revoke']);
  } finally {
    await f.close();
  }
});
