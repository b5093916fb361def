/**
 * Configuration: read once from the environment, validated, typed and frozen. Fail fast with every
 * problem listed, so a misconfigured deployment never half-starts.
 */
import { AppError } from '../errors/index.js';

export type DbConfig =
  | { readonly kind: 'sqlite'; readonly file: string }
  | { readonly kind: 'postgres'; readonly url: string };

export interface Config {
  readonly db: DbConfig;
  readonly port: number;
  readonly host: string;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** First start on an empty database: people of the synthetic province to seed (0 = none). */
  readonly seedPeople: number;
  /** First start: which province to seed (2-digit code). */
  readonly seedProvince: string;
  /** Behind a reverse proxy: client addresses come from X-Forwarded-For (rate limits). */
  readonly trustProxy: boolean;
}

/**
 * Parses a `VAXPASS_DB` value: a `postgres://` (or `postgresql://`) URL, else a SQLite file path.
 * @param value - the raw setting
 */
export function parseDbSetting(value: string): DbConfig {
  if (/^postgres(ql)?:\/\//i.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new AppError('CONFIG_INVALID', `VAXPASS_DB: not a valid PostgreSQL URL: ${value}`);
    }
    return Object.freeze({ kind: 'postgres', url: value });
  }
  if (value.trim() === '') throw new AppError('CONFIG_INVALID', 'VAXPASS_DB: empty');
  return Object.freeze({ kind: 'sqlite', file: value });
}

/**
 * Builds the configuration from an environment map.
 * @param env - usually `process.env`
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const problems: string[] = [];
  let db: DbConfig = { kind: 'sqlite', file: './data/vaxpass.db' };
  try {
    db = parseDbSetting(env.VAXPASS_DB ?? './data/vaxpass.db');
  } catch (e) {
    problems.push((e as Error).message);
  }
  const portRaw = env.PORT ?? '3000';
  const port = Number(portRaw);
  if (!/^\d+$/.test(portRaw) || port < 0 || port > 65535) problems.push(`PORT: not a TCP port: ${portRaw}`);
  const logLevel = env.VAXPASS_LOG_LEVEL ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel)) {
    problems.push(`VAXPASS_LOG_LEVEL: one of debug, info, warn, error (got ${logLevel})`);
  }
  const seedRaw = env.VAXPASS_SEED_PEOPLE ?? '20000';
  const seedPeople = Number(seedRaw);
  if (!/^\d+$/.test(seedRaw) || seedPeople > 10_000_000) problems.push(`VAXPASS_SEED_PEOPLE: a whole number 0–10000000 (got ${seedRaw})`);
  const seedProvince = env.VAXPASS_SEED_PROVINCE ?? '01';
  if (!/^\d{2}$/.test(seedProvince)) problems.push(`VAXPASS_SEED_PROVINCE: a 2-digit province code (got ${seedProvince})`);
  const proxyRaw = (env.VAXPASS_TRUST_PROXY ?? 'false').trim().toLowerCase();
  if (!['1', 'true', 'yes', '0', 'false', 'no', ''].includes(proxyRaw)) problems.push(`VAXPASS_TRUST_PROXY: true or false (got ${env.VAXPASS_TRUST_PROXY ?? ''})`);
  if (problems.length > 0) {
    throw new AppError('CONFIG_INVALID', `invalid configuration:\n  ${problems.join('\n  ')}`, 500, { problems });
  }
  return Object.freeze({
    db,
    port,
    host: env.HOST ?? '0.0.0.0',
    logLevel: logLevel as Config['logLevel'],
    seedPeople,
    seedProvince,
    trustProxy: ['1', 'true', 'yes'].includes(proxyRaw),
  });
}

let cached: Config | undefined;

/** The process-wide configuration, loaded on first use. */
export function getConfig(): Config {
  cached ??= loadConfig();
  return cached;
}
