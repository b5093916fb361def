import { performance } from 'node:perf_hooks';
import { generateProvince } from '../../registry/seed/index.js';
import type { Identity } from '../../registry/seed/index.js';
import type { RegisterEntry, VerifyRecord, VerifyStatus } from '../verifier.js';
import { matchBatch } from './match-batch.js';
import { MemoryRegister } from './memory-register.js';

/** Options of {@link benchMatching}. */
export interface MatchingBenchOptions {
  /** People in the seeded province (register size); default 200 000. */
  readonly people?: number;
  /** Records per `matchBatch` call; default 2000. */
  readonly batchSize?: number;
  /** Real-error rate of the records; default 0.27 (April 2022). */
  readonly errorRate?: number;
  /** Timed passes over the records (the best is reported); default 3. */
  readonly passes?: number;
}

/** What {@link benchMatching} measured. */
export interface MatchingBenchResult {
  readonly registerEntries: number;
  readonly records: number;
  /** Best pass: wall seconds and records per wall second through `matchBatch` on one thread. */
  readonly seconds: number;
  readonly recordsPerSecond: number;
  /**
   * Best pass by process CPU time (user + system, GC helper threads included, so conservative):
   * the per-core figure that stays meaningful on a loaded machine.
   */
  readonly cpuSeconds: number;
  readonly recordsPerCpuSecond: number;
  readonly byStatus: Record<VerifyStatus, number>;
}

function entryOf(t: Identity): RegisterEntry {
  return { idNumber: t.idNumber ?? '', fullName: t.fullName, dob: t.dob, sex: t.sex };
}

/**
 * Matching throughput against an in-process register (goal ≥ 100k records/s per core): a
 * seeded province (Hà Nội, seed 1) whose `truth` is the register and whose vaccinated people's
 * `recorded` identities (with the default error and encoding mix) are the records, matched in
 * batches through `matchBatch` on a MemoryRegister, single-threaded. Generation and indexing
 * are not timed.
 * @param options - size, batch size, error rate, passes
 */
export async function benchMatching(options: MatchingBenchOptions = {}): Promise<MatchingBenchResult> {
  const people = options.people ?? 200_000;
  const batchSize = options.batchSize ?? 2000;
  const passes = options.passes ?? 3;
  const province = generateProvince({ provinceCode: '01', people, seed: 1, errorRate: options.errorRate ?? 0.27 });
  const register = new MemoryRegister();
  const records: VerifyRecord[] = [];
  for (const p of province.persons()) {
    register.add(entryOf(p.truth));
    if (p.doses.length === 0) continue;
    const r = p.recorded;
    records.push({ recordId: String(p.seq), idNumber: r.idNumber, fullName: r.fullName, dob: r.dob, sex: r.sex });
  }
  let best = Infinity;
  let bestCpu = Infinity;
  const byStatus: Record<VerifyStatus, number> = { VERIFIED: 0, MISMATCH: 0, NOT_FOUND: 0, NOT_SENT: 0 };
  for (let pass = 0; pass < passes; pass++) {
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < records.length; i += batchSize) {
      const results = await matchBatch(records.slice(i, i + batchSize), register);
      if (pass === 0) for (const r of results) byStatus[r.status]++;
    }
    best = Math.min(best, (performance.now() - t0) / 1000);
    const cpu = process.cpuUsage(c0);
    bestCpu = Math.min(bestCpu, (cpu.user + cpu.system) / 1e6);
  }
  return {
    registerEntries: register.size,
    records: records.length,
    seconds: best,
    recordsPerSecond: records.length / best,
    cpuSeconds: bestCpu,
    recordsPerCpuSecond: records.length / bestCpu,
    byStatus,
  };
}
