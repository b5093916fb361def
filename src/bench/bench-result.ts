/** The shape of a `vaxpass bench` result (also its `--json` output). */
import type { Peer } from './peer.js';
import type { KeysFigures } from './signer-backends.js';
import type { StageGroup } from './stages.js';

/** Our rates for one algorithm, one core. */
export interface AlgRates {
  issue_per_s: number;
  /** Verify as a verifier runs it: schema and value-set checks on. */
  verify_per_s: number;
  /** Decode, signature and validity times only. */
  verify_no_payload_checks_per_s: number;
}

/** OpenSSL's rates, one process. */
export interface OpensslFigures {
  es256_sign_per_s: number;
  es256_verify_per_s: number;
  rsa2048_sign_per_s: number;
  rsa2048_verify_per_s: number;
}

/** A goal's verdict. */
export interface Goal {
  id: string;
  measure: string;
  /** Measured value (wall clock): a ratio (0.62 = 62 %, or 18.5 = 18.5×) or a rate per second. */
  value: number;
  /** Smallest value that passes. */
  target: number;
  /** `%`: value is a fraction shown as a percentage; `x`: a multiple; `/s`: a rate. */
  unit: '%' | 'x' | '/s';
  pass: boolean;
  /** The same measure on CPU time, when it has one (the pool's scaling does not). */
  cpu_value?: number;
  cpu_pass?: boolean;
}

/** The per-core figures on one clock. */
export interface ClockFigures {
  openssl: OpensslFigures;
  es256: AlgRates;
  ps256: AlgRates;
  peer: { es256: { issue_per_s: number; verify_per_s: number } };
  qr: { svg_per_s: number };
  ratios: Record<string, number>;
  /** Per-step figures; see stages.ts. */
  stages: { es256: Record<string, StageGroup>; ps256: Record<string, StageGroup> };
}

export interface BenchResult extends ClockFigures {
  cores: number;
  machine: {
    cpu: string;
    node: string;
    node_openssl: string;
    openssl: string;
    platform: string;
    /** 1/5/15-minute load averages at the start and end of the run (other users of the machine). */
    load_average: { start: number[]; end: number[] };
  };
  method: { seconds: number; openssl_seconds: number; rounds: number; pick: string; clocks: string };
  openssl: OpensslFigures & {
    /** `-multi <cores> -elapsed`: the machine's own scaling, measured next to the pool. */
    es256_sign_all_cores_per_s: number;
  };
  peer: ClockFigures['peer'] & { name: string; version: string; interop: Peer['interop'] };
  pool: { workers: number; batch: number; es256: { issue_per_s: number } };
  qr: ClockFigures['qr'] & { text_chars: number };
  /**
   * The same figures per CPU second (OpenSSL: per CPU user second, its default divisor). For the
   * pool: certificates per CPU second of all its threads, and `ratios.pool_vs_one_core` = workers ×
   * that / one-core issues per CPU second, the scaling the pool would reach on idle cores.
   */
  cpu_time: ClockFigures & { pool: { es256: { issue_per_s: number } } };
  /** Signer backends: file keys in process vs the HSM (PKCS#11, SoftHSM2), signatures per second. */
  keys: KeysFigures;
  goals: Goal[];
  /** Every round of every measure (wall clock), to judge the noise. */
  rounds: Record<string, number[]>;
}
