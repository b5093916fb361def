/**
 * The reference population register service: answers the national service's HTTP contract
 * (`./population-openapi.ts`) from `population_register`, so the HTTP client is tested against
 * a real server, with injected slowness and 5xx faults (`./faults.ts`).
 *
 * Idempotency: the answer to a request with an `Idempotency-Key` is stored (with the hash of its
 * records) before it is sent. A repeat of the key is answered from the store, and a repeat that
 * arrives while the first is still being worked on waits for it, so a batch is matched and
 * counted once however often the client retries.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Kysely } from 'kysely';
import type { Database, DbDialect } from '../../db/index.js';
import { AppError, toProblem } from '../../errors/index.js';
import { matchBatch } from '../matching/index.js';
import type { RegisterLookup, VerifyRecord, VerifyStatus } from '../verifier.js';
import { DbRegister } from './db-register.js';
import { planFault, type FaultOptions } from './faults.js';
import { populationOpenApi } from './population-openapi.js';
import { parseVerifyRequest, recordsSha256, toWireResult } from './wire-format.js';

/** Largest request body accepted. */
const MAX_BODY_BYTES = 4 << 20;
/** Stored answers are kept this long by default (then a repeat of the key is a new request). */
const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 3600_000;
/** Expired answers are deleted every this many stored ones. */
const PRUNE_EVERY = 200;

/** Options of {@link createRegisterService}. */
export interface RegisterServiceOptions {
  readonly db: Kysely<Database>;
  readonly dialect: DbDialect;
  /** Injected slowness and failures; none by default. */
  readonly faults?: FaultOptions;
  /** When set, `/v1/*` requires `Authorization: Bearer <apiKey>`. */
  readonly apiKey?: string;
  /** The register to match against; default `new DbRegister(db)`. */
  readonly lookup?: RegisterLookup;
  /** How long a stored answer replays; default 24 h. */
  readonly idempotencyTtlMs?: number;
}

/** What the service did since it started (for tests and the serve command's log). */
export interface RegisterServiceStats {
  /** Verify requests received. */
  requests: number;
  /** 200 answers sent (fresh or replayed). */
  answered: number;
  /** Batches matched: once per idempotency key (and once per request without one). */
  batchesProcessed: number;
  /** Records matched, summed over processed batches: the no-double-count figure. */
  recordsProcessed: number;
  /** Answers taken from a stored or concurrent first answer instead of matching again. */
  replayed: number;
  /** Requests failed with 503 before any work. */
  faultsBefore: number;
  /** Requests failed with 500 after the work was done and stored. */
  faultsAfter: number;
  /** 4xx answers. */
  rejected: number;
  /** Results of processed batches by status. */
  byStatus: Record<VerifyStatus, number>;
}

/** A running service: the Hono app and its counters. */
export interface RegisterService {
  readonly app: Hono;
  /** A snapshot of the counters. */
  stats(): RegisterServiceStats;
  /** Resolves once no verify request is being worked on (e.g. before closing the database). */
  idle(): Promise<void>;
}

type Outcome = { readonly kind: 'answer'; readonly sha: string; readonly body: string; readonly replayed: boolean } | { readonly kind: 'conflict' };

function sleep(ms: number): Promise<void> {
  return ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}

function problemResponse(err: unknown): Response {
  const p = toProblem(err);
  return new Response(JSON.stringify(p), { status: p.status, headers: { 'content-type': 'application/problem+json' } });
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/**
 * Builds the reference service.
 * @param options - database, faults, API key
 */
export function createRegisterService(options: RegisterServiceOptions): RegisterService {
  const { db } = options;
  const lookup = options.lookup ?? new DbRegister(db);
  const faults = options.faults ?? {};
  const ttlMs = options.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS;
  const keyDigest = options.apiKey ? sha256(options.apiKey) : undefined;
  const inFlight = new Map<string, Promise<Outcome>>();
  const stats: RegisterServiceStats = {
    requests: 0,
    answered: 0,
    batchesProcessed: 0,
    recordsProcessed: 0,
    replayed: 0,
    faultsBefore: 0,
    faultsAfter: 0,
    rejected: 0,
    byStatus: { VERIFIED: 0, MISMATCH: 0, NOT_FOUND: 0, NOT_SENT: 0 },
  };
  let stored = 0;
  let active = 0;
  let idleWaiters: (() => void)[] = [];
  let registerSize: { at: number; count: number } | undefined;

  const match = async (records: readonly VerifyRecord[]): Promise<string> => {
    const results = await matchBatch(records, lookup);
    for (const r of results) stats.byStatus[r.status]++;
    return JSON.stringify({ results: results.map(toWireResult) });
  };
  const counted = (records: readonly VerifyRecord[]): void => {
    stats.batchesProcessed++;
    stats.recordsProcessed += records.length;
  };

  const storedOutcome = async (key: string, sha: string): Promise<Outcome | undefined> => {
    const row = await db.selectFrom('population_request').select(['request_sha256', 'response_json', 'created_at']).where('idempotency_key', '=', key).executeTakeFirst();
    if (row === undefined) return undefined;
    if (Date.parse(row.created_at) + ttlMs < Date.now()) {
      await db.deleteFrom('population_request').where('idempotency_key', '=', key).where('created_at', '=', row.created_at).execute();
      return undefined;
    }
    return row.request_sha256 === sha ? { kind: 'answer', sha, body: row.response_json, replayed: true } : { kind: 'conflict' };
  };

  const processKeyed = async (key: string, sha: string, records: readonly VerifyRecord[]): Promise<Outcome> => {
    const before = await storedOutcome(key, sha);
    if (before !== undefined) return before;
    const body = await match(records);
    const inserted = await db
      .insertInto('population_request')
      .values({ idempotency_key: key, request_sha256: sha, record_count: records.length, response_json: body, created_at: new Date().toISOString() })
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
      .returning('idempotency_key')
      .executeTakeFirst();
    if (inserted === undefined) {
      // Another process stored this key meanwhile: its answer is the one.
      return (await storedOutcome(key, sha)) ?? { kind: 'answer', sha, body, replayed: false };
    }
    counted(records);
    if (++stored % PRUNE_EVERY === 0) {
      await db.deleteFrom('population_request').where('created_at', '<', new Date(Date.now() - ttlMs).toISOString()).execute();
    }
    return { kind: 'answer', sha, body, replayed: false };
  };

  const answer = async (key: string | undefined, records: readonly VerifyRecord[]): Promise<Outcome> => {
    const sha = recordsSha256(records);
    if (key === undefined) {
      const body = await match(records);
      counted(records);
      return { kind: 'answer', sha, body, replayed: false };
    }
    const running = inFlight.get(key);
    if (running !== undefined) {
      const first = await running;
      return first.kind === 'answer' && first.sha === sha ? { ...first, replayed: true } : { kind: 'conflict' };
    }
    const work = processKeyed(key, sha, records);
    inFlight.set(key, work);
    try {
      return await work;
    } finally {
      inFlight.delete(key);
    }
  };

  const app = new Hono();
  app.onError((err) => {
    if (!(err instanceof AppError)) process.stderr.write(`population service: ${err.stack ?? err.message}\n`);
    return problemResponse(err);
  });

  app.get('/health', async (c) => {
    if (registerSize === undefined || Date.now() - registerSize.at > 30_000) {
      const row = await db.selectFrom('population_register').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirst();
      registerSize = { at: Date.now(), count: Number(row?.n ?? 0) };
    }
    return c.json({ status: 'ok', register: registerSize.count });
  });
  app.get('/openapi.json', (c) => c.json(populationOpenApi(new URL(c.req.url).origin)));

  app.use('/v1/*', async (c, next) => {
    if (keyDigest !== undefined) {
      const m = /^Bearer\s+(\S+)$/i.exec(c.req.header('authorization') ?? '');
      if (m?.[1] === undefined || !timingSafeEqual(sha256(m[1]), keyDigest)) {
        stats.rejected++;
        return problemResponse(new AppError('UNAUTHENTICATED', 'a valid API key is required: Authorization: Bearer <key>', 401));
      }
    }
    await next();
  });

  app.post(
    '/v1/identity/verify',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        stats.rejected++;
        return problemResponse(new AppError('PAYLOAD_TOO_LARGE', `the body exceeds ${MAX_BODY_BYTES} bytes`, 413));
      },
    }),
    async (c, next) => {
      active++;
      try {
        await next();
      } finally {
        if (--active === 0) {
          for (const wake of idleWaiters) wake();
          idleWaiters = [];
        }
      }
    },
    async (c) => {
      stats.requests++;
      let body: unknown;
      try {
        body = JSON.parse(await c.req.text());
      } catch {
        stats.rejected++;
        return problemResponse(new AppError('BAD_REQUEST', 'the body is not JSON', 400));
      }
      const parsed = parseVerifyRequest(body);
      if (!parsed.ok) {
        stats.rejected++;
        const code = parsed.status === 413 ? 'TOO_MANY_RECORDS' : 'VALIDATION';
        return problemResponse(new AppError(code, parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; '), parsed.status, { issues: parsed.issues }));
      }
      const key = c.req.header('idempotency-key');
      if (key !== undefined && (key === '' || key.length > 200)) {
        stats.rejected++;
        return problemResponse(new AppError('VALIDATION', 'Idempotency-Key must be 1–200 characters', 422));
      }

      const plan = planFault(faults);
      await sleep(plan.delayMs);
      if (plan.fail === 'before') {
        stats.faultsBefore++;
        return problemResponse(new AppError('UNAVAILABLE', 'injected fault: unavailable, nothing done', 503));
      }
      const outcome = await answer(key, parsed.records);
      if (outcome.kind === 'conflict') {
        stats.rejected++;
        return problemResponse(new AppError('IDEMPOTENCY_KEY_REUSED', `Idempotency-Key ${key ?? ''} was used for other records`, 422));
      }
      if (outcome.replayed) stats.replayed++;
      if (plan.fail === 'after') {
        stats.faultsAfter++;
        return problemResponse(new AppError('INTERNAL', 'injected fault: failed after the work was stored', 500));
      }
      stats.answered++;
      return c.body(outcome.body, 200, { 'content-type': 'application/json', ...(outcome.replayed ? { 'idempotent-replayed': 'true' } : {}) });
    },
  );

  return {
    app,
    stats: () => structuredClone(stats),
    idle: () => (active === 0 ? Promise.resolve() : new Promise<void>((resolve) => idleWaiters.push(resolve))),
  };
}
