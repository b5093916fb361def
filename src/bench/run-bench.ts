/**
 * `vaxpass bench`: every figure measured in one run on this machine, in interleaved rounds
 * (OpenSSL next to our loop for the same algorithm, the order flipped every round), keeping the
 * best round of each measure so that both sides of a ratio see the machine at its quietest.
 */
import { availableParallelism, loadavg } from 'node:os';
import { issueHc1, verifyHc1 } from '../hcert/index.js';
import type { CoseAlg } from '../hcert/index.js';
import { renderSvg } from '../hcert/qr/index.js';
import { assembleResult, stageKey } from './assemble-result.js';
import { makeBenchFixture } from './bench-fixture.js';
import type { BenchResult } from './bench-result.js';
import { IssuePool } from './issue-pool.js';
import { Samples, rate, rateAsync } from './measure.js';
import type { Rate } from './measure.js';
import { opensslVersion, runOpensslSpeed } from './openssl-speed.js';
import type { OpensslAlg, OpensslRates } from './openssl-speed.js';
import { makePeer } from './peer.js';
import { measureSignerBackends } from './signer-backends.js';
import { stagesFor } from './stages.js';

export interface BenchOptions {
  /** Seconds per measurement window (OpenSSL: rounded, at least 1). */
  seconds: number;
  /** Interleaved rounds; each measure reports its best round. */
  rounds: number;
  /** Progress lines (to stderr in the CLI). */
  log?: (line: string) => void;
  /** The openssl executable. */
  openssl?: string;
}

/** Default window and rounds: about 90 s in all on a 2-core machine. */
export const DEFAULT_BENCH_OPTIONS: Readonly<BenchOptions> = { seconds: 1, rounds: 4 };

const OPENSSL_KEYS: Record<OpensslAlg, readonly (keyof OpensslRates)[]> = {
  ecdsap256: ['es256_sign_per_s', 'es256_verify_per_s'],
  rsa2048: ['rsa2048_sign_per_s', 'rsa2048_verify_per_s'],
};

/**
 * Runs the whole benchmark.
 * @param options - window, rounds, progress sink
 */
export async function runBench(options: BenchOptions = DEFAULT_BENCH_OPTIONS): Promise<BenchResult> {
  const { seconds, rounds } = options;
  const log = options.log ?? ((): void => undefined);
  const bin = options.openssl ?? 'openssl';
  const cores = availableParallelism();
  const loadAtStart = loadavg();
  log(`bench: ${rounds} rounds of ${seconds} s windows on ${cores} cores; preparing keys, peer and pool`);
  const f = await makeBenchFixture();
  const peer = await makePeer(f);
  const pool = await IssuePool.start(f, cores);
  try {
    const stages = { ES256: stagesFor(f, 'ES256'), PS256: stagesFor(f, 'PS256') };
    const wall = new Samples();
    const cpu = new Samples();
    let recording = false;
    const record = (name: string, r: Rate): void => {
      if (!recording) return;
      wall.add(name, r.wall);
      cpu.add(name, r.cpu);
    };
    const ours = (alg: CoseAlg, window: number): void => {
      const { hc1, issue } = alg === 'ES256' ? f.es256 : f.ps256;
      const key = alg.toLowerCase();
      record(`${key}.issue_per_s`, rate(() => issueHc1(f.dcc, issue), window));
      record(`${key}.verify_per_s`, rate(() => verifyHc1(hc1, f.verify), window));
      record(`${key}.verify_no_payload_checks_per_s`, rate(() => verifyHc1(hc1, f.verifyNoChecks), window));
    };
    const openssl = async (alg: OpensslAlg): Promise<void> => {
      const run = await runOpensslSpeed(seconds, [alg], { bin });
      for (const k of OPENSSL_KEYS[alg]) record(`openssl.${k}`, { wall: run.counted[k] ?? 0, cpu: run.table[k] ?? 0 });
    };
    const pair = async (alg: CoseAlg, sslAlg: OpensslAlg, sslFirst: boolean): Promise<void> => {
      if (sslFirst) await openssl(sslAlg);
      ours(alg, seconds);
      if (!sslFirst) await openssl(sslAlg);
    };
    const stageWindow = Math.max(0.02, seconds / 4);

    // Warm-up (JIT, value-set and schema caches), not recorded. The peer's rate keeps climbing
    // for a while after start-up, so it gets the longest.
    ours('ES256', 0.2);
    ours('PS256', 0.2);
    for (const st of [...stages.ES256, ...stages.PS256]) rate(st.run, 0.02);
    await rateAsync(() => peer.issue(), Math.min(1, 2 * seconds));
    await rateAsync(() => peer.verify(), Math.min(1, 2 * seconds));
    rate(() => renderSvg(f.es256.hc1), 0.2);
    await pool.measure(0.2);
    recording = true;

    for (let r = 0; r < rounds; r++) {
      const t = performance.now();
      await pair('ES256', 'ecdsap256', r % 2 === 0);
      // The pool next to the one-core ES256 issue above, and OpenSSL's own scaling next to it.
      record('pool.es256.issue_per_s', await pool.measure(seconds));
      const all = await runOpensslSpeed(seconds, ['ecdsap256'], { bin, multi: cores });
      wall.add('openssl.es256_sign_all_cores_per_s', all.table.es256_sign_per_s ?? 0);
      await pair('PS256', 'rsa2048', r % 2 === 1);
      record('peer.es256.issue_per_s', await rateAsync(() => peer.issue(), seconds));
      record('peer.es256.verify_per_s', await rateAsync(() => peer.verify(), seconds));
      record('qr.svg_per_s', rate(() => renderSvg(f.es256.hc1), seconds));
      for (const alg of ['ES256', 'PS256'] as const) {
        for (const st of stages[alg]) record(stageKey(alg, st), rate(st.run, stageWindow));
      }
      log(`bench: round ${r + 1}/${rounds} done in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    }
    log('bench: signer backends (file keys, HSM)');
    const keys = await measureSignerBackends(Math.max(50, seconds * 500), rounds);
    if (!keys.hsm.available) log(`bench: HSM figures unavailable: ${keys.hsm.reason ?? ''}`);
    return assembleResult({
      keys,
      wall,
      cpu,
      stages,
      peer,
      pool: { workers: pool.size, batch: pool.batch },
      qrTextChars: f.es256.hc1.length,
      seconds,
      rounds,
      opensslVersion: await opensslVersion(bin),
      loadAverage: { start: loadAtStart, end: loadavg() },
    });
  } finally {
    await pool.close();
  }
}
