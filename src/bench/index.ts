/**
 * The benchmark behind `vaxpass bench`: our HC1 issue/verify rates against OpenSSL's own limit,
 * the @pathcheck/dcc-sdk peer, a worker pool on all cores and QR rendering, all measured in one run;
 * and (`vaxpass bench registry`) the registry's seed and bulk-import rates and peak RSS.
 */
export { DEFAULT_BENCH_OPTIONS, runBench } from './run-bench.js';
export type { BenchOptions } from './run-bench.js';
export type { AlgRates, BenchResult, ClockFigures, Goal, OpensslFigures } from './bench-result.js';
export { evaluateGoals, formatRegistryReport, formatReport, goalsTable } from './goals.js';
export { DEFAULT_REGISTRY_BENCH_OPTIONS, evaluateRegistryGoals, runRegistryBench } from './registry-bench.js';
export type { ImportFigures, RegistryBenchOptions, RegistryBenchResult } from './registry-bench.js';
export { parseOpensslCounts, parseOpensslSpeed, runOpensslSpeed } from './openssl-speed.js';
export type { OpensslRates, OpensslRun, OpensslSpeedOptions } from './openssl-speed.js';
