/**
 * The benchmark behind `vaxpass bench`: our HC1 issue/verify rates against OpenSSL's own limit,
 * the @pathcheck/dcc-sdk peer, a worker pool on all cores and QR rendering, all measured in one run.
 */
export { DEFAULT_BENCH_OPTIONS, runBench } from './run-bench.js';
export type { BenchOptions } from './run-bench.js';
export type { AlgRates, BenchResult, ClockFigures, Goal, OpensslFigures } from './bench-result.js';
export { evaluateGoals, formatReport, goalsTable } from './goals.js';
export { parseOpensslCounts, parseOpensslSpeed, runOpensslSpeed } from './openssl-speed.js';
export type { OpensslRates, OpensslRun, OpensslSpeedOptions } from './openssl-speed.js';
