import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createToken } from '../auth/index.js';
import { openTestDb, testEachDialect } from '../db/test-helpers/dialects.js';
import { MemoryTrustStore } from '../hcert/index.js';
import { addFacility } from '../registry/index.js';
import { TEMPLATE_HEADERS, importFile } from '../registry/import/index.js';
import { generateCccd } from '../registry/validate/index.js';
import { createApp } from './app.js';

type Json = Record<string, unknown>;
type Bundle = { resourceType: string; type: string; entry: { fullUrl: string; resource: Json; search?: { mode: string } }[] };

const dir = mkdtempSync(join(tmpdir(), 'vaxpass-fhir-api-'));
const an = generateCccd('001', 1985, 'M', 1);
const GOOD = [
  ['Nguyễn Văn An', '12/03/1985', 'Nam', an, '0912345678', '01', 'AstraZeneca', 'AB1', '15/08/2021', 1],
  ['Nguyễn Văn An', '12/03/1985', 'Nam', an, '0912345678', '01', 'AstraZeneca', 'AB2', '10/10/2021', 2],
  ['Trần Thị Bình', '1990-05-20', 'Nữ', generateCccd('079', 1990, 'F', 2), '', '79', 'Pfizer', 'FK1', '2021-09-01', 1],
];

function call(app: ReturnType<typeof createApp>, token: string, method: string, path: string, body?: string, type = 'application/fhir+json'): Promise<Response> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = type;
  return Promise.resolve(app.request(path, { method, headers, ...(body === undefined ? {} : { body }) }));
}

testEachDialect('FHIR API: Patient read, facility Bundle export, Bundle import with a broken entry, round trip', async ({ db, dialect }) => {
  await addFacility(db, { code: 'HN-A', name: 'Trạm Y tế A', provinceCode: '01' }, 't');
  await addFacility(db, { code: 'HN-B', name: 'Trạm Y tế B', provinceCode: '01' }, 't');
  const file = join(dir, `good-${dialect}.csv`);
  writeFileSync(file, [TEMPLATE_HEADERS, ...GOOD].map((r) => r.join(',')).join('\n'));
  assert.equal((await importFile(db, dialect, file, { facilityCode: 'HN-A', actor: 't', errorReport: null })).imported, 3);
  const app = createApp({ trust: new MemoryTrustStore(), db, importReportDir: join(dir, `reports-${dialect}`) });
  const tokA = (await createToken(db, { name: 'A', role: 'facility', scope: 'HN-A' })).secret;
  const tokB = (await createToken(db, { name: 'B', role: 'facility', scope: 'HN-B' })).secret;

  const exported = await call(app, tokA, 'GET', '/api/v1/fhir/Bundle?facility=HN-A');
  assert.equal(exported.status, 200);
  assert.equal(exported.headers.get('content-type'), 'application/fhir+json');
  const bundle = (await exported.json()) as Bundle;
  assert.deepEqual([bundle.resourceType, bundle.type], ['Bundle', 'searchset']);
  assert.deepEqual(bundle.entry.map((e) => e.resource.resourceType), ['Patient', 'Patient', 'Immunization', 'Immunization', 'Immunization']);
  assert.equal((await call(app, tokB, 'GET', '/api/v1/fhir/Bundle?facility=HN-A')).status, 403);
  assert.equal((await call(app, tokA, 'GET', '/api/v1/fhir/Bundle')).status, 400);

  const patientId = Number(String(bundle.entry[0]?.fullUrl).split('/').pop());
  const patient = await call(app, tokB, 'GET', `/api/v1/fhir/Patient/${patientId}`);
  assert.equal(patient.status, 200);
  assert.equal(((await patient.json()) as Json).resourceType, 'Patient');
  assert.equal((await call(app, tokA, 'GET', '/api/v1/fhir/Patient/9999')).status, 404);

  // Round trip into another database, with one broken Immunization added.
  const other = await openTestDb(dialect);
  try {
    await addFacility(other.db, { code: 'HN-A', name: 'Trạm Y tế A', provinceCode: '01' }, 't');
    const app2 = createApp({ trust: new MemoryTrustStore(), db: other.db, importReportDir: join(dir, `reports2-${dialect}`) });
    const tok2 = (await createToken(other.db, { name: 'A', role: 'facility', scope: 'HN-A' })).secret;
    const immunization = bundle.entry[2]?.resource ?? {};
    const broken = { ...immunization, occurrenceDateTime: '01/07/2021' };
    const withBroken = { ...bundle, entry: [...bundle.entry, { fullUrl: 'urn:uuid:broken', resource: broken }] };

    assert.equal((await call(app2, tok2, 'POST', '/api/v1/facilities/HN-A/fhir', '{"resourceType":"Patient"}')).status, 422);
    const s = (await (await call(app2, tok2, 'POST', '/api/v1/facilities/HN-A/fhir', JSON.stringify(withBroken))).json()) as Json;
    assert.deepEqual([s.rows, s.imported, s.duplicates, s.rejected], [4, 3, 0, 1], JSON.stringify(s));
    assert.deepEqual((s.errors as Json[]).map((e) => [e.row, e.column, e.code]), [[6, 'Immunization.occurrenceDateTime', 'FHIR_INVALID']]);
    const q = ((await (await call(app2, tok2, 'GET', '/api/v1/facilities/HN-A/quarantine')).json()) as { items: Json[] }).items;
    assert.equal(q.length, 1);
    assert.match(String(q[0]?.source), /01\/07\/2021/);
    assert.equal((q[0]?.raw as Json).full_name, 'Nguyễn Văn An', 'values read from the entry and its Patient');

    // The same through the generic upload route: nothing new.
    const again = (await (await call(app2, tok2, 'POST', '/api/v1/facilities/HN-A/imports', JSON.stringify(bundle))).json()) as Json;
    assert.deepEqual([again.imported, again.duplicates], [0, 3]);

    const back = (await (await call(app2, tok2, 'GET', '/api/v1/fhir/Bundle?facility=HN-A')).json()) as Bundle;
    const doses = (b: Bundle): string[] =>
      b.entry
        .filter((e) => e.resource.resourceType === 'Immunization')
        .map((e) => `${String(e.resource.occurrenceDateTime)} ${String(e.resource.lotNumber)} ${JSON.stringify((e.resource.vaccineCode as Json).coding)}`)
        .sort();
    assert.deepEqual(doses(back), doses(bundle));
  } finally {
    await other.dispose();
  }
});
