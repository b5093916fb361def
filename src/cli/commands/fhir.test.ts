import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestDb, testEachDialect } from '../../db/test-helpers/dialects.js';
import type { TestDb } from '../../db/test-helpers/dialects.js';
import { addFacility, listQuarantine } from '../../registry/index.js';
import { TEMPLATE_HEADERS, importFile } from '../../registry/import/index.js';
import { generateCccd } from '../../registry/validate/index.js';
import { runOnTestDb } from '../test-helpers/run-cli.js';
import type { CliRun } from '../test-helpers/run-cli.js';
import { registerFhir } from './fhir.js';

type Json = Record<string, unknown>;

const dir = mkdtempSync(join(tmpdir(), 'vaxpass-fhir-cli-'));
const an = generateCccd('001', 1985, 'M', 1);
const GOOD = [
  ['Nguyễn Văn An', '12/03/1985', 'Nam', an, '0912345678', '01', 'AstraZeneca', 'AB1', '15/08/2021', 1],
  ['Nguyễn Văn An', '12/03/1985', 'Nam', an, '0912345678', '01', 'AstraZeneca', 'AB2', '10/10/2021', 2],
  ['Trần Thị Bình', '1990-05-20', 'Nữ', generateCccd('079', 1990, 'F', 2), '', '79', 'Pfizer', 'FK1', '2021-09-01', 1],
];

/** Runs `vaxpass fhir …` in-process on a test database, mapping errors as main() does. */
function run(testDb: TestDb, ...args: string[]): Promise<CliRun> {
  return runOnTestDb(testDb, [registerFhir], args);
}

testEachDialect('vaxpass fhir export (Bundle, NDJSON) and import (Bundle with a broken entry, NDJSON with --patients, one NDJSON stream)', async ({ testDb, db, dialect }) => {
  await addFacility(db, { code: 'HN-A', name: 'Trạm Y tế A', provinceCode: '01' }, 't');
  const csv = join(dir, `good-${dialect}.csv`);
  writeFileSync(csv, [TEMPLATE_HEADERS, ...GOOD].map((r) => r.join(',')).join('\n'));
  assert.equal((await importFile(db, dialect, csv, { facilityCode: 'HN-A', actor: 't', errorReport: null })).imported, 3);

  const bundleFile = join(dir, `bundle-${dialect}.json`);
  const out = join(dir, `ndjson-${dialect}`);
  assert.equal((await run(testDb, 'fhir', 'export', '--facility', 'HN-A')).code, 2, '--bundle or --out is required');
  const b = await run(testDb, 'fhir', 'export', '--facility', 'HN-A', '--bundle', bundleFile);
  assert.equal(b.code, 0, b.err);
  assert.match(b.out, /Immunization: 3/);
  const n = await run(testDb, 'fhir', 'export', '--province', '01', '--out', out, '--json');
  assert.deepEqual((JSON.parse(n.out) as { files: Json[] }).files.map((f) => [f.type, f.count]), [['Patient', 2], ['Immunization', 3]]);

  const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as { entry: { resource: Json }[] };
  const first = bundle.entry.find((e) => e.resource.resourceType === 'Immunization')?.resource ?? {};
  bundle.entry.push({ resource: { ...first, occurrenceDateTime: '2021-13-01' } });
  const broken = join(dir, `broken-${dialect}.json`);
  writeFileSync(broken, JSON.stringify(bundle));

  const other = await openTestDb(dialect);
  try {
    await addFacility(other.db, { code: 'HN-A', name: 'Trạm Y tế A', provinceCode: '01' }, 't');
    const r = await run(other, 'fhir', 'import', broken, '--facility', 'HN-A', '--json', '--no-report');
    assert.equal(r.code, 1, 'a row was quarantined');
    const s = JSON.parse(r.out) as Json;
    assert.deepEqual([s.rows, s.imported, s.duplicates, s.rejected], [4, 3, 0, 1]);
    assert.deepEqual((s.errors as Json[]).map((e) => Object.keys(e).sort()), [['code', 'column', 'message', 'row']]);
    const q = await listQuarantine(other.db, 'HN-A');
    assert.equal(q.items.length, 1);
    assert.match(q.items[0]?.source ?? '', /2021-13-01/);

    // Bulk Data files: everything is already there.
    const nd = await run(other, 'fhir', 'import', join(out, 'Immunization.ndjson'), '--patients', join(out, 'Patient.ndjson'), '--facility', 'HN-A', '--json', '--no-report');
    assert.equal(nd.code, 0, nd.err);
    assert.deepEqual((({ rows, imported, duplicates, rejected }) => [rows, imported, duplicates, rejected])(JSON.parse(nd.out) as Json), [3, 0, 3, 0]);

    // One stream (Patients first) with a line that is not JSON: quarantined with its text.
    const stream = join(dir, `stream-${dialect}.ndjson`);
    writeFileSync(stream, `${readFileSync(join(out, 'Patient.ndjson'), 'utf8')}${readFileSync(join(out, 'Immunization.ndjson'), 'utf8')}{not json\n`);
    const one = await run(other, 'fhir', 'import', stream, '--facility', 'HN-A', '--report', join(dir, `stream-${dialect}.errors.csv`));
    assert.equal(one.code, 1);
    assert.match(one.out, /duplicates 3/);
    assert.match(one.out, /rejected {3}1/);
    assert.match(readFileSync(join(dir, `stream-${dialect}.errors.csv`), 'utf8'), /\n6,\(line\),FHIR_INVALID_JSON,error,/);
    assert.ok((await listQuarantine(other.db, 'HN-A')).items.some((i) => i.source === '{not json'));

    const notBundle = join(dir, `patient-${dialect}.json`);
    writeFileSync(notBundle, '{"resourceType":"Patient"}');
    const nb = await run(other, 'fhir', 'import', notBundle, '--facility', 'HN-A');
    assert.equal(nb.code, 2);
    assert.match(nb.err, /FHIR_NOT_A_BUNDLE/);
  } finally {
    await other.dispose();
  }
});
