/**
 * `vaxpass population verify [--facility CODE] [--province CODE] [--batch N] [--json]`: sends
 * every unsent or changed person of the scope to the population register (the embedded register
 * by default, the national service when `VAXPASS_POPULATION_URL` is set), with a progress bar on
 * a terminal. Ctrl-C stops cleanly (the batch in flight stays queued); rerun to resume.
 * Exit 0 when the scope is done, 1 when the service was unavailable (the rest stays queued).
 */
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { AppError } from '../../errors/index.js';
import { populationVerifierFromEnv } from '../../population/client/index.js';
import { runVerification } from '../../population/pipeline/index.js';
import type { VerificationSummary } from '../../population/pipeline/index.js';
import type { PopulationVerifier } from '../../population/verifier.js';
import { openConfiguredDb, type CliDbDeps } from './cli-db.js';

interface VerifyCliOptions {
  facility?: string;
  province?: string;
  batch: string;
  concurrency: string;
  worker?: string;
  json?: boolean;
}

/** How `population verify` gets its database and verifier (tests inject both). */
export interface PopulationVerifyDeps extends CliDbDeps {
  readonly verifier?: PopulationVerifier;
}

function positiveInt(name: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new AppError('BAD_USAGE', `${name} must be a positive integer (got "${text}")`, 400);
  return n;
}

/**
 * The summary as `--json` prints it.
 * @param s - the run's summary
 */
export function verifySummaryJson(s: VerificationSummary): Record<string, unknown> {
  return { ...s, seconds: Number(s.seconds.toFixed(3)) };
}

/**
 * The human summary.
 * @param s - the run's summary
 */
export function formatVerifySummary(s: VerificationSummary): string {
  const done = s.verified + s.mismatch + s.notFound + s.notSent;
  const lines = [
    `verification run ${s.runId}: ${done} people in ${s.seconds.toFixed(1)} s (${Math.round(done / Math.max(s.seconds, 1e-6))} people/s)`,
    `  newly queued ${s.queued}`,
    `  sent         ${s.sent}`,
    `    verified   ${s.verified}`,
    `    mismatch   ${s.mismatch}`,
    `    not found  ${s.notFound}`,
    `  not sent     ${s.notSent} (required data missing)`,
    `  remaining    ${s.remaining}`,
  ];
  if (s.stopped === 'unavailable') lines.push(`  stopped: the population service is unavailable (${s.error ?? ''}); ${s.unavailable} people of the last batch stay queued — rerun later`);
  else if (s.stopped === 'aborted') lines.push('  stopped: interrupted; rerun to resume');
  else if (s.stopped === 'limit') lines.push('  stopped: limit reached; rerun to continue');
  return `${lines.join('\n')}\n`;
}

/**
 * Registers `verify` under the `population` command.
 * @param population - the `vaxpass population` command
 * @param deps - database and verifier overrides
 */
export function registerPopulationVerify(population: Command, deps: PopulationVerifyDeps = {}): void {
  population
    .command('verify')
    .description('verify every unsent or changed person against the population register (resumable)')
    .option('--facility <code>', 'people with an active dose recorded by this facility')
    .option('--province <code>', 'people living in this province or vaccinated by its facilities')
    .option('--batch <n>', 'people per batch', '500')
    .option('--concurrency <n>', 'batches in flight at once', '1')
    .option('--worker <name>', 'name of this worker; a rerun with the same name takes back its unfinished claims at once')
    .option('--json', 'print the summary as one JSON object')
    .action(async (opts: VerifyCliOptions) => {
      const batchSize = positiveInt('--batch', opts.batch);
      const concurrency = positiveInt('--concurrency', opts.concurrency);
      const handle = await (deps.openDb ?? openConfiguredDb)();
      const verifier = deps.verifier ?? populationVerifierFromEnv(process.env, { db: handle.db });
      const bar = !opts.json && process.stderr.isTTY ? new SingleBar({ format: 'verifying [{bar}] {percentage}% | {value}/{total} people | {eta_formatted} left', stream: process.stderr }) : null;
      const ac = new AbortController();
      const onSigint = (): void => ac.abort();
      process.once('SIGINT', onSigint);
      let started = false;
      try {
        const summary = await runVerification(handle.db, handle.dialect, verifier, {
          facilityCode: opts.facility,
          provinceCode: opts.province,
          batchSize,
          concurrency,
          workerId: opts.worker,
          signal: ac.signal,
          onProgress: (p) => {
            if (!bar) return;
            if (!started) {
              bar.start(Math.max(p.total, 1), 0);
              started = true;
            }
            bar.update(Math.min(p.done, p.total));
          },
        });
        bar?.stop();
        process.stdout.write(opts.json ? `${JSON.stringify(verifySummaryJson(summary))}\n` : formatVerifySummary(summary));
        process.exitCode = summary.stopped === 'unavailable' ? 1 : 0;
      } finally {
        process.removeListener('SIGINT', onSigint);
        bar?.stop();
        if (!deps.verifier) await verifier.close?.();
        await handle.close();
      }
    });
}
