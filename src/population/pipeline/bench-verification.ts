/**
 * Bench hook for `population verify` end to end: seeds a province of N people into a fresh
 * database (SQLite temp file or a throw-away PostgreSQL schema), loads the population register
 * from the generator's truth, then times `runVerification` over the whole province (records/s),
 * and a second run that finds nothing to send. For `src/bench` to call; it does not print.
 */
import { DEFAULT_BENCH_PG, migrateToLatest, openScratchDb, type DbDialect } from '../../db/index.js';
import { generateProvince, seedDatabase } from '../../registry/seed/index.js';
import { LocalVerifier, MemoryRegister } from '../matching/index.js';
import { DbRegister, loadRegister } from '../register/index.js';
import type { RegisterEntry } from '../verifier.js';
import { runVerification } from './run-verification.js';
import type { VerificationSummary } from './verification-types.js';

/** Options of {@link benchVerification}. */
export interface VerificationBenchOptions {
  readonly people: number;
  readonly dialect: DbDialect;
  /** PostgreSQL server (a fresh schema is created and dropped); default `VAXPASS_BENCH_PG` or the local test server. */
  readonly pgUrl?: string;
  /** Default `01` (Hà Nội). */
  readonly provinceCode?: string;
  readonly seed?: number;
  readonly batchSize?: number;
  readonly concurrency?: number;
  /** `db`: the register in `population_register` (the embedded default); `memory`: a MemoryRegister. Default `db`. */
  readonly register?: 'db' | 'memory';
  readonly log?: (line: string) => void;
}

/** What {@link benchVerification} measured. */
export interface VerificationBenchResult {
  readonly dialect: DbDialect;
  readonly register: 'db' | 'memory';
  readonly people: number;
  readonly seed: { readonly rows: number; readonly imported: number; readonly seconds: number };
  readonly registerLoad: { readonly entries: number; readonly seconds: number };
  readonly verify: VerificationSummary;
  /** People verified (all statuses) per second of the first run. */
  readonly recordsPerSecond: number;
  /** The second run (nothing changed: nothing sent). */
  readonly rerunSeconds: number;
}

/**
 * Seeds, loads the register, verifies, and reports the rates.
 * @param options - size, engine, register kind, batch size
 * @throws Error when PostgreSQL is unreachable or migrations fail
 */
export async function benchVerification(options: VerificationBenchOptions): Promise<VerificationBenchResult> {
  const log = options.log ?? (() => undefined);
  const pgUrl = options.pgUrl ?? process.env.VAXPASS_BENCH_PG ?? DEFAULT_BENCH_PG;
  const registerKind = options.register ?? 'db';
  const { handle, dispose } = await openScratchDb(options.dialect, pgUrl, 'vaxpass-verify-bench-');
  try {
    const { db, dialect } = handle;
    const { error } = await migrateToLatest(db);
    if (error !== undefined) throw new Error('migrating the bench database failed', { cause: error });
    const gen = generateProvince({ provinceCode: options.provinceCode ?? '01', people: options.people, seed: options.seed ?? 5 });
    log(`seeding ${options.people} people (${dialect})…`);
    const seeded = await seedDatabase(db, dialect, gen, { actor: 'bench', today: '2026-11-25' });
    const truth = function* (): Iterable<RegisterEntry> {
      for (const p of gen.persons()) if (p.truth.idNumber !== null) yield { idNumber: p.truth.idNumber, fullName: p.truth.fullName, dob: p.truth.dob, sex: p.truth.sex };
    };
    const t0 = performance.now();
    let entries: number;
    let verifier: LocalVerifier;
    if (registerKind === 'db') {
      entries = (await loadRegister(db, dialect, truth(), { source: 'bench' })).loaded;
      verifier = new LocalVerifier(new DbRegister(db));
    } else {
      const reg = new MemoryRegister(truth());
      entries = reg.size;
      verifier = new LocalVerifier(reg);
    }
    const registerSeconds = (performance.now() - t0) / 1000;
    log(`register: ${entries} entries in ${registerSeconds.toFixed(1)} s; verifying…`);
    const verify = await runVerification(db, dialect, verifier, { batchSize: options.batchSize, concurrency: options.concurrency });
    const processed = verify.verified + verify.mismatch + verify.notFound + verify.notSent;
    const again = await runVerification(db, dialect, verifier, { batchSize: options.batchSize });
    return {
      dialect,
      register: registerKind,
      people: options.people,
      seed: { rows: seeded.rows, imported: seeded.imported, seconds: seeded.seconds },
      registerLoad: { entries, seconds: registerSeconds },
      verify,
      recordsPerSecond: processed / Math.max(verify.seconds, 1e-9),
      rerunSeconds: again.seconds,
    };
  } finally {
    await dispose();
  }
}
