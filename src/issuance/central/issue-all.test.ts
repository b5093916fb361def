import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { testEachDialect, testPgUrl } from '../../db/test-helpers/dialects.js';
import type { Database } from '../../db/index.js';
import { verifyHc1 } from '../../hcert/index.js';
import { loadDbTrustStore } from '../../trust/index.js';
import { loadDscMaterial } from './dsc-material.js';
import { issueAll } from './issue-all.js';
import { seedEligible } from './seed-eligible.js';
import { setupIssuance } from './test-helpers/issuance-fixture.js';

/** PostgreSQL returns counts and bigint ids as strings. */
const num = (v: unknown): number => Number(v);
const CHILD = fileURLToPath(new URL('./test-helpers/issue-all-child.ts', import.meta.url));

/** Eligible people: VERIFIED for their version with at least one active dose (all doses are signed). */
async function eligibleCount(db: Kysely<Database>): Promise<number> {
  const r = await db
    .selectFrom('person as p')
    .innerJoin('verification_state as vs', (j) => j.onRef('vs.person_id', '=', 'p.id').onRef('vs.person_version', '=', 'p.version'))
    .where('vs.status', '=', 'VERIFIED')
    .where((eb) => eb.exists(eb.selectFrom('dose as d').select('d.id').whereRef('d.person_id', '=', 'p.id').where('d.status', '=', 'active')))
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return num(r.n);
}

async function assertExactlyOneEach(db: Kysely<Database>, eligible: number): Promise<void> {
  const rows = await db.selectFrom('certificate').select(['person_id', 'status']).execute();
  const people = new Set(rows.map((r) => num(r.person_id)));
  assert.equal(rows.length, eligible, 'one certificate per eligible person, none twice');
  assert.equal(people.size, eligible);
  assert.ok(rows.every((r) => r.status === 'active'));
}

testEachDialect('issue --all: worker threads, one writer, every eligible person exactly once', async ({ db, dialect }) => {
  const f = await setupIssuance(db);
  try {
    const seeded = await seedEligible(db, dialect, { people: 300, custody: f.custody });
    assert.ok(seeded.verified > 200);
    const eligible = await eligibleCount(db);
    const material = await loadDscMaterial(db, f.custody);
    assert.equal(material.kind, 'key');
    const progress: number[] = [];
    const r = await issueAll(db, { material, actor: 'test', workers: 2, pageSize: 64, chunk: 16, onProgress: (p) => progress.push(p.done) });
    assert.equal(r.issued, eligible);
    assert.deepEqual(r.failed, {});
    const people = num((await db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    assert.equal(r.people, people);
    assert.ok(progress.length >= 4 && progress.at(-1) === people);
    await assertExactlyOneEach(db, eligible);
    const trust = await loadDbTrustStore(db);
    for (const c of await db.selectFrom('certificate').select('hc1').limit(20).execute()) assert.equal(verifyHc1(c.hc1, { trust }).valid, true);
    // A second run finds nothing to do.
    const again = await issueAll(db, { material, actor: 'test', workers: 2 });
    assert.equal(again.issued, 0);
    assert.equal(again.unchanged, eligible);
    const usage = await db.selectFrom('key_usage_daily').select('count').execute();
    assert.equal(usage.reduce((a, u) => a + num(u.count), 0), eligible);
  } finally {
    await f.close();
  }
});

testEachDialect('issue --all: killed with SIGKILL midway, a resumed run loses nothing and duplicates nothing', async ({ db, dialect, testDb }) => {
  const f = await setupIssuance(db);
  try {
    await seedEligible(db, dialect, { people: 1200, custody: f.custody });
    const eligible = await eligibleCount(db);
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
      env: { ...process.env, VAXPASS_CHILD_DIALECT: dialect, VAXPASS_CHILD_LOCATION: testDb.location, VAXPASS_TEST_PG: testPgUrl(), VAXPASS_KEY_DIR: f.keyDir, VAXPASS_KEY_PASSPHRASE: f.passphrase, VAXPASS_CHILD_PAGE: '40' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const killedAt = await new Promise<number>((resolve, reject) => {
      let buf = '';
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        const m = /progress (\d+) (\d+)\n/.exec(buf.split('\n').slice(-3).join('\n'));
        if (m && num(m[1]) >= 300) {
          child.kill('SIGKILL');
          resolve(num(m[1]));
        }
        if (buf.includes('done')) reject(new Error('the child finished before it could be killed'));
      });
      child.on('exit', (code, signal) => {
        if (signal !== 'SIGKILL') reject(new Error(`child exited (${String(code)}) before the kill: ${err}`));
      });
    });
    await new Promise((r) => child.once('close', r));
    const partial = await db.selectFrom('certificate').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.ok(num(partial.n) > 0 && num(partial.n) < eligible, `killed at ${killedAt}: ${String(partial.n)} of ${eligible} stored`);

    const material = await loadDscMaterial(db, f.custody);
    const resumed = await issueAll(db, { material, actor: 'test', workers: 2, pageSize: 100 });
    assert.equal(resumed.issued + num(partial.n), eligible);
    await assertExactlyOneEach(db, eligible);
  } finally {
    await f.close();
  }
}, { timeout: 240_000 });

testEachDialect('issue --all: a tampered record or signature blocks that person in the workers, with the reason', async ({ db, dialect }) => {
  const f = await setupIssuance(db);
  try {
    await seedEligible(db, dialect, { people: 80, custody: f.custody });
    const eligible = await eligibleCount(db);
    const sigs = await db.selectFrom('dose_signature as s').innerJoin('dose as d', 'd.id', 's.dose_id').select(['s.id', 's.dose_id', 'd.person_id', 's.signature']).orderBy('s.id').execute();
    const [a, b] = [sigs[0], sigs.find((s) => num(s.person_id) !== num(sigs[0]?.person_id))];
    assert.ok(a && b);
    // A: the record changed in place (no new version); B: another batch's signature pasted in
    // (records of one batch share their signature, over the batch's Merkle root).
    await db.updateTable('dose').set({ dose_date: '2021-09-02' }).where('id', '=', num(a.dose_id)).execute();
    const other = sigs.find((s) => s.signature !== b.signature && num(s.person_id) !== num(b.person_id) && num(s.person_id) !== num(a.person_id));
    assert.ok(other, 'the seeded province was signed in more than one batch');
    await db.updateTable('dose_signature').set({ signature: other.signature }).where('id', '=', num(b.id)).execute();
    const material = await loadDscMaterial(db, f.custody);
    const r = await issueAll(db, { material, actor: 'test', workers: 2, pageSize: 32, chunk: 8 });
    assert.equal(r.ineligible.ISSUE_SIGNATURE_INVALID, 2);
    assert.equal(r.issued, eligible - 2);
    const why = new Map(r.failures.map((x) => [x.personId, x.message]));
    assert.match(why.get(num(a.person_id)) ?? '', /tampering/);
    assert.match(why.get(num(b.person_id)) ?? '', /does not verify/);
    const blocked = await db.selectFrom('certificate').select('id').where('person_id', 'in', [num(a.person_id), num(b.person_id)]).execute();
    assert.equal(blocked.length, 0, 'no certificate for a person with a bad signature');
  } finally {
    await f.close();
  }
});

testEachDialect('issue --all: a DSC key that does not match its certificate stops the run before anything is stored', async ({ db, dialect }) => {
  const f = await setupIssuance(db);
  try {
    await seedEligible(db, dialect, { people: 40, custody: f.custody });
    const material = await loadDscMaterial(db, f.custody);
    assert.equal(material.kind, 'key');
    const wrong = { ...material, privateKey: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey };
    // The workers start while the first page is read: their failure still ends the run.
    await assert.rejects(issueAll(db, { material: wrong, actor: 'test', workers: 2 }), /does not match the certificate/);
    const stored = await db.selectFrom('certificate').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    assert.equal(num(stored.n), 0);
  } finally {
    await f.close();
  }
});
