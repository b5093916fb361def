import assert from 'node:assert/strict';
import { CompiledQuery, sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import type { DbDialect } from '../../db/index.js';
import { correctPerson } from '../../registry/index.js';
import { pendingRevocationsQuery } from './certificate-repository.js';
import { issueForPerson } from './issue-for-people.js';
import { changedPeople, changedPeopleQueries, watermarkQuery, writeScanWatermark } from './scan-issuance-changes.js';
import { addEligible, setupIssuance } from './test-helpers/issuance-fixture.js';

/** PostgreSQL returns bigint columns and counts as strings, whatever the declared type says. */
const num = (v: unknown): number => Number(v);

/** Seeded people: enough rows that PostgreSQL's planner prefers an index to reading the table. */
const PEOPLE = 20_000;
const OLD = '2022-01-01T00:00:00.000Z';

/**
 * Clones one real vaccinated, verified, signed and issued person `PEOPLE` times in SQL (recursive
 * CTE, the same text on both engines), with every timestamp long before the scan's watermark.
 */
async function seedHistory(db: Kysely<Database>, template: number): Promise<void> {
  const n = sql.raw(`with recursive n(i) as (select 1 union all select i + 1 from n where i < ${PEOPLE})`);
  const first = num((await db.selectFrom('person').select((eb) => eb.fn.max('id').as('m')).executeTakeFirstOrThrow()).m) + 1;
  await sql`insert into person (full_name_raw, full_name, name_fold, dob, sex, created_by, created_at, updated_at)
    ${n} select 'Seed', 'Seed', 'seed', '1990-01-01', 'M', 'seed', ${OLD}, ${OLD} from n`.execute(db);
  await sql`insert into dose (person_id, facility_id, product_id, dose_date, dose_number, dose_kind, source, created_by, created_at, updated_at)
    select p.id, t.facility_id, t.product_id, t.dose_date, 1, 'primary', 'seed', 'seed', ${OLD}, ${OLD}
    from person p cross join (select * from dose where person_id = ${template}) t where p.id >= ${first}`.execute(db);
  await sql`insert into dose_signature (dose_id, dose_version, person_version, signer_facility_id, certificate_id, kid, alg, canonical_sha256, signature, signed_at, signed_by, created_at)
    select d.id, 1, 1, t.signer_facility_id, t.certificate_id, t.kid, t.alg, t.canonical_sha256, t.signature, ${OLD}, 'seed', ${OLD}
    from dose d cross join (select s.* from dose_signature s join dose x on x.id = s.dose_id where x.person_id = ${template}) t where d.person_id >= ${first}`.execute(db);
  await sql`insert into verification_state (person_id, person_version, status, sent_json, checked_at, run_id)
    select id, 1, 'VERIFIED', null, ${OLD}, 'seed' from person where id >= ${first}`.execute(db);
  await sql`insert into certificate (uvci, person_id, person_version, dose_id, data_version, renewal, payload_sha256, kid, alg, iat, exp, status, hc1, reason, actor, created_at)
    select 'URN:UVCI:01:VN:SEED' || d.id, d.person_id, 1, d.id, 'p1:' || d.id || '.1', 0, 'x', t.kid, t.alg, ${OLD}, '2023-01-01T00:00:00.000Z', 'active', 'x', 'seed', 'seed', ${OLD}
    from dose d cross join (select kid, alg from certificate where person_id = ${template}) t where d.person_id >= ${first}`.execute(db);
  await sql`insert into issuance_outbox (person_id, reason, created_at, processed_at, outcome, attempts, next_attempt_at)
    select id, 'verified', ${OLD}, ${OLD}, 'issued', 1, ${OLD} from person where id >= ${first}`.execute(db);
  await sql`analyze`.execute(db);
}

/** The plan of a compiled query, as one text. */
async function planOf(db: Kysely<Database>, dialect: DbDialect, q: CompiledQuery): Promise<string> {
  const prefix = dialect === 'postgres' ? 'explain ' : 'explain query plan ';
  const r = await db.executeQuery<Record<string, unknown>>(CompiledQuery.raw(prefix + q.sql, [...q.parameters]));
  return r.rows.map((row) => String(row['QUERY PLAN'] ?? row.detail)).join('\n');
}

testEachDialect('migration 0010: the issuance scan, its watermark and due revocations read indexes, not tables', async ({ db, dialect, t }) => {
  const f = await setupIssuance(db);
  try {
    const a = await addEligible(db, f, { fullName: 'Phan Văn Tài', dob: '1970-02-03', sex: 'M', n: 71, doses: [{ vaccine: 'Pfizer', date: '2021-08-01', n: 1 }] });
    assert.equal((await issueForPerson(db, a.personId, { signer: f.signer, actor: 'test' })).status, 'issued');
    await seedHistory(db, a.personId);
    const mark = new Date().toISOString();
    await writeScanWatermark(db, mark);
    await correctPerson(db, a.personId, { phone: '0912345678' }, 'test', 'new phone');

    const expected = ['verification_state_checked_idx', 'dose_signature_signed_idx', 'person_updated_idx', 'dose_updated_idx'];
    const queries = changedPeopleQueries(db, mark);
    assert.equal(queries.length, expected.length);
    const checks: [string, string, CompiledQuery][] = [
      ...queries.map((q, i): [string, string, CompiledQuery] => [`scan ${i}`, expected[i] ?? '', q.compile()]),
      ['watermark', 'issuance_outbox_reason_idx', watermarkQuery(db).compile()],
      ['due revocations', 'certificate_revocation_due_idx', pendingRevocationsQuery(db).compile()],
    ];
    for (const [what, index, q] of checks) {
      const plan = await planOf(db, dialect, q);
      t.diagnostic(`${what}: ${plan.replace(/\n/g, ' | ')}`);
      assert.match(plan, new RegExp(index), `${what} should use ${index}:\n${plan}`);
      assert.doesNotMatch(plan, /Seq Scan|SCAN (verification_state|dose_signature|person|dose|issuance_outbox|certificate)\b(?! USING)/, `${what} reads a whole table:\n${plan}`);
    }

    const t0 = performance.now();
    assert.deepEqual(await changedPeople(db, mark), [a.personId]);
    t.diagnostic(`changedPeople over ${PEOPLE + 1} people, 1 changed: ${(performance.now() - t0).toFixed(1)} ms`);
  } finally {
    await f.close();
  }
});
