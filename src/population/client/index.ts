/** Clients of the population database: the HTTP client and the choice of verifier from the environment. */
export { HttpPopulationVerifier, batchKey } from './http-population-verifier.js';
export type { HttpVerifierOptions, HttpVerifierStats } from './http-population-verifier.js';
export { populationVerifierFromEnv } from './population-verifier-from-env.js';
export type { PopulationVerifierDeps } from './population-verifier-from-env.js';
