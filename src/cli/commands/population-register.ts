/**
 * `vaxpass population load FILE` and `vaxpass population serve`: the reference population
 * register. `load` fills `population_register` from a CSV of `id_number,full_name,dob,sex`
 * (bad rows are reported with their line and reason, never loaded); `serve` answers the national
 * service's HTTP contract from it, with optional injected faults and latency to test clients.
 */
import { createWriteStream } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { AppError } from '../../errors/index.js';
import {
  checkFaultOptions,
  createRegisterService,
  importRegisterCsv,
  seededRandom,
  type FaultOptions,
  type RegisterImportSummary,
} from '../../population/register/index.js';
import { openConfiguredDb, type CliDbDeps } from './cli-db.js';
import { csvCell } from '../../registry/import/index.js';

/** Seams for tests of `population serve`. */
export interface PopulationRegisterDeps extends CliDbDeps {
  /** Told the base URL once the service listens. */
  readonly onListening?: (url: string) => void;
  /** Stops the service (besides SIGINT/SIGTERM). */
  readonly signal?: AbortSignal;
}

interface LoadCliOptions {
  replace?: boolean;
  report?: string;
  batch: string;
  json?: boolean;
}

interface ServeCliOptions {
  port: string;
  host: string;
  faultRate: string;
  faultBeforeShare: string;
  latencyMs: string;
  latencyJitterMs: string;
  slowRate: string;
  slowMs: string;
  seed?: string;
}

function number(name: string, raw: string): number {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n)) throw new AppError('USAGE', `${name} must be a number (got ${raw})`);
  return n;
}

/** CSV cell quoting for the error report. */
const cell = (v: string | number): string => csvCell(String(v));

/**
 * The human summary of a load.
 * @param s - the summary
 * @param file - the loaded file
 * @param report - where every refused row was written, if anywhere
 */
export function loadSummaryText(s: RegisterImportSummary, file: string, report?: string): string {
  const lines = [
    `loaded ${s.loaded} register entries from ${file} in ${s.seconds.toFixed(1)} s (${Math.round(s.rows / Math.max(s.seconds, 1e-6)).toLocaleString('en')} rows/s)`,
    `  rows      ${s.rows}`,
    `  loaded    ${s.loaded}`,
    `  rejected  ${s.rejected} (not loaded)`,
  ];
  for (const e of s.errors.slice(0, 20)) lines.push(`  line ${e.line} ${e.field}: ${e.reason}`);
  if (s.errors.length > 20 || s.errorsTruncated) lines.push(report ? '  … all of them are in the report' : '  … more: use --report PATH to list all of them');
  if (report && s.rejected > 0) lines.push(`  report: ${report}`);
  return `${lines.join('\n')}\n`;
}

function registerLoad(population: Command, deps: PopulationRegisterDeps): void {
  population
    .command('load')
    .description('load the reference population register from a CSV of id_number,full_name,dob,sex (upsert by ID)')
    .argument('<file>', 'UTF-8 CSV with a header naming id_number, full_name, dob, sex')
    .option('--replace', 'delete the whole register (and stored answers) first')
    .option('--report <path>', 'write every refused row (line,field,reason) to this CSV')
    .option('--batch <rows>', 'rows per write transaction', '5000')
    .option('--json', 'print the summary as one JSON object')
    .action(async (file: string, o: LoadCliOptions) => {
      const batchSize = number('--batch', o.batch);
      if (!Number.isSafeInteger(batchSize) || batchSize < 1) throw new AppError('USAGE', `--batch must be a whole number ≥ 1 (got ${o.batch})`);
      const report = o.report ? createWriteStream(o.report) : undefined;
      report?.write('line,field,reason\n');
      const handle = await (deps.openDb ?? openConfiguredDb)();
      try {
        const s = await importRegisterCsv(handle.db, handle.dialect, file, {
          batchSize,
          ...(o.replace ? { replace: true } : {}),
          ...(report ? { onRejected: (errs) => errs.forEach((e) => report.write(`${e.line},${e.field},${cell(e.reason)}\n`)) } : {}),
        });
        process.stdout.write(o.json ? `${JSON.stringify({ ...s, seconds: Number(s.seconds.toFixed(3)), report: o.report ?? null })}\n` : loadSummaryText(s, file, o.report));
        process.exitCode = s.rejected > 0 ? 1 : 0;
      } finally {
        if (report) await new Promise<void>((resolve) => report.end(resolve));
        await handle.close();
      }
    });
}

function registerServe(population: Command, deps: PopulationRegisterDeps): void {
  population
    .command('serve')
    .description('serve the reference register over the national HTTP contract (POST /v1/identity/verify, GET /health, GET /openapi.json)')
    .option('--port <port>', 'TCP port (0: any free one)', '4100')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .option('--fault-rate <share>', 'share of verify requests that fail with 500/503 (0–1)', '0')
    .option('--fault-before-share <share>', 'of the failing ones, the share failing before any work (503); the rest fail after it (500)', '0.5')
    .option('--latency-ms <ms>', 'added to every verify request', '0')
    .option('--latency-jitter-ms <ms>', 'plus a random 0–N ms', '0')
    .option('--slow-rate <share>', 'share of verify requests slowed by --slow-ms (latency spikes)', '0')
    .option('--slow-ms <ms>', 'the spike', '5000')
    .option('--seed <n>', 'seed of the fault dice (repeatable runs)')
    .action(async (o: ServeCliOptions) => {
      const port = number('--port', o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new AppError('USAGE', `--port must be a TCP port (got ${o.port})`);
      const faults: FaultOptions = {
        rate: number('--fault-rate', o.faultRate),
        beforeShare: number('--fault-before-share', o.faultBeforeShare),
        latencyMs: number('--latency-ms', o.latencyMs),
        latencyJitterMs: number('--latency-jitter-ms', o.latencyJitterMs),
        slowRate: number('--slow-rate', o.slowRate),
        slowMs: number('--slow-ms', o.slowMs),
        ...(o.seed !== undefined ? { random: seededRandom(number('--seed', o.seed)) } : {}),
      };
      const problems = checkFaultOptions(faults);
      if (problems.length > 0) throw new AppError('USAGE', problems.join('; '));
      const apiKey = process.env.VAXPASS_POPULATION_KEY?.trim();
      const handle = await (deps.openDb ?? openConfiguredDb)();
      const service = createRegisterService({ db: handle.db, dialect: handle.dialect, faults, ...(apiKey ? { apiKey } : {}) });
      const server = serve({ fetch: service.app.fetch, port, hostname: o.host });
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('listening', resolve);
          server.once('error', reject);
        });
      } catch (e) {
        await handle.close();
        throw new AppError('USAGE', `cannot listen on ${o.host}:${o.port}: ${(e as Error).message}`);
      }
      const url = `http://${o.host.includes(':') ? `[${o.host}]` : o.host}:${(server.address() as AddressInfo).port}`;
      const say = (line: string): void => void process.stdout.write(`${line}\n`);
      say(`population register service on ${url} (${handle.dialect}) — POST /v1/identity/verify · GET /health · GET /openapi.json`);
      say(`  API key ${apiKey ? 'required (VAXPASS_POPULATION_KEY)' : 'not required (set VAXPASS_POPULATION_KEY to require one)'}`);
      if ((faults.rate ?? 0) > 0 || (faults.latencyMs ?? 0) > 0 || (faults.latencyJitterMs ?? 0) > 0 || (faults.slowRate ?? 0) > 0) {
        say(`  faults: ${o.faultRate} of requests fail (${o.faultBeforeShare} before work), latency ${o.latencyMs}+0–${o.latencyJitterMs} ms, ${o.slowRate} slowed by ${o.slowMs} ms`);
      }
      deps.onListening?.(url);
      await new Promise<void>((resolve) => {
        const stop = (): void => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve();
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
        if (deps.signal?.aborted) stop();
        deps.signal?.addEventListener('abort', stop, { once: true });
      });
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeAllConnections' in server) server.closeAllConnections();
      });
      await service.idle();
      await handle.close();
      const s = service.stats();
      say(`stopped: ${s.requests} requests, ${s.batchesProcessed} batches / ${s.recordsProcessed} records matched, ${s.replayed} replayed, faults ${s.faultsBefore} before + ${s.faultsAfter} after, ${s.rejected} refused`);
    });
}

/**
 * Adds `load` and `serve` to the `population` command.
 * @param population - the `vaxpass population` command
 * @param deps - test seams
 */
export function registerPopulationRegister(population: Command, deps: PopulationRegisterDeps = {}): void {
  registerLoad(population, deps);
  registerServe(population, deps);
}
