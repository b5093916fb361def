/**
 * Chooses the population verifier from the environment: the national service over HTTP when
 * `VAXPASS_POPULATION_URL` is set, else the embedded default, the reference register in this
 * database called in-process.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { LocalVerifier } from '../matching/index.js';
import { DbRegister } from '../register/index.js';
import type { PopulationVerifier } from '../verifier.js';
import { HttpPopulationVerifier, type HttpVerifierOptions } from './http-population-verifier.js';

/** What {@link populationVerifierFromEnv} needs besides the environment. */
export interface PopulationVerifierDeps {
  /** The database holding `population_register` (the embedded default reads it). */
  readonly db: Kysely<Database>;
  /** Overrides of the HTTP client's settings (batch size, timeouts…). */
  readonly http?: Partial<Omit<HttpVerifierOptions, 'url' | 'apiKey'>>;
}

/**
 * The verifier the environment asks for.
 * - `VAXPASS_POPULATION_URL` set: {@link HttpPopulationVerifier} to that base URL, with
 *   `VAXPASS_POPULATION_KEY` as its bearer API key when set.
 * - otherwise: `LocalVerifier` over `DbRegister(db)`, the register loaded with
 *   `vaxpass population load` (or seeded from the truth).
 * @param env - usually `process.env`
 * @param deps - the database, HTTP overrides
 * @throws AppError `CONFIG_INVALID` (400) when the URL is not http(s)
 */
export function populationVerifierFromEnv(env: Readonly<Record<string, string | undefined>>, deps: PopulationVerifierDeps): PopulationVerifier {
  const url = env.VAXPASS_POPULATION_URL?.trim();
  if (url === undefined || url === '') return new LocalVerifier(new DbRegister(deps.db));
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new AppError('CONFIG_INVALID', `VAXPASS_POPULATION_URL: not a URL: ${url}`, 400);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new AppError('CONFIG_INVALID', `VAXPASS_POPULATION_URL: must be http(s), got ${parsed.protocol}`, 400);
  const apiKey = env.VAXPASS_POPULATION_KEY?.trim();
  return new HttpPopulationVerifier({ ...deps.http, url, ...(apiKey ? { apiKey } : {}) });
}
