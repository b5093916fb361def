import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { AppError } from '../../errors/index.js';
import type { ImportRow } from '../import/index.js';
import { findProduct } from '../reference/index.js';
import {
  EXPORT_PAGE_SIZE,
  FHIR_SYSTEMS,
  exportBundle,
  exportNdjson,
  exportNdjsonFiles,
  isRowProblem,
  ndjsonFilesToRows,
  type Immunization,
  type Patient,
} from './index.js';

const PEOPLE = EXPORT_PAGE_SIZE + 50; // crosses a keyset page boundary

interface Seeded {
  readonly personIds: number[];
}

/** Two facilities (Hà Nội, TP HCM); PEOPLE people with one AstraZeneca dose at the first; the
 *  first three also get a Comirnaty booster in TP HCM (the third's voided); the last has no dose. */
async function seed(db: Kysely<Database>): Promise<Seeded> {
  await db
    .insertInto('facility')
    .values([
      { code: 'HN001', name: 'Trạm Y tế Phúc Xá', province_code: '01', type: 'health_station' },
      { code: 'HCM01', name: 'Bệnh viện Quận 1', province_code: '79', type: 'hospital' },
    ])
    .execute();
  const facilities = await db.selectFrom('facility').select(['id', 'code']).orderBy('id').execute();
  const hn = facilities.find((f) => f.code === 'HN001')?.id;
  const hcm = facilities.find((f) => f.code === 'HCM01')?.id;
  assert.ok(hn !== undefined && hcm !== undefined);
  const people = Array.from({ length: PEOPLE }, (_, i) => ({
    full_name_raw: `Nguyễn Văn Số ${i + 1}`,
    full_name: `Nguyễn Văn Số ${i + 1}`,
    name_fold: `nguyen van so ${i + 1}`,
    dob: i % 3 === 0 ? '1980' : '1991-02-03',
    sex: i % 2 === 0 ? 'M' : 'F',
    phone: i === 0 ? '0912345678' : null,
    province_code: '01',
    created_by: 'test',
  }));
  await db.insertInto('person').values(people).execute();
  const personIds = (await db.selectFrom('person').select('id').orderBy('id').execute()).map((p) => p.id);
  const [p1, p2, p3] = personIds;
  assert.ok(p1 !== undefined && p2 !== undefined && p3 !== undefined);
  await db
    .insertInto('person_document')
    .values([
      { person_id: p1, kind: 'CMND', number: '012345678', current: 0 },
      { person_id: p1, kind: 'CCCD', number: '001080012345', current: 1 },
      { person_id: p2, kind: 'CCCD', number: '001191012345', current: 1 },
    ])
    .execute();
  const doses = personIds.slice(0, -1).map((person_id, i) => ({
    person_id,
    facility_id: hn,
    product_id: 'astrazeneca',
    lot: `AZ${i}`,
    dose_date: '2021-07-01',
    dose_number: 1,
    dose_kind: 'primary',
    source: 'import',
    created_by: 'test',
  }));
  await db.insertInto('dose').values(doses).execute();
  await db
    .insertInto('dose')
    .values(
      [p1, p2, p3].map((person_id, i) => ({
        person_id,
        facility_id: hcm,
        product_id: 'comirnaty',
        lot: null,
        dose_date: '2022-01-10',
        dose_number: 2,
        dose_kind: 'booster',
        source: 'api',
        status: i === 2 ? 'voided' : 'active',
        void_reason: i === 2 ? 'wrong person' : null,
        created_by: 'test',
      })),
    )
    .execute();
  return { personIds };
}

function resources<T extends Patient | Immunization>(entries: { resource?: Patient | Immunization }[], type: T['resourceType']): T[] {
  return entries.map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}

testEachDialect('exportBundle: filters, keyset pages, references, EU codes, voided doses', async ({ db }) => {
  const { personIds } = await seed(db);
  const [p1, p2, p3] = personIds;
  const last = personIds.at(-1);
  assert.ok(p1 !== undefined && p2 !== undefined && p3 !== undefined && last !== undefined);

  const all = await exportBundle(db);
  assert.equal(all.type, 'collection');
  const patients = resources<Patient>(all.entry, 'Patient');
  const imms = resources<Immunization>(all.entry, 'Immunization');
  assert.equal(patients.length, PEOPLE, 'everyone, even without a dose');
  assert.equal(imms.length, PEOPLE - 1 + 3);
  assert.deepEqual(
    patients.map((p) => Number(p.id)),
    personIds,
    'id order across pages',
  );
  const patientIds = new Set(patients.map((p) => `Patient/${p.id}`));
  for (const imm of imms) assert.ok(patientIds.has(imm.patient.reference ?? ''), imm.patient.reference);
  assert.equal(all.entry[0]?.fullUrl, `https://vaxpass.gov.vn/fhir/Patient/${p1}`);

  const first = patients[0];
  assert.deepEqual(
    first?.identifier?.map((i) => [i.system, i.value]),
    [
      [FHIR_SYSTEMS.cccd, '001080012345'],
      [FHIR_SYSTEMS.cmnd, '012345678'],
      [FHIR_SYSTEMS.person, String(p1)],
    ],
  );
  assert.equal(first?.birthDate, '1980');
  assert.equal(first?.telecom?.[0]?.value, '0912345678');

  // EU codes match the reference data.
  for (const imm of imms) {
    const productId = imm.vaccineCode.coding?.find((c) => c.system === FHIR_SYSTEMS.vaccineProduct)?.code ?? '';
    const product = findProduct(productId);
    assert.ok(product, productId);
    const codes = imm.vaccineCode.coding?.map((c) => c.code);
    assert.ok(codes?.includes(product.mp ?? '') && codes.includes(product.vp ?? ''), JSON.stringify(codes));
    assert.equal(imm.manufacturer?.identifier?.value, product.ma);
  }
  const voided = imms.filter((i) => i.status === 'entered-in-error');
  assert.equal(voided.length, 1);
  assert.equal(voided[0]?.patient.reference, `Patient/${p3}`);
  assert.equal(voided[0]?.performer?.[0]?.actor.identifier?.value, 'HCM01');

  const hn = await exportBundle(db, { facilityCode: 'HN001', type: 'searchset' });
  assert.equal(hn.total, PEOPLE - 1);
  assert.equal(resources<Patient>(hn.entry, 'Patient').length, PEOPLE - 1, 'only people with a dose there');
  assert.ok(hn.entry.every((e) => e.search?.mode === (e.resource?.resourceType === 'Patient' ? 'include' : 'match')));

  const hcm = await exportBundle(db, { provinceCode: '79' });
  assert.deepEqual(
    resources<Patient>(hcm.entry, 'Patient').map((p) => Number(p.id)),
    [p1, p2, p3],
  );
  assert.equal(resources<Immunization>(hcm.entry, 'Immunization').length, 3);

  const some = await exportBundle(db, { personIds: [last, p2, p2] });
  assert.deepEqual(
    resources<Patient>(some.entry, 'Patient').map((p) => Number(p.id)),
    [p2, last],
  );
  assert.equal(resources<Immunization>(some.entry, 'Immunization').length, 2);
  const both = await exportBundle(db, { personIds: [p1, p2, last], facilityCode: 'HCM01' });
  assert.equal(resources<Patient>(both.entry, 'Patient').length, 2);

  await assert.rejects(exportBundle(db, { facilityCode: 'NOPE' }), (e: unknown) => e instanceof AppError && e.code === 'FACILITY_NOT_FOUND' && e.status === 404);
});

testEachDialect('exportNdjson / exportNdjsonFiles: Patients then Immunizations; the files import back', async ({ db }) => {
  const { personIds } = await seed(db);
  const lines: string[] = [];
  const counts = await exportNdjson(db, { facilityCode: 'HCM01' }, async (line) => {
    await Promise.resolve();
    lines.push(line);
  });
  assert.deepEqual(counts, { patients: 3, immunizations: 3 });
  assert.deepEqual(
    lines.map((l) => (JSON.parse(l) as { resourceType: string }).resourceType),
    ['Patient', 'Patient', 'Patient', 'Immunization', 'Immunization', 'Immunization'],
  );

  const dir = mkdtempSync(join(tmpdir(), 'vaxpass-fhir-export-'));
  try {
    const files = await exportNdjsonFiles(db, {}, dir);
    assert.deepEqual(
      files.map((f) => [f.type, f.count]),
      [
        ['Patient', PEOPLE],
        ['Immunization', PEOPLE + 2],
      ],
    );
    const immText = readFileSync(join(dir, 'Immunization.ndjson'), 'utf8');
    assert.equal(immText.split('\n').length, PEOPLE + 3, 'one line each plus the final newline');

    const rows: ImportRow[] = [];
    const warnings: string[] = [];
    for await (const item of ndjsonFilesToRows(join(dir, 'Patient.ndjson'), join(dir, 'Immunization.ndjson'))) {
      if (isRowProblem(item)) {
        assert.equal(item.severity, 'warning', item.message);
        warnings.push(item.code);
      } else {
        rows.push(item);
      }
    }
    assert.deepEqual(warnings, ['FHIR_NOT_COMPLETED'], 'the voided dose is skipped');
    assert.equal(rows.length, PEOPLE + 1);
    assert.deepEqual(rows[0], {
      rowNumber: 1,
      values: {
        full_name: 'Nguyễn Văn Số 1',
        dob: '1980',
        sex: 'M',
        id_number: '001080012345',
        phone: '0912345678',
        province_code: '01',
        vaccine: 'astrazeneca',
        lot: 'AZ0',
        dose_date: '2021-07-01',
        dose_number: 1,
      },
    });
    const booster = rows.find((r) => r.values.vaccine === 'comirnaty');
    assert.equal(booster?.values.dose_number, 2);
    assert.equal(booster?.values.lot, undefined);
    assert.equal(personIds.length, PEOPLE);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
