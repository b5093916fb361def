import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { testEachDialect } from '../db/test-helpers/dialects.js';
import { AppError } from '../errors/index.js';
import { ChannelTransport, ConsoleTransport, FileTransport, deliverPending, enqueueNotification, listOutbox, notificationTransportFromEnv } from './index.js';
import type { Notification } from './index.js';

testEachDialect('outbox: enqueued with the change (rollback drops it), delivered to a JSON-lines file', async ({ db }) => {
  await assert.rejects(
    db.transaction().execute(async (trx) => {
      await enqueueNotification(trx, { channel: 'sms', recipient: '0912345678', template: 't.rolled_back', payload: {} });
      throw new Error('the change failed');
    }),
    /the change failed/,
  );
  assert.deepEqual(await listOutbox(db), []);

  const a = await enqueueNotification(db, { channel: 'sms', recipient: '0912345678', template: 'report.received', payload: { report_id: 1 } });
  const b = await enqueueNotification(db, { channel: 'email', recipient: 'an@example.vn', template: 'report.received', payload: { report_id: 1 } });
  await assert.rejects(enqueueNotification(db, { channel: 'fax' as 'sms', recipient: 'x', template: 't', payload: {} }), (e: unknown) => e instanceof AppError && e.status === 422);

  const dir = mkdtempSync(join(tmpdir(), 'vaxpass-notify-'));
  try {
    const file = join(dir, 'sub', 'notifications.log');
    const r = await deliverPending(db, new FileTransport(file), { limit: 10 });
    assert.deepEqual(r, { claimed: 2, sent: 2, retried: 0, failed: 0 });
    const lines = readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { id: number; channel: string; recipient: string; template: string; payload: unknown });
    assert.deepEqual(lines.map((l) => [l.id, l.channel, l.recipient, l.template, l.payload]), [
      [a, 'sms', '0912345678', 'report.received', { report_id: 1 }],
      [b, 'email', 'an@example.vn', 'report.received', { report_id: 1 }],
    ]);
    const rows = await listOutbox(db);
    assert.deepEqual(rows.map((x) => [x.status, x.attempts, x.sentAt !== null]), [['sent', 1, true], ['sent', 1, true]]);
    assert.deepEqual(await deliverPending(db, new FileTransport(file)), { claimed: 0, sent: 0, retried: 0, failed: 0 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

testEachDialect('outbox: a failing transport is retried with backoff, then the row is marked failed', async ({ db }) => {
  const id = await enqueueNotification(db, { channel: 'push', recipient: 'device-1', template: 't', payload: {} });
  let clock = new Date(Date.now() + 1000);
  const now = (): Date => clock;
  let calls = 0;
  const flaky = { send: (): Promise<void> => { calls++; return Promise.reject(new Error('gateway 503')); } };
  const opts = { now, maxAttempts: 3, backoffMs: () => 60_000 };

  assert.deepEqual(await deliverPending(db, flaky, opts), { claimed: 1, sent: 0, retried: 1, failed: 0 });
  // Not due yet: the backoff holds it back.
  assert.deepEqual(await deliverPending(db, flaky, opts), { claimed: 0, sent: 0, retried: 0, failed: 0 });
  clock = new Date(clock.getTime() + 61_000);
  assert.deepEqual(await deliverPending(db, flaky, opts), { claimed: 1, sent: 0, retried: 1, failed: 0 });
  clock = new Date(clock.getTime() + 61_000);
  assert.deepEqual(await deliverPending(db, flaky, opts), { claimed: 1, sent: 0, retried: 0, failed: 1 });
  clock = new Date(clock.getTime() + 3_600_000);
  assert.deepEqual(await deliverPending(db, flaky, opts), { claimed: 0, sent: 0, retried: 0, failed: 0 });
  assert.equal(calls, 3);
  const [row] = await listOutbox(db);
  assert.deepEqual([row?.id, row?.status, row?.attempts, row?.error], [id, 'failed', 3, 'gateway 503']);
});

testEachDialect('outbox: concurrent workers never send a row twice; a lapsed lease is reclaimed', async ({ db }) => {
  for (let i = 0; i < 40; i++) await enqueueNotification(db, { channel: 'console', recipient: `r${i}`, template: 't', payload: { i } });
  const seen: number[] = [];
  const slow = { send: async (n: Notification): Promise<void> => { seen.push(n.id); await new Promise((r) => setTimeout(r, 1)); } };
  const results = await Promise.all([deliverPending(db, slow, { limit: 15 }), deliverPending(db, slow, { limit: 15 }), deliverPending(db, slow, { limit: 15 })]);
  assert.equal(results.reduce((s, r) => s + r.sent, 0), 40);
  assert.equal(new Set(seen).size, seen.length, 'no row sent twice');
  assert.equal(seen.length, 40);

  // A worker that claimed a row and died: the row is skipped until its lease lapses.
  const id = await enqueueNotification(db, { channel: 'console', recipient: 'x', template: 't', payload: {} });
  await db.updateTable('notification_outbox').set({ locked_until: new Date(Date.now() + 60_000).toISOString() }).where('id', '=', id).execute();
  assert.equal((await deliverPending(db, slow)).claimed, 0);
  assert.equal((await deliverPending(db, slow, { now: () => new Date(Date.now() + 120_000) })).sent, 1);
});

test('ChannelTransport routes by channel; ConsoleTransport writes one line; transport from env', async () => {
  const lines: string[] = [];
  const sms: string[] = [];
  const t = new ChannelTransport({ sms: { send: (n) => { sms.push(n.recipient); return Promise.resolve(); } }, fallback: new ConsoleTransport((l) => lines.push(l)) });
  const base = { id: 1, attempts: 0, createdAt: '2025-01-01T00:00:00.000Z', template: 'hello', payload: { a: 1 } };
  await t.send({ ...base, channel: 'sms', recipient: '0912' });
  await t.send({ ...base, channel: 'email', recipient: 'a@b.vn' });
  assert.deepEqual(sms, ['0912']);
  assert.deepEqual(lines, ['[notify] email → a@b.vn hello {"a":1}']);
  assert.ok(notificationTransportFromEnv({}) instanceof FileTransport);
  const fromEnv = notificationTransportFromEnv({ VAXPASS_NOTIFY_FILE: '/tmp/x.log' });
  assert.equal(fromEnv instanceof FileTransport ? fromEnv.file : '', '/tmp/x.log');
  assert.ok(notificationTransportFromEnv({ VAXPASS_NOTIFY_TRANSPORT: 'console' }) instanceof ConsoleTransport);
  assert.throws(() => notificationTransportFromEnv({ VAXPASS_NOTIFY_TRANSPORT: 'pigeon' }), /VAXPASS_NOTIFY_TRANSPORT/);
});
