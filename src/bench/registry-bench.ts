/**
 * `vaxpass bench registry`: the bulk-import figures of issue "Vaccination registry" measured in
 * one run: seed rate to CSV, CSV parse and validation rates (context), CSV → SQLite and
 * CSV → PostgreSQL import rates (first import and re-import of the same file, all duplicates),
 * and the peak RSS of a large import run in a child process.
 *
 * Imports are slow to repeat, so each is measured once on a generated file (seeded Hà Nội,
 * deterministic); the parse and validation loops take the best of a few passes.
 */
import { execFile } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULT_BENCH_PG, createDb, migrateToLatest, openScratchDb } from '../db/index.js';
import type { DbHandle } from '../db/index.js';
import { createRecordValidator, importFile, mapHeader, readCsvRecords } from '../registry/import/index.js';
import type { RawRecord, RecordField } from '../registry/import/index.js';
import { benchSeed, generateProvince, writeSeedCsv } from '../registry/seed/index.js';
import type { Goal } from './bench-result.js';

const run = promisify(execFile);

/** Options of {@link runRegistryBench}. */
export interface RegistryBenchOptions {
  /** Rows of the file imported into each engine (about; people = rows / 2.4). */
  rows: number;
  /** Rows of the file imported in a child process for the peak RSS; 0 skips it. */
  rssRows: number;
  /** People generated for the seed rate. */
  seedPeople: number;
  /** PostgreSQL server (a fresh schema is created and dropped); default `VAXPASS_BENCH_PG` or the local test server. */
  pgUrl?: string;
  log?: (line: string) => void;
}

/** Defaults: about 1–2 minutes on a 2-core machine, most of it the 1M-row RSS import. */
export const DEFAULT_REGISTRY_BENCH_OPTIONS: Readonly<RegistryBenchOptions> = { rows: 200_000, rssRows: 1_000_000, seedPeople: 200_000 };

/** One engine's import figures. */
export interface ImportFigures {
  available: boolean;
  /** Why the engine was not measured (PostgreSQL unreachable). */
  reason?: string;
  rows: number;
  imported: number;
  rejected: number;
  /** First import of the file, rows per second (whole `importFile`: hash, parse, validate, write). */
  rows_per_s: number;
  /** The same file again: every valid row is a duplicate. */
  reimport_rows_per_s: number;
}

/** The registry bench result (also its `--json` output). */
export interface RegistryBenchResult {
  cores: number;
  machine: { cpu: string; node: string; platform: string; load_average: { start: number[]; end: number[] } };
  seed: { people: number; rows: number; seconds: number; people_per_s: number };
  file: { rows: number; bytes: number; people: number };
  csv_parse_rows_per_s: number;
  validate_rows_per_s: number;
  import: { sqlite: ImportFigures; postgres: ImportFigures };
  peak_rss: { measured: boolean; rows: number; rows_per_s: number; max_rss_mb: number };
  goals: Goal[];
}

/** Rows per person in seeded files (doses per vaccinated resident, plus the unvaccinated). */
const ROWS_PER_PERSON = 2.4;
const TODAY = '2026-11-25';

async function seedFile(dir: string, rows: number): Promise<{ path: string; rows: number; bytes: number; people: number }> {
  const people = Math.max(10, Math.round(rows / ROWS_PER_PERSON));
  const s = await writeSeedCsv(generateProvince({ provinceCode: '01', people, seed: 7 }), dir);
  const path = join(dir, 'records.csv');
  return { path, rows: s.records, bytes: (await stat(path)).size, people };
}

/** Best rate of `passes` runs of an async pass over `n` items. */
async function bestRate(n: number, passes: number, pass: () => Promise<void> | void): Promise<number> {
  let best = 0;
  for (let i = 0; i < passes; i++) {
    const t = performance.now();
    await pass();
    best = Math.max(best, (n * 1000) / (performance.now() - t));
  }
  return Math.round(best);
}

async function readRows(path: string): Promise<RawRecord[]> {
  const out: RawRecord[] = [];
  let columns: readonly (RecordField | null)[] | undefined;
  for await (const r of readCsvRecords(createReadStream(path, { highWaterMark: 1 << 20 }))) {
    if (columns === undefined) {
      columns = mapHeader(r.cells).columns;
      continue;
    }
    const v: RawRecord = {};
    columns.forEach((c, i) => {
      if (c) v[c] = r.cells[i];
    });
    out.push(v);
  }
  return out;
}

async function importInto(h: DbHandle, path: string): Promise<Omit<ImportFigures, 'available'>> {
  await migrateToLatest(h.db);
  await h.db.insertInto('facility').values({ code: 'BENCH', name: 'Bench', province_code: '01', type: 'hospital' }).execute();
  const options = { facilityCode: 'BENCH', actor: 'bench', errorReport: null, today: TODAY };
  const first = await importFile(h.db, h.dialect, path, options);
  const again = await importFile(h.db, h.dialect, path, options);
  return {
    rows: first.rows,
    imported: first.imported,
    rejected: first.rejected,
    rows_per_s: Math.round(first.rows / first.seconds),
    reimport_rows_per_s: Math.round(again.rows / again.seconds),
  };
}

async function importPostgres(url: string, path: string): Promise<ImportFigures> {
  let scratch: Awaited<ReturnType<typeof openScratchDb>>;
  try {
    scratch = await openScratchDb('postgres', url);
  } catch (e) {
    return { available: false, reason: `PostgreSQL unreachable at ${url.replace(/\/\/([^:@/]*):[^@/]*@/, '//$1:***@')}: ${(e as Error).message}`, rows: 0, imported: 0, rejected: 0, rows_per_s: 0, reimport_rows_per_s: 0 };
  }
  try {
    return { available: true, ...(await importInto(scratch.handle, path)) };
  } finally {
    await scratch.dispose();
  }
}

/** Spawns the import child on `path` and reads its figures. */
async function childImport(path: string, dbFile: string): Promise<{ rows: number; seconds: number; max_rss_kb: number }> {
  const here = fileURLToPath(import.meta.url);
  const args =
    extname(here) === '.ts'
      ? ['--import', 'tsx', fileURLToPath(new URL('./registry-import-child.ts', import.meta.url))]
      : [fileURLToPath(new URL('./registry-import-child.js', import.meta.url))];
  const { stdout } = await run(process.execPath, [...args, path, dbFile], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as { rows: number; seconds: number; max_rss_kb: number };
}

/**
 * Checks the registry figures against the goals.
 * @param r - the measured figures
 */
export function evaluateRegistryGoals(r: Omit<RegistryBenchResult, 'goals'>): Goal[] {
  const g = (id: string, measure: string, value: number, target: number): Goal => ({ id, measure, value, target, unit: '/s', pass: value >= target });
  const pgNote = r.import.postgres.available ? '' : ' (PostgreSQL unavailable)';
  return [
    g('seed_people_per_s', 'seed to CSV, people per second', r.seed.people_per_s, 200_000),
    g('import_sqlite_rows_per_s', 'CSV import into SQLite, rows per second', r.import.sqlite.rows_per_s, 100_000),
    g('import_postgres_rows_per_s', `CSV import into PostgreSQL, rows per second${pgNote}`, r.import.postgres.rows_per_s, 100_000),
  ];
}

/**
 * Runs the registry benchmark.
 * @param options - sizes, PostgreSQL server, progress sink
 */
export async function runRegistryBench(options: RegistryBenchOptions = DEFAULT_REGISTRY_BENCH_OPTIONS): Promise<RegistryBenchResult> {
  const log = options.log ?? ((): void => undefined);
  const pgUrl = options.pgUrl ?? process.env.VAXPASS_BENCH_PG ?? DEFAULT_BENCH_PG;
  const loadStart = loadavg();
  const dir = await mkdtemp(join(tmpdir(), 'vaxpass-registry-bench-'));
  try {
    log(`registry bench: seeding ${options.seedPeople} people to CSV`);
    await benchSeed(Math.min(options.seedPeople, 5000)); // warm-up (JIT), not recorded
    const s = await benchSeed(options.seedPeople);
    log(`registry bench: generating a ${options.rows}-row import file`);
    const file = await seedFile(join(dir, 'rates'), options.rows);
    const parse = await bestRate(file.rows, 3, async () => {
      for await (const rec of readCsvRecords(createReadStream(file.path, { highWaterMark: 1 << 20 }))) if (rec.line < 0) break;
    });
    const raws = await readRows(file.path);
    const validate = await bestRate(raws.length, 3, () => {
      const v = createRecordValidator({ today: TODAY });
      for (const raw of raws) v(raw);
    });
    raws.length = 0;
    log(`registry bench: importing ${file.rows} rows into SQLite`);
    const sqliteDb = createDb({ kind: 'sqlite', file: join(dir, 'bench.db') });
    let sqlite: ImportFigures;
    try {
      sqlite = { available: true, ...(await importInto(sqliteDb, file.path)) };
    } finally {
      await sqliteDb.close();
    }
    log(`registry bench: importing ${file.rows} rows into PostgreSQL`);
    const postgres = await importPostgres(pgUrl, file.path);
    if (!postgres.available) log(`registry bench: ${postgres.reason ?? ''}`);
    let peak: RegistryBenchResult['peak_rss'] = { measured: false, rows: 0, rows_per_s: 0, max_rss_mb: 0 };
    if (options.rssRows > 0) {
      log(`registry bench: peak RSS of a ${options.rssRows}-row SQLite import (child process)`);
      const big = await seedFile(join(dir, 'rss'), options.rssRows);
      const c = await childImport(big.path, join(dir, 'rss.db'));
      peak = { measured: true, rows: c.rows, rows_per_s: Math.round(c.rows / c.seconds), max_rss_mb: Math.round(c.max_rss_kb / 1024) };
    }
    const result: Omit<RegistryBenchResult, 'goals'> = {
      cores: availableParallelism(),
      machine: {
        cpu: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
        load_average: { start: loadStart.map((x) => Math.round(x * 100) / 100), end: loadavg().map((x) => Math.round(x * 100) / 100) },
      },
      seed: { people: s.people, rows: s.rows, seconds: Math.round(s.seconds * 1000) / 1000, people_per_s: Math.round(s.peoplePerSecond) },
      file: { rows: file.rows, bytes: file.bytes, people: file.people },
      csv_parse_rows_per_s: parse,
      validate_rows_per_s: validate,
      import: { sqlite, postgres },
      peak_rss: peak,
    };
    return { ...result, goals: evaluateRegistryGoals(result) };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
