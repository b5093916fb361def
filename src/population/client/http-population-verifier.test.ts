import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { AppError } from '../../errors/index.js';
import { matchBatch } from '../matching/index.js';
import { DbRegister, createRegisterService, loadRegister, seededRandom, type RegisterService } from '../register/index.js';
import type { RegisterEntry, VerifyRecord } from '../verifier.js';
import { HttpPopulationVerifier, batchKey } from './http-population-verifier.js';
import { populationVerifierFromEnv } from './population-verifier-from-env.js';

const SURNAMES = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi'];
const MIDDLE = ['Văn', 'Thị', 'Hữu', 'Minh', 'Ngọc'];
const GIVEN = ['An', 'Ân', 'Bình', 'Hòa', 'Thủy', 'Dũng', 'Lan', 'Quý', 'Hùng', 'Hưng', 'Tuấn'];

/** A deterministic register and records against it: verified, mismatched, not found, not sent. */
function dataset(people: number): { entries: RegisterEntry[]; records: VerifyRecord[] } {
  const rnd = seededRandom(42);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const entries: RegisterEntry[] = [];
  const records: VerifyRecord[] = [];
  for (let i = 0; i < people; i++) {
    const year = 1940 + (i % 60);
    const dob = `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
    const sex = i % 2 === 0 ? ('M' as const) : ('F' as const);
    const e: RegisterEntry = { idNumber: `0${String(10 + (i % 80)).padStart(2, '0')}${sex === 'M' ? 0 : 1}${String(year % 100).padStart(2, '0')}${String(i).padStart(6, '0')}`, fullName: `${pick(SURNAMES)} ${pick(MIDDLE)} ${pick(GIVEN)}`, dob, sex };
    entries.push(e);
    const kind = i % 10;
    const base = { recordId: `p${i}`, idNumber: e.idNumber, fullName: e.fullName, dob: e.dob, sex: e.sex };
    if (kind === 7) records.push({ ...base, dob: `${year}` });
    else if (kind === 8) records.push({ ...base, idNumber: `9${e.idNumber.slice(1)}` });
    else if (kind === 9) records.push({ ...base, sex: null });
    else if (kind === 6) records.push({ ...base, fullName: e.fullName.toUpperCase() });
    else records.push(base);
  }
  return { entries, records };
}

interface Running {
  readonly url: string;
  close(): Promise<void>;
}

async function listen(svc: RegisterService): Promise<Running> {
  const server = serve({ fetch: svc.app.fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        if ('closeAllConnections' in server) server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

testEachDialect(
  'HTTP client against the real reference service with slowness and 5xx faults: every record answered once, as without faults, nothing double-counted',
  async ({ db, dialect, t }) => {
    const { entries, records } = dataset(5000);
    await loadRegister(db, dialect, entries);
    const expected = await matchBatch(records, new DbRegister(db));
    assert.deepEqual(new Set(expected.map((r) => r.status)), new Set(['VERIFIED', 'MISMATCH', 'NOT_FOUND', 'NOT_SENT']));

    // 25 % of requests fail (half before the work, half after it was stored); 20 % are slowed by
    // 1 s while the client gives up on an attempt after 0.5 s (normal answers take a few ms; the
    // margin is for a loaded CI machine).
    const svc = createRegisterService({ db, dialect, faults: { rate: 0.25, beforeShare: 0.5, latencyJitterMs: 5, slowRate: 0.2, slowMs: 1000, random: seededRandom(7) } });
    const server = await listen(svc);
    try {
      const client = new HttpPopulationVerifier({ url: server.url, batchSize: 200, concurrency: 5, timeoutMs: 500, retries: 12, initialDelayMs: 5, maxDelayMs: 40, breakerThreshold: 1000 });
      const results = await client.verifyBatch(records).catch((e: unknown) => {
        t.diagnostic(`FAIL server ${JSON.stringify(svc.stats())} client ${JSON.stringify(client.stats())}`);
        throw e;
      });
      assert.equal(results.length, records.length);
      assert.deepEqual(results, expected, 'identical to a fault-free run');

      const s = svc.stats();
      const c = client.stats();
      t.diagnostic(`server ${JSON.stringify(s)} client ${JSON.stringify(c)}`);
      assert.ok(s.faultsBefore > 0 && s.faultsAfter > 0, 'both kinds of fault happened');
      assert.ok(c.timeouts > 0, 'some attempts timed out');
      assert.ok(s.replayed > 0, 'some retries were answered from the stored answer');
      assert.ok(c.attempts > 25, 'there were retries');
      // No double counting: each of the 25 batches was matched exactly once.
      assert.equal(s.batchesProcessed, 25);
      assert.equal(s.recordsProcessed, records.length);
      const sums = await db
        .selectFrom('population_request')
        .select([sql<string | number>`count(*)`.as('batches'), sql<string | number>`sum(record_count)`.as('records')])
        .executeTakeFirstOrThrow();
      assert.deepEqual([Number(sums.batches), Number(sums.records)], [25, records.length]);
      const counted = Object.values(s.byStatus).reduce((a, b) => a + b, 0);
      assert.equal(counted, records.length);

      // A second run of the same records is answered entirely from stored answers.
      const before = svc.stats().batchesProcessed;
      assert.deepEqual(await client.verifyBatch(records), expected);
      assert.equal(svc.stats().batchesProcessed, before);
    } finally {
      await server.close();
      await svc.idle();
    }

    // The environment picks the client: the URL → HTTP, none → in-process over the same tables.
    const local = populationVerifierFromEnv({}, { db });
    assert.ok(!(local instanceof HttpPopulationVerifier));
    assert.deepEqual(await local.verifyBatch(records.slice(0, 300)), expected.slice(0, 300));
    assert.ok(populationVerifierFromEnv({ VAXPASS_POPULATION_URL: 'http://c06.invalid', VAXPASS_POPULATION_KEY: 'k' }, { db }) instanceof HttpPopulationVerifier);
    assert.throws(() => populationVerifierFromEnv({ VAXPASS_POPULATION_URL: 'ftp://x' }, { db }), (e: unknown) => e instanceof AppError && e.code === 'CONFIG_INVALID');
  },
  { timeout: 60_000 },
);

test('a service that is down: retries run out, the circuit opens, later calls fail at once with POPULATION_UNAVAILABLE', async () => {
  // A port that was just free: connections are refused.
  const probe = serve({ fetch: () => new Response(''), port: 0, hostname: '127.0.0.1' });
  await new Promise<void>((resolve) => probe.once('listening', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));

  const client = new HttpPopulationVerifier({ url: `http://127.0.0.1:${port}`, retries: 3, initialDelayMs: 5, maxDelayMs: 20, breakerThreshold: 3, breakerHalfOpenAfterMs: 60_000, timeoutMs: 1000 });
  const records: VerifyRecord[] = [{ recordId: '1', idNumber: '001090012345', fullName: 'Nguyễn Văn An', dob: '1990', sex: 'M' }];
  const t0 = performance.now();
  await assert.rejects(client.verifyBatch(records), (e: unknown) => {
    assert.ok(e instanceof AppError);
    assert.equal(e.code, 'POPULATION_UNAVAILABLE');
    assert.equal(e.status, 503);
    assert.match(e.message, /ECONNREFUSED|connection failed/);
    return true;
  });
  assert.equal(client.circuitState, 'open');
  const attempts = client.stats().attempts;
  assert.equal(attempts, 3, 'the third consecutive failure opened the circuit; no fourth attempt');
  const t1 = performance.now();
  await assert.rejects(client.verifyBatch(records), (e: unknown) => e instanceof AppError && e.code === 'POPULATION_UNAVAILABLE' && e.details?.cause === 'circuit_open' && /circuit open/.test(e.message));
  assert.ok(performance.now() - t1 < 50, 'fails fast while open');
  assert.ok(t1 - t0 < 2000, 'gave up quickly');
  assert.equal(client.stats().attempts, attempts, 'no request sent while open');
  assert.equal(client.stats().breaks, 1);
});

test('4xx are not retried; an answer that does not fit the contract is refused', async () => {
  let calls = 0;
  const refusing = new HttpPopulationVerifier({
    url: 'http://c06.test/api/',
    retries: 5,
    initialDelayMs: 1,
    fetch: (input) => {
      calls++;
      assert.equal(input instanceof Request ? input.url : input.toString(), 'http://c06.test/api/v1/identity/verify');
      return Promise.resolve(new Response(JSON.stringify({ detail: 'records[0].sex: must be "M", "F" or null' }), { status: 422 }));
    },
  });
  const records: VerifyRecord[] = [
    { recordId: 'a', idNumber: null, fullName: null, dob: null, sex: null },
    { recordId: 'b', idNumber: null, fullName: null, dob: null, sex: null },
  ];
  await assert.rejects(refusing.verifyBatch(records), (e: unknown) => e instanceof AppError && e.code === 'POPULATION_REJECTED' && /HTTP 422: records\[0\]/.test(e.message));
  assert.equal(calls, 1);

  const sent: { key: string | null; auth: string | null; body: string }[] = [];
  const short = new HttpPopulationVerifier({
    url: 'http://c06.test',
    apiKey: 'k3y',
    batchSize: 1,
    fetch: (_input, init) => {
      const headers = new Headers(init?.headers);
      sent.push({ key: headers.get('idempotency-key'), auth: headers.get('authorization'), body: typeof init?.body === 'string' ? init.body : '' });
      return Promise.resolve(Response.json({ results: [] }));
    },
  });
  await assert.rejects(short.verifyBatch(records, { idempotencyKey: 'run-1' }), (e: unknown) => e instanceof AppError && e.code === 'POPULATION_PROTOCOL' && /0 results for 1 records/.test(e.message));
  assert.equal(sent[0]?.auth, 'Bearer k3y');
  assert.equal(sent[0]?.key, batchKey([records[0] as VerifyRecord], 'run-1'));
  assert.deepEqual(JSON.parse(sent[0]?.body ?? ''), { records: [{ record_id: 'a', id_number: null, full_name: null, dob: null, sex: null }] });
  assert.equal(await new HttpPopulationVerifier({ url: 'http://c06.test', fetch: () => Promise.reject(new Error('unused')) }).verifyBatch([]).then((r) => r.length), 0);
});

test('batch keys: content-derived, stable, and separated by the caller key', () => {
  const a: VerifyRecord[] = [{ recordId: '1', idNumber: '001090012345', fullName: 'A', dob: '1990', sex: 'M' }];
  const b: VerifyRecord[] = [{ ...a[0], recordId: '1', idNumber: '001090012345', fullName: 'A', dob: '1991', sex: 'M' }];
  assert.match(batchKey(a), /^[0-9a-f]{64}$/);
  assert.equal(batchKey(a), batchKey([{ ...a[0] } as VerifyRecord]));
  assert.notEqual(batchKey(a), batchKey(b));
  assert.notEqual(batchKey(a, 'x'), batchKey(a, 'y'));
  assert.notEqual(batchKey(a, 'x'), batchKey(a));
});
