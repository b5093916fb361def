/**
 * Turns the rounds' samples into the bench result: best round of each measure, ratios, stage
 * figures, on the wall clock (the headline) and on CPU time (the cross-check).
 */
import { availableParallelism, cpus } from 'node:os';
import type { CoseAlg } from '../hcert/index.js';
import type { AlgRates, BenchResult, ClockFigures } from './bench-result.js';
import { evaluateGoals } from './goals.js';
import type { Samples } from './measure.js';
import type { Peer } from './peer.js';
import type { KeysFigures } from './signer-backends.js';
import { stageFigures } from './stages.js';
import type { Stage } from './stages.js';

/** Everything measured, plus what the result reports about the run. */
export interface Measured {
  wall: Samples;
  cpu: Samples;
  stages: Record<CoseAlg, readonly Stage[]>;
  peer: Peer;
  pool: { workers: number; batch: number };
  qrTextChars: number;
  seconds: number;
  rounds: number;
  opensslVersion: string;
  /** 1/5/15-minute load averages when the run started and ended: how busy the machine was. */
  loadAverage: { start: number[]; end: number[] };
  /** File-key and HSM signing rates (measured once, outside the rounds). */
  keys: KeysFigures;
}

/**
 * Sample name of a stage.
 * @param alg - ES256 or PS256
 * @param st - the stage
 */
export function stageKey(alg: CoseAlg, st: Stage): string {
  return `stages.${alg.toLowerCase()}.${st.group}.${st.name}`;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function ratio(a: number, b: number): number {
  return b > 0 ? Math.round((a / b) * 1000) / 1000 : 0;
}

function clockFigures(s: Samples, stages: Measured['stages']): ClockFigures {
  const best = (k: string): number => Math.round(s.best(k));
  const alg = (k: string): AlgRates => ({
    issue_per_s: best(`${k}.issue_per_s`),
    verify_per_s: best(`${k}.verify_per_s`),
    verify_no_payload_checks_per_s: best(`${k}.verify_no_payload_checks_per_s`),
  });
  const es256 = alg('es256');
  const ps256 = alg('ps256');
  const openssl = {
    es256_sign_per_s: best('openssl.es256_sign_per_s'),
    es256_verify_per_s: best('openssl.es256_verify_per_s'),
    rsa2048_sign_per_s: best('openssl.rsa2048_sign_per_s'),
    rsa2048_verify_per_s: best('openssl.rsa2048_verify_per_s'),
  };
  const peer = { issue_per_s: best('peer.es256.issue_per_s'), verify_per_s: best('peer.es256.verify_per_s') };
  const figures = (a: CoseAlg): ClockFigures['stages']['es256'] => stageFigures(stages[a], (st) => s.best(stageKey(a, st)));
  return {
    openssl,
    es256,
    ps256,
    peer: { es256: peer },
    qr: { svg_per_s: best('qr.svg_per_s') },
    ratios: {
      es256_issue_vs_openssl_sign: ratio(es256.issue_per_s, openssl.es256_sign_per_s),
      es256_verify_vs_openssl_verify: ratio(es256.verify_per_s, openssl.es256_verify_per_s),
      es256_verify_no_payload_checks_vs_openssl_verify: ratio(es256.verify_no_payload_checks_per_s, openssl.es256_verify_per_s),
      ps256_issue_vs_openssl_rsa2048_sign: ratio(ps256.issue_per_s, openssl.rsa2048_sign_per_s),
      ps256_verify_vs_openssl_rsa2048_verify: ratio(ps256.verify_per_s, openssl.rsa2048_verify_per_s),
      es256_issue_vs_peer: ratio(es256.issue_per_s, peer.issue_per_s),
      es256_verify_vs_peer: ratio(es256.verify_per_s, peer.verify_per_s),
    },
    stages: { es256: figures('ES256'), ps256: figures('PS256') },
  };
}

/**
 * Builds the result.
 * @param m - samples and run facts
 */
export function assembleResult(m: Measured): BenchResult {
  const wall = clockFigures(m.wall, m.stages);
  const cpu = clockFigures(m.cpu, m.stages);
  const cores = availableParallelism();
  const poolRate = Math.round(m.wall.best('pool.es256.issue_per_s'));
  const allCores = Math.round(m.wall.best('openssl.es256_sign_all_cores_per_s'));
  const result: Omit<BenchResult, 'goals'> = {
    cores,
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      node: process.version,
      node_openssl: process.versions.openssl,
      openssl: m.opensslVersion,
      platform: `${process.platform}-${process.arch}`,
      load_average: { start: m.loadAverage.start.map(round2), end: m.loadAverage.end.map(round2) },
    },
    method: {
      seconds: m.seconds,
      openssl_seconds: Math.max(1, Math.round(m.seconds)),
      rounds: m.rounds,
      pick: 'best (max) of interleaved rounds, per measure',
      clocks: 'headline: operations per wall-clock second; cpu_time: per CPU second of the process (OpenSSL: per CPU user second)',
    },
    ...wall,
    openssl: { ...wall.openssl, es256_sign_all_cores_per_s: allCores },
    peer: { name: m.peer.name, version: m.peer.version, ...wall.peer, interop: m.peer.interop },
    pool: { ...m.pool, es256: { issue_per_s: poolRate } },
    qr: { ...wall.qr, text_chars: m.qrTextChars },
    ratios: {
      ...wall.ratios,
      pool_vs_one_core: ratio(poolRate, wall.es256.issue_per_s),
      openssl_all_cores_vs_one_core: ratio(allCores, wall.openssl.es256_sign_per_s),
      hsm_es256_vs_file: ratio(m.keys.hsm.es256_sign_per_s, m.keys.file.es256_sign_per_s),
      hsm_ps256_vs_file: ratio(m.keys.hsm.ps256_sign_per_s, m.keys.file.ps256_sign_per_s),
    },
    cpu_time: {
      ...cpu,
      pool: { es256: { issue_per_s: Math.round(m.cpu.best('pool.es256.issue_per_s')) } },
      ratios: { ...cpu.ratios, pool_vs_one_core: ratio(m.pool.workers * m.cpu.best('pool.es256.issue_per_s'), m.cpu.best('es256.issue_per_s')) },
    },
    keys: m.keys,
    rounds: m.wall.all(),
  };
  return { ...result, goals: evaluateGoals(result) };
}
