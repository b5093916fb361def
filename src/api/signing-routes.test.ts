import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { createToken } from '../auth/index.js';
import { testEachDialect } from '../db/test-helpers/dialects.js';
import { MemoryTrustStore } from '../hcert/index.js';
import { addFacility, createPerson, recordDose, setProvinceSigning } from '../registry/index.js';
import { generateCccd } from '../registry/validate/index.js';
import { KeyCustody, issueFacilityCert, pkiInit } from '../trust/pki/index.js';
import { createApp } from './app.js';

type Json = Record<string, unknown>;

let dir: string;
let custody: KeyCustody;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'vaxpass-signing-api-'));
  custody = new KeyCustody({ backend: 'file', keyDir: join(dir, 'keys'), secretFile: join(dir, 'secret'), passphrase: 'test passphrase, not a secret' });
});
after(() => {
  custody.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The response body, with the HTTP status as `http` (verdicts have a `status` field of their own). */
async function call(app: ReturnType<typeof createApp>, token: string | undefined, method: string, path: string, body?: unknown): Promise<Json & { http: number }> {
  const headers: Record<string, string> = {};
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await app.request(path, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  return { ...((await res.json()) as Json), http: res.status };
}

testEachDialect('signing API: only the signing unit\'s principals sign; verdicts per dose; OpenAPI', async ({ db }) => {
  const app = createApp({ trust: new MemoryTrustStore(), db, custody });
  await pkiInit(db, { custody });
  for (const [code, provinceCode, type] of [['HN-A', '01', 'health_station'], ['HN-B', '01', 'health_station'], ['HN-CDC', '01', 'cdc'], ['HCM-X', '79', 'hospital']] as const) {
    await addFacility(db, { code, name: `Cơ sở ${code}`, provinceCode, type }, 't');
  }
  const tok = async (role: 'admin' | 'ministry' | 'province' | 'facility', scope?: string): Promise<string> => (await createToken(db, { name: `${role} ${scope ?? ''}`, role, ...(scope ? { scope } : {}) })).secret;
  const [tokA, tokB, tokCdc, tokHcm, hanoi, hcm, ministry] = [await tok('facility', 'HN-A'), await tok('facility', 'HN-B'), await tok('facility', 'HN-CDC'), await tok('facility', 'HCM-X'), await tok('province', '01'), await tok('province', '79'), await tok('ministry')];
  const { person } = await createPerson(db, { fullName: 'Nguyễn Văn An', dob: '1990-05-01', sex: 'M', idNumber: generateCccd('001', 1990, 'M', 5) }, 't');
  const a = (await recordDose(db, { personId: person.id, facilityCode: 'HN-A', vaccine: 'AZ', doseDate: '2021-07-01', doseNumber: 1, source: 'form' }, 'nurse')).dose;
  const b = (await recordDose(db, { personId: person.id, facilityCode: 'HN-B', vaccine: 'Pfizer', doseDate: '2021-09-01', doseNumber: 2, source: 'form' }, 'nurse')).dose;

  // Each facility signs itself (province 01 has no focal unit yet).
  const noCert = await call(app, tokA, 'POST', '/api/v1/facilities/HN-A/sign', {});
  assert.deepEqual([noCert.http, noCert.code], [409, 'SIGNING_CERT_MISSING']);
  await issueFacilityCert(db, { custody, owner: 'HN-A' });
  const signedA = await call(app, tokA, 'POST', '/api/v1/facilities/HN-A/sign', {});
  assert.equal(signedA.http, 200, JSON.stringify(signedA));
  assert.deepEqual([signedA.signed, signedA.already_signed, (signedA.signer as Json).facility_code], [1, 0, 'HN-A']);
  assert.equal((await call(app, tokB, 'POST', '/api/v1/facilities/HN-A/sign', {})).http, 403, 'another facility');
  const provinceDenied = await call(app, hanoi, 'POST', '/api/v1/facilities/HN-A/sign', {});
  assert.equal(provinceDenied.http, 403, 'a province signs only through a focal unit');
  assert.match(String(provinceDenied.detail), /signed by facility HN-A itself/);
  assert.equal((await call(app, ministry, 'POST', '/api/v1/facilities/HN-A/sign', {})).http, 403);

  // Focal unit: the station may no longer sign; the CDC or the province does, with the CDC's key.
  await setProvinceSigning(db, '01', { mode: 'focal_unit', focalFacilityCode: 'HN-CDC' }, 't');
  const self = await call(app, tokA, 'POST', '/api/v1/facilities/HN-A/sign', {});
  assert.deepEqual([self.http, self.code, self.signingUnit], [403, 'FORBIDDEN', 'HN-CDC']);
  assert.match(String(self.detail), /through its focal unit HN-CDC: facility HN-A cannot sign its own records/);
  const cdcCert = await issueFacilityCert(db, { custody, owner: 'HN-CDC', kind: 'province' });
  const byCdc = await call(app, tokCdc, 'POST', '/api/v1/facilities/HN-B/sign', { all: true });
  assert.equal(byCdc.http, 200, JSON.stringify(byCdc));
  assert.deepEqual([byCdc.signed, byCdc.date, (byCdc.signer as Json).facility_code, (byCdc.signer as Json).certificate_id], [1, null, 'HN-CDC', cdcCert.id]);
  const byProvince = await call(app, hanoi, 'POST', '/api/v1/facilities/HN-CDC/sign', { date: '2000-01-01' });
  assert.deepEqual([byProvince.http, byProvince.signed, byProvince.facility_codes], [200, 0, ['HN-A', 'HN-B', 'HN-CDC']]);
  assert.equal((await call(app, hcm, 'POST', '/api/v1/facilities/HN-A/sign', {})).http, 403, 'another province');

  // Edge validation.
  const bad = await call(app, tokCdc, 'POST', '/api/v1/facilities/HN-A/sign', { date: '1 July', extra: 1 });
  assert.deepEqual([bad.http, bad.code], [400, 'BAD_REQUEST']);
  assert.equal((await call(app, tokCdc, 'POST', '/api/v1/facilities/HN-A/sign', { date: '2025-01-01', all: true })).http, 400);
  assert.equal((await call(app, tokCdc, 'POST', '/api/v1/facilities/NOPE/sign', {})).http, 404);
  assert.equal((await call(app, undefined, 'POST', '/api/v1/facilities/HN-A/sign', {})).http, 401);

  // Verdicts.
  const va = await call(app, tokA, 'GET', `/api/v1/doses/${a.id}/signature`);
  assert.deepEqual([va.http, va.status, va.dose_id, (va.signature as Json | undefined)?.signer_facility_code], [200, 'valid', a.id, 'HN-A']);
  const vb = await call(app, ministry, 'GET', `/api/v1/doses/${b.id}/signature`);
  assert.deepEqual([vb.http, vb.status, (vb.signature as Json | undefined)?.signer_facility_code], [200, 'valid', 'HN-CDC']);
  assert.equal((await call(app, hanoi, 'GET', `/api/v1/doses/${b.id}/signature`)).http, 200);
  assert.equal((await call(app, tokHcm, 'GET', `/api/v1/doses/${a.id}/signature`)).http, 403);
  assert.equal((await call(app, tokA, 'GET', '/api/v1/doses/999999/signature')).http, 404);

  const doc = (await (await app.request('/openapi.json')).json()) as { paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
  assert.ok(doc.paths['/api/v1/facilities/{code}/sign']);
  assert.ok(doc.paths['/api/v1/doses/{id}/signature']);
  assert.ok(doc.components.schemas.DoseSignatureVerdict);
});
