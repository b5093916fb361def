import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { generateProvince } from './generate-province.js';
import { writeSeedCsv } from './write-seed-files.js';

/** Result of `benchSeed`. */
export interface SeedBenchResult {
  readonly people: number;
  readonly rows: number;
  readonly seconds: number;
  readonly peoplePerSecond: number;
}

/**
 * Generates `people` residents of Hà Nội (seed 1) to CSV in a temporary folder, single-threaded,
 * and reports the rate (generation + all four files). The folder is removed afterwards.
 * @param people - how many people to generate
 * @param provinceCode - province to generate (default `01`)
 */
export async function benchSeed(people: number, provinceCode = '01'): Promise<SeedBenchResult> {
  const dir = await mkdtemp(join(tmpdir(), 'vaxpass-seed-bench-'));
  try {
    const gen = generateProvince({ provinceCode, people, seed: 1 });
    const t0 = performance.now();
    const s = await writeSeedCsv(gen, dir);
    const seconds = (performance.now() - t0) / 1000;
    return { people: s.people, rows: s.records, seconds, peoplePerSecond: s.people / seconds };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
