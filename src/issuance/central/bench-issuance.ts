/**
 * Bench hook for `npm run bench` (called by the bench's owner): end-to-end central issuance from
 * the database — eligible people (seeded, verified and facility-signed through the real modules,
 * not timed) → stored signed certificates — on all cores, SQLite or PostgreSQL, ES256 or PS256.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_BENCH_PG, migrateToLatest, openScratchDb } from '../../db/index.js';
import type { DbDialect } from '../../db/index.js';
import { KeyCustody, pkiInit } from '../../trust/pki/index.js';
import { loadDscMaterial } from './dsc-material.js';
import { issueAll } from './issue-all.js';
import { seedEligible } from './seed-eligible.js';

/** Options of {@link benchIssuance}. */
export interface IssuanceBenchOptions {
  /** People to seed (about 95 % end up eligible). */
  readonly people: number;
  readonly dialect: DbDialect;
  /** Worker threads (default: one per core). */
  readonly workers?: number;
  readonly alg?: 'ES256' | 'PS256';
  /** RSA size for PS256 (default 3072, the DCC's advice). */
  readonly rsaBits?: 2048 | 3072;
  /** PostgreSQL (default VAXPASS_BENCH_PG or the local test database); a schema is created and dropped. */
  readonly pgUrl?: string;
  readonly log?: (line: string) => void;
  /** Verify facility signatures on the main thread (the old way), for comparison. */
  readonly verifyOnMainThread?: boolean;
}

/** What {@link benchIssuance} measured. */
export interface IssuanceBenchResult {
  readonly dialect: DbDialect;
  readonly alg: 'ES256' | 'PS256';
  readonly workers: number;
  readonly people: number;
  readonly certificates: number;
  /** Seconds of the batch (reading, deciding, signing, writing). */
  readonly seconds: number;
  /** Stored certificates per wall-clock second. */
  readonly perSecond: number;
  /** Seeding, verification and facility signing (not part of the rate). */
  readonly setupSeconds: number;
  /** CPU seconds of the batch, all threads of the process (main + workers; user + system). */
  readonly cpuSeconds: number;
  /** CPU microseconds per stored certificate: the figure to compare on a shared, loaded machine. */
  readonly cpuMicrosPerCertificate: number;
  /** What the CPU cost allows on all cores of an otherwise idle machine (cores × 1e6 / µs). */
  readonly cpuBoundPerSecond: number;
}

/**
 * Seeds an eligible province, then times `issueAll` over it.
 * @param o - size, engine, workers, algorithm
 * @throws Error when PostgreSQL is unreachable or migrations fail
 */
export async function benchIssuance(o: IssuanceBenchOptions): Promise<IssuanceBenchResult> {
  const log = o.log ?? ((): void => undefined);
  const alg = o.alg ?? 'ES256';
  const { handle, dispose } = await openScratchDb(o.dialect, o.pgUrl ?? process.env.VAXPASS_BENCH_PG ?? DEFAULT_BENCH_PG, 'vaxpass-issue-bench-');
  const dir = await mkdtemp(join(tmpdir(), 'vaxpass-issue-bench-keys-'));
  const custody = new KeyCustody({ backend: 'file', keyDir: join(dir, 'keys'), secretFile: join(dir, 'secret'), passphrase: randomBytes(16).toString('hex') });
  try {
    const { db, dialect } = handle;
    const { error } = await migrateToLatest(db);
    if (error !== undefined) throw new Error('migrating the bench database failed', { cause: error });
    const t0 = performance.now();
    await pkiInit(db, { custody, alg, modulusLength: o.rsaBits ?? 3072 });
    log(`issuance bench: seeding, verifying and signing ${o.people} people (${dialect})…`);
    const seeded = await seedEligible(db, dialect, { people: o.people, custody });
    const setupSeconds = (performance.now() - t0) / 1000;
    const workers = o.workers ?? availableParallelism();
    log(`issuance bench: ${seeded.verified} verified, ${seeded.signedDoses} doses signed in ${setupSeconds.toFixed(1)} s; issuing (${alg}, ${workers} workers)…`);
    const material = await loadDscMaterial(db, custody, alg);
    // getrusage(RUSAGE_SELF) behind cpuUsage() counts every thread, so workers are included.
    const cpu0 = process.cpuUsage();
    const r = await issueAll(db, { material, actor: 'bench', workers, ...(o.verifyOnMainThread === true ? { verifyOnMainThread: true } : {}) });
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const cpuMicrosPerCertificate = (cpuSeconds * 1e6) / Math.max(r.issued, 1);
    const cpuBoundPerSecond = (availableParallelism() * 1e6) / cpuMicrosPerCertificate;
    return { dialect, alg, workers: r.workers, people: r.people, certificates: r.issued, seconds: r.seconds, perSecond: r.perSecond, setupSeconds, cpuSeconds, cpuMicrosPerCertificate, cpuBoundPerSecond };
  } finally {
    custody.close();
    await rm(dir, { recursive: true, force: true });
    await dispose();
  }
}
