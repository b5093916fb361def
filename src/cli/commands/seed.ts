/**
 * `vaxpass seed --province CODE --people N [--seed S] [--errors RATE] [--out DIR] [--xlsx FILE]`:
 * a deterministic synthetic province. Into the database by default (facilities, people, doses,
 * through the import validator), or as files: the import template (`records.csv`), the
 * population register (`register.csv`), `facilities.csv` and the answer key `injected.csv`.
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { AppError } from '../../errors/index.js';
import { generateProvince, seedDatabase, writeSeedCsv, writeSeedXlsx } from '../../registry/seed/index.js';
import { cliActor } from './cli-db.js';
import { openConfiguredDb, type CliDbDeps } from './cli-db.js';

interface SeedCliOptions {
  province: string;
  people: string;
  seed: string;
  errors?: string;
  out?: string;
  xlsx?: string;
  json?: boolean;
}

function positiveInt(name: string, v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new AppError('USAGE', `${name} must be a whole number ≥ 0 (got ${v})`);
  return n;
}

/**
 * Registers `vaxpass seed`.
 * @param program - the root command
 * @param deps - how to open the database
 */
export function registerSeed(program: Command, deps: CliDbDeps = {}): void {
  program
    .command('seed')
    .description('generate a synthetic province (people, facilities, doses, register) into the database or files')
    .requiredOption('--province <code>', '2-digit province code, e.g. 01 (Hà Nội)')
    .option('--people <n>', 'residents to generate', '20000')
    .option('--seed <s>', 'random seed (same seed → same data)', '1')
    .option('--errors <rate>', 'share of vaccinated people with a real data error (0–1)', '0.27')
    .option('--out <dir>', 'write CSV files (records, register, facilities, injected) instead of the database')
    .option('--xlsx <file>', 'write the records as an XLSX import file instead of the database')
    .option('--json', 'print the summary as JSON')
    .action(async (o: SeedCliOptions) => {
      const errorRate = Number(o.errors ?? '0.27');
      if (!(errorRate >= 0 && errorRate <= 1)) throw new AppError('USAGE', `--errors must be between 0 and 1 (got ${o.errors ?? ''})`);
      const gen = generateProvince({ provinceCode: o.province, people: positiveInt('--people', o.people), seed: positiveInt('--seed', o.seed), errorRate });
      const print = (summary: Record<string, unknown>, text: string): void => {
        process.stdout.write(o.json ? `${JSON.stringify(summary)}\n` : `${text}\n`);
      };
      if (o.out !== undefined || o.xlsx !== undefined) {
        const t = performance.now();
        const s = o.out !== undefined ? await writeSeedCsv(gen, o.out) : await writeSeedXlsx(gen, o.xlsx ?? '');
        const seconds = (performance.now() - t) / 1000;
        print({ ...s, seconds }, `seeded ${s.people} people, ${s.records} dose rows, ${s.facilities} facilities in ${seconds.toFixed(1)} s → ${s.files.join(', ')}`);
        return;
      }
      const handle = await (deps.openDb ?? openConfiguredDb)();
      const bar = !o.json && process.stderr.isTTY ? new SingleBar({ format: 'seeding [{bar}] {percentage}% | {value}/{total} people', stream: process.stderr }) : null;
      try {
        bar?.start(gen.people, 0);
        const s = await seedDatabase(handle.db, handle.dialect, gen, { actor: cliActor(), ...(bar ? { onProgress: (n: number) => bar.update(n) } : {}) });
        bar?.stop();
        print(
          { ...s },
          `seeded province ${gen.provinceCode}: ${s.people} people, ${s.facilities} facilities, ${s.rows} dose rows → ${s.imported} imported, ${s.duplicates} duplicates, ${s.rejected} in quarantine (${s.seconds.toFixed(1)} s)`,
        );
      } finally {
        bar?.stop();
        await handle.close();
      }
    });
}
