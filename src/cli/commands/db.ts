/**
 * `vaxpass db migrate` and `vaxpass db status [--json]`, against the database in `VAXPASS_DB`
 * (a SQLite path or a `postgres://` URL).
 */
import { inspect } from 'node:util';
import type { Command } from 'commander';
import type { MigrationResult } from 'kysely';
import { getConfig, type DbConfig } from '../../config/index.js';
import { createDb, migrateToLatest, migrationStatus, type DbHandle } from '../../db/index.js';

/** Where the database is, for humans: the SQLite path, or the URL without its password. */
function describeTarget(config: DbConfig): string {
  if (config.kind === 'sqlite') return `sqlite ${config.file}`;
  const url = new URL(config.url);
  if (url.password !== '') url.password = '***';
  return `postgres ${url.toString()}`;
}

/** Opens the configured database, runs `work`, and always closes it. */
async function withDb<T>(work: (handle: DbHandle, target: string) => Promise<T>): Promise<T> {
  const config = getConfig().db;
  const handle = createDb(config);
  try {
    return await work(handle, describeTarget(config));
  } finally {
    await handle.close();
  }
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function resultLine(r: MigrationResult, batchFailed: boolean): string {
  switch (r.status) {
    case 'Success':
      // The batch is one transaction: after a failure, earlier successes were undone too.
      return batchFailed ? `rolled back  ${r.migrationName}` : `applied      ${r.migrationName}`;
    case 'Error':
      return `FAILED       ${r.migrationName}`;
    case 'NotExecuted':
      return `not run      ${r.migrationName}`;
  }
}

async function runMigrate(): Promise<void> {
  await withDb(async ({ db }, target) => {
    out(`migrating ${target}`);
    const { error, results } = await migrateToLatest(db);
    for (const r of results) out(resultLine(r, error !== undefined));
    if (error !== undefined) {
      const message = error instanceof Error ? error.message : inspect(error);
      process.stderr.write(`migration failed, nothing applied: ${message}\n`);
      process.exitCode = 1;
      return;
    }
    out(results.length === 0 ? 'already up to date' : `done: ${results.length} migration(s) applied`);
  });
}

async function runStatus(options: { json?: boolean }): Promise<void> {
  await withDb(async ({ db, dialect }, target) => {
    const states = await migrationStatus(db);
    const pending = states.filter((s) => !s.applied).length;
    if (options.json === true) {
      out(JSON.stringify({ dialect, target, pending, migrations: states }, null, 2));
      return;
    }
    out(`database ${target}`);
    for (const s of states) out(s.applied ? `applied  ${s.name}  (${s.appliedAt ?? ''})` : `pending  ${s.name}`);
    out(pending === 0 ? 'up to date' : `${pending} pending: run \`vaxpass db migrate\``);
  });
}

/**
 * Registers `vaxpass db migrate` and `vaxpass db status [--json]`. `migrate` sets exit code 1
 * when a migration fails (the batch is then rolled back).
 * @param program - the root command
 */
export function registerDb(program: Command): void {
  const db = program.command('db').description('database: migrate, status (VAXPASS_DB: SQLite path or postgres:// URL)');
  db.command('migrate')
    .description('apply pending migrations (all or nothing, under a lock)')
    .action(runMigrate);
  db.command('status')
    .description('list migrations, applied or pending')
    .option('--json', 'print JSON')
    .action(runStatus);
}
