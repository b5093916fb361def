import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import type { Kysely } from 'kysely';
import type { Database, DbDialect } from '../../db/index.js';
import { describeEachDialect } from '../../db/test-helpers/dialects.js';
import { AppError } from '../../errors/index.js';
import { correctPerson } from '../../registry/index.js';
import { generateProvince, seedDatabase } from '../../registry/seed/index.js';
import { LocalVerifier } from '../matching/index.js';
import { DbRegister, loadRegister } from '../register/index.js';
import { funnelStats } from '../stats/index.js';
import type { PopulationVerifier, RegisterEntry, Suggestion, VerifyBatchOptions, VerifyRecord, VerifyResult } from '../verifier.js';
import { storeResults } from './store-results.js';
import { claimBatch, releaseWorker } from './verification-queue.js';
import { currentVerification, requeuePerson, resolveScope, runVerification, verificationHistory } from './index.js';
import type { VerificationSummary } from './index.js';

const PEOPLE = 300;
const BATCH = 40;

/** Wraps a verifier: counts calls, optionally fails or waits. */
class ScriptedVerifier implements PopulationVerifier {
  calls = 0;
  records = 0;
  constructor(
    private readonly inner: PopulationVerifier,
    private readonly script: { failAfter?: number; error?: () => Error; delayMs?: number } = {},
  ) {}
  async verifyBatch(records: readonly VerifyRecord[], options?: VerifyBatchOptions): Promise<VerifyResult[]> {
    if (this.script.failAfter !== undefined && this.calls >= this.script.failAfter) throw (this.script.error ?? (() => new Error('crash')))();
    this.calls++;
    this.records += records.length;
    if (this.script.delayMs !== undefined) await new Promise((r) => setTimeout(r, this.script.delayMs));
    return this.inner.verifyBatch(records, options);
  }
}

async function reset(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('verification_result').execute();
  await db.deleteFrom('verification_state').execute();
  await db.deleteFrom('verification_queue').execute();
}

async function statusCounts(db: Kysely<Database>): Promise<Record<string, number>> {
  const rows = await db.selectFrom('verification_state').select(['status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

async function duplicateResults(db: Kysely<Database>): Promise<number> {
  const rows = await db
    .selectFrom('verification_result')
    .select(['person_id', 'person_version', (eb) => eb.fn.countAll<number>().as('n')])
    .groupBy(['person_id', 'person_version'])
    .having((eb) => eb.fn.countAll(), '>', 1)
    .execute();
  return rows.length;
}

function processed(s: VerificationSummary): number {
  return s.verified + s.mismatch + s.notFound + s.notSent;
}

describeEachDialect('verification pipeline', (getDb, dialect: DbDialect) => {
  let verifier: PopulationVerifier;
  let people = 0;
  let clean: Record<string, number> = {};
  let withoutId = 0;

  before(async () => {
    const { db } = getDb();
    const gen = generateProvince({ provinceCode: '01', people: PEOPLE, seed: 11 });
    await seedDatabase(db, dialect, gen, { actor: 'test', today: '2026-11-25' });
    const truth: RegisterEntry[] = [];
    for (const p of gen.persons()) if (p.truth.idNumber !== null) truth.push({ idNumber: p.truth.idNumber, fullName: p.truth.fullName, dob: p.truth.dob, sex: p.truth.sex });
    await loadRegister(db, dialect, truth, { source: 'test' });
    verifier = new LocalVerifier(new DbRegister(db));
    people = (await db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    const withId = await db.selectFrom('person_document').select('person_id').distinct().where('current', '=', 1).where('kind', 'in', ['CCCD', 'CMND']).execute();
    withoutId = people - withId.length;
  });

  test('a run gives every person a state with the data sent; a second run sends nothing', async () => {
    const { db } = getDb();
    assert.ok(people > 150, `seeded ${people} people`);
    const progress: number[] = [];
    const s = await runVerification(db, dialect, verifier, { batchSize: BATCH, onProgress: (p) => progress.push(p.done) });
    assert.equal(s.queued, people);
    assert.equal(processed(s), people);
    assert.equal(s.sent, s.verified + s.mismatch + s.notFound);
    assert.equal(s.notSent, withoutId);
    assert.ok(s.verified > people / 2 && s.mismatch > 0 && s.notFound > 0 && s.notSent > 0, JSON.stringify(s));
    assert.equal(s.remaining, 0);
    assert.equal(s.stopped, null);
    assert.equal(progress.at(-1), people);
    assert.equal(progress.length, Math.ceil(people / BATCH));
    clean = await statusCounts(db);
    assert.equal(Object.values(clean).reduce((a, b) => a + b, 0), people);
    assert.equal(await duplicateResults(db), 0);

    // The exact data sent is stored: the current document, the stored name, dob and sex.
    const one = await db.selectFrom('verification_state').selectAll().where('status', '=', 'VERIFIED').orderBy('person_id').executeTakeFirstOrThrow();
    const p = await db.selectFrom('person').selectAll().where('id', '=', one.person_id).executeTakeFirstOrThrow();
    const doc = await db.selectFrom('person_document').select('number').where('person_id', '=', p.id).where('current', '=', 1).executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(one.sent_json ?? 'null'), { recordId: String(p.id), idNumber: doc.number, fullName: p.full_name, dob: p.dob, sex: p.sex });
    const ns = await db.selectFrom('verification_state').selectAll().where('status', '=', 'NOT_SENT').executeTakeFirstOrThrow();
    assert.equal(ns.sent_json, null);
    assert.equal(ns.fields, 'id_number');

    const again = await runVerification(db, dialect, new ScriptedVerifier(verifier), { batchSize: BATCH });
    assert.equal(again.queued, 0);
    assert.equal(processed(again), 0);
  });

  test('a correction re-queues exactly that person', async () => {
    const { db } = getDb();
    // A mismatch with a suggestion from the register: apply it as a facility would.
    const row = await db.selectFrom('verification_state').select(['person_id', 'suggestions_json']).where('status', '=', 'MISMATCH').where('suggestions_json', '!=', '[]').orderBy('person_id').executeTakeFirstOrThrow();
    const [suggestion] = JSON.parse(row.suggestions_json) as Suggestion[];
    assert.ok(suggestion);
    const v = suggestion.values;
    const patch = { ...(v.full_name === undefined ? {} : { fullName: v.full_name }), ...(v.dob === undefined ? {} : { dob: v.dob }), ...(v.sex === undefined ? {} : { sex: v.sex }), ...(v.id_number === undefined ? {} : { idNumber: v.id_number }) };
    await correctPerson(db, row.person_id, patch, 'test', `accepted suggestion ${suggestion.reason}`);
    const before = await currentVerification(db, row.person_id);
    assert.equal(before.stale, true);
    const spy = new ScriptedVerifier(verifier);
    const s = await runVerification(db, dialect, spy, { batchSize: BATCH });
    assert.equal(s.queued, 1);
    assert.equal(processed(s), 1);
    assert.equal(spy.records, 1);
    const now = await currentVerification(db, row.person_id);
    assert.equal(now.stale, false);
    assert.equal(now.state?.personVersion, 2);
    assert.equal(now.state?.status, 'VERIFIED');
    const history = await verificationHistory(db, row.person_id);
    assert.deepEqual(history.map((h) => h.personVersion), [1, 2]);
    assert.equal(now.state?.attempts, 2);

    // requeuePerson re-verifies the same version on demand.
    await requeuePerson(db, row.person_id);
    assert.equal((await currentVerification(db, row.person_id)).queued, true);
    const r = await runVerification(db, dialect, verifier, {});
    assert.equal(processed(r), 1);
    assert.equal((await verificationHistory(db, row.person_id)).length, 3);
    // The corrected person now verifies: later resets compare against this distribution.
    clean = await statusCounts(db);
    await assert.rejects(requeuePerson(db, 99_999_999), (e: unknown) => e instanceof AppError && e.code === 'PERSON_NOT_FOUND');
  });

  test('funnel numbers add up and match direct counts', async () => {
    const { db } = getDb();
    const f = await funnelStats(db, { groupBy: 'facility' });
    const t = f.total;
    const direct = await db.selectFrom('dose').select([(eb) => eb.fn.countAll<number>().as('doses'), (eb) => eb.fn.count<number>('person_id').distinct().as('people')]).where('status', '=', 'active').executeTakeFirstOrThrow();
    assert.equal(t.recorded.doses, direct.doses);
    assert.equal(t.recorded.people, direct.people);
    for (const k of ['people', 'doses'] as const) {
      assert.equal(t.recorded[k], t.sent[k] + t.notSent[k] + t.pending[k]);
      assert.equal(t.sent[k], t.verified[k] + t.mismatch[k] + t.notFound[k]);
    }
    assert.equal(t.pending.people, 0);
    assert.equal(f.groups.reduce((a, g) => a + g.recorded.doses, 0), t.recorded.doses);
    assert.equal(f.groups.reduce((a, g) => a + g.verified.doses, 0), t.verified.doses);
    assert.ok(f.groups.reduce((a, g) => a + g.recorded.people, 0) >= t.recorded.people);
    const dobMismatch = await db
      .selectFrom('verification_state as s')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('s.status', '=', 'MISMATCH')
      .where((eb) => eb.or([eb('s.fields', '=', 'dob'), eb('s.fields', 'like', 'dob;%'), eb('s.fields', 'like', '%;dob'), eb('s.fields', 'like', '%;dob;%')]))
      .where((eb) => eb.exists(eb.selectFrom('dose as d').select('d.id').whereRef('d.person_id', '=', 's.person_id').where('d.status', '=', 'active')))
      .executeTakeFirstOrThrow();
    assert.equal(t.mismatch.byField.dob.people, dobMismatch.n);
    assert.equal(t.notSent.byReason.id_number.people, t.notSent.people);
    const byProvince = await funnelStats(db, { groupBy: 'province', provinceCode: '01' });
    assert.equal(byProvince.groups.length, 1);
    assert.deepEqual(byProvince.groups[0]?.recorded, t.recorded);
    const fac = f.groups[0];
    assert.ok(fac?.key);
    const one = await funnelStats(db, { facilityCode: fac.key });
    assert.deepEqual(one.total.recorded, fac.recorded);
    assert.deepEqual(one.total.mismatch, fac.mismatch);
    await assert.rejects(funnelStats(db, { provinceCode: '00' }), (e: unknown) => e instanceof AppError && e.code === 'PROVINCE_NOT_FOUND');
  });

  test('a crash mid-run loses and double-counts nothing', async () => {
    const { db } = getDb();
    await reset(db);
    await assert.rejects(runVerification(db, dialect, new ScriptedVerifier(verifier, { failAfter: 2 }), { batchSize: BATCH, workerId: 'w1' }), /crash/);
    const partial = (await db.selectFrom('verification_state').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
    assert.ok(partial >= 2 * BATCH - withoutId && partial <= 3 * BATCH, `partial ${partial}`);

    // A batch claimed by a process that died (no release): the same worker name takes it back at once.
    const scope = await resolveScope(db, {});
    const stuck = await claimBatch(db, { dialect, scope, workerId: 'w-dead', token: 'w-dead/1', after: 0, limit: BATCH, now: new Date(), leaseSeconds: 3600 });
    assert.equal(stuck.length, BATCH);
    const other = await runVerification(db, dialect, verifier, { batchSize: BATCH, maxPeople: BATCH });
    assert.equal(other.stopped, 'limit');
    assert.ok(other.remaining >= BATCH);
    const rest = await runVerification(db, dialect, verifier, { batchSize: BATCH, workerId: 'w-dead' });
    assert.equal(rest.remaining, 0);
    assert.deepEqual(await statusCounts(db), clean);
    assert.equal(await duplicateResults(db), 0);
    assert.equal((await db.selectFrom('verification_result').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n, people);
  });

  test('an expired lease is taken over; the late result of the old claim is dropped', async () => {
    const { db } = getDb();
    await reset(db);
    const scope = await resolveScope(db, {});
    const stale = await claimBatch(db, { dialect, scope, workerId: 'slow', token: 'slow/1', after: 0, limit: 5, now: new Date(Date.now() - 10_000), leaseSeconds: 1 });
    // Nothing queued yet: claims only see queued people.
    assert.equal(stale.length, 0);
    const s1 = await runVerification(db, dialect, verifier, { batchSize: BATCH, maxPeople: 1 });
    assert.equal(processed(s1), 1);
    const old = await claimBatch(db, { dialect, scope, workerId: 'slow', token: 'slow/2', after: 0, limit: 5, now: new Date(Date.now() - 10_000), leaseSeconds: 1 });
    assert.equal(old.length, 5);
    const s2 = await runVerification(db, dialect, verifier, { batchSize: BATCH });
    assert.equal(s2.remaining, 0);
    const late = await storeResults(db, 'slow/2', 'late-run', old.map((o) => ({ personId: o.personId, version: 1, enqueuedAt: o.enqueuedAt, status: 'VERIFIED' as const, fields: [], suggestions: [], sent: null })));
    assert.equal(late.length, 0);
    assert.deepEqual(await statusCounts(db), clean);
    assert.equal(await duplicateResults(db), 0);
    assert.equal(await releaseWorker(db, 'slow'), 0);
  });

  test('service unavailable and abort stop cleanly and resume', async () => {
    const { db } = getDb();
    await reset(db);
    const down = new ScriptedVerifier(verifier, { failAfter: 1, error: () => new AppError('POPULATION_UNAVAILABLE', 'circuit open', 503) });
    const s = await runVerification(db, dialect, down, { batchSize: BATCH });
    assert.equal(s.stopped, 'unavailable');
    assert.equal(s.error, 'circuit open');
    assert.equal(s.unavailable, BATCH);
    assert.equal(processed(s), BATCH);
    assert.equal(s.remaining, people - BATCH);
    const ac = new AbortController();
    const a = await runVerification(db, dialect, verifier, { batchSize: BATCH, signal: ac.signal, onProgress: () => ac.abort() });
    assert.equal(a.stopped, 'aborted');
    assert.equal(processed(a), BATCH);
    const rest = await runVerification(db, dialect, verifier, { batchSize: BATCH });
    assert.equal(rest.stopped, null);
    assert.equal(processed(s) + processed(a) + processed(rest), people);
    assert.deepEqual(await statusCounts(db), clean);
    assert.equal(await duplicateResults(db), 0);
  });

  test('two concurrent runs split the work with no double processing', async () => {
    const { db } = getDb();
    await reset(db);
    const v1 = new ScriptedVerifier(verifier, { delayMs: 15 });
    const v2 = new ScriptedVerifier(verifier, { delayMs: 15 });
    const [a, b] = await Promise.all([
      runVerification(db, dialect, v1, { batchSize: 20, workerId: 'machine-a' }),
      runVerification(db, dialect, v2, { batchSize: 20, workerId: 'machine-b' }),
    ]);
    assert.equal(processed(a) + processed(b), people);
    assert.ok(processed(a) > 0 && processed(b) > 0, `split ${processed(a)} / ${processed(b)}`);
    assert.equal(a.skipped + b.skipped, 0);
    assert.equal(v1.records + v2.records, a.sent + b.sent);
    assert.deepEqual(await statusCounts(db), clean);
    assert.equal(await duplicateResults(db), 0);
  });

  test('a facility run covers the people with an active dose there', async () => {
    const { db } = getDb();
    await reset(db);
    const f = await db
      .selectFrom('dose as d')
      .innerJoin('facility as f', 'f.id', 'd.facility_id')
      .select(['f.code', 'f.id', (eb) => eb.fn.count<number>('d.person_id').distinct().as('n')])
      .where('d.status', '=', 'active')
      .groupBy(['f.code', 'f.id'])
      .orderBy('n', 'desc')
      .executeTakeFirstOrThrow();
    const s = await runVerification(db, dialect, verifier, { facilityCode: f.code, batchSize: 7 });
    assert.equal(processed(s), f.n);
    const p = await runVerification(db, dialect, verifier, { provinceCode: '01', concurrency: 3, batchSize: 13 });
    assert.equal(processed(s) + processed(p), people);
    await assert.rejects(runVerification(db, dialect, verifier, { facilityCode: 'NOPE' }), (e: unknown) => e instanceof AppError && e.code === 'FACILITY_NOT_FOUND');
    assert.deepEqual(await statusCounts(db), clean);
  });
});
