/**
 * `vaxpass issue`: central issuance of passports with the active DSC.
 * - `--all [--province CODE] [--workers N]`: the national batch on worker threads (resumable:
 *   run it again after a crash, nobody gets a second certificate);
 * - `--renew [--days 30]`: re-issues certificates expiring within the days, notifying citizens;
 * - `--person ID`: one person; `--drain`: handles the issuance outbox once.
 * Exit 0 when nothing failed, 1 when some certificates could not be signed.
 */
import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { AppError } from '../../errors/index.js';
import { drainIssuanceOutbox, issueAll, issueForPerson, loadDscMaterial, signerFromMaterial } from '../../issuance/central/index.js';
import type { IssueAllSummary } from '../../issuance/central/index.js';
import { KeyCustody, pkiOptionsFromEnv } from '../../trust/pki/index.js';
import { cliActor } from './cli-db.js';
import { openConfiguredDb, type CliDbDeps } from './cli-db.js';

interface IssueCliOptions {
  all?: boolean;
  renew?: boolean;
  person?: string;
  drain?: boolean;
  province?: string;
  workers?: string;
  days: string;
  alg?: 'ES256' | 'PS256';
  json?: boolean;
}

/** Test seams: the database, and the environment for key custody. */
export interface IssueCommandDeps extends CliDbDeps {
  env?: NodeJS.ProcessEnv;
}

const positive = (name: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new AppError('BAD_REQUEST', `--${name} must be a positive integer (got ${v})`, 400);
  return n;
};

/** The human summary of a batch or renewal run. */
export function formatIssueSummary(s: IssueAllSummary): string {
  const lines = [
    `${s.issued} passports issued in ${s.seconds.toFixed(1)} s (${Math.round(s.perSecond)}/s, ${s.workers} workers) — ${s.people} people looked at`,
    `  unchanged  ${s.unchanged} (already up to date)`,
    `  renewed    ${s.renewed}`,
    `  superseded ${s.superseded} (of which revoked after an identity correction: ${s.revoked})`,
    `  withdrawn  ${s.withdrawn} (no longer eligible: revoked)`,
  ];
  for (const [code, n] of Object.entries(s.ineligible)) lines.push(`  not eligible ${code}: ${n}`);
  for (const [code, n] of Object.entries(s.failed)) lines.push(`  FAILED ${code}: ${n}`);
  for (const f of s.failures.slice(0, 5)) lines.push(`    person ${f.personId}: ${f.message}`);
  if (s.aborted) lines.push('  stopped early: run again to finish (nothing is issued twice)');
  return `${lines.join('\n')}\n`;
}

/**
 * Registers `vaxpass issue`.
 * @param program - the root command
 * @param deps - test seams
 */
export function registerIssue(program: Command, deps: IssueCommandDeps = {}): void {
  program
    .command('issue')
    .description('issue passports centrally with the active DSC: --all, --renew, --person ID or --drain')
    .option('--all', 'everyone eligible (national batch on worker threads, resumable)')
    .option('--renew', 're-issue certificates expiring within --days, and notify the citizens')
    .option('--person <id>', 'one person')
    .option('--drain', 'handle the issuance outbox once')
    .option('--province <code>', 'only people of this province (2-digit code)')
    .option('--workers <n>', 'worker threads (default: one per core)')
    .option('--days <n>', 'renewal horizon in days', '30')
    .addOption(new Option('--alg <alg>', 'use the active DSC of this algorithm').choices(['ES256', 'PS256']))
    .option('--json', 'print the summary as one JSON object')
    .action(async (o: IssueCliOptions) => {
      const modes = [o.all, o.renew, o.person !== undefined, o.drain].filter(Boolean).length;
      if (modes !== 1) throw new AppError('BAD_REQUEST', 'give exactly one of --all, --renew, --person ID, --drain', 400);
      const handle = await (deps.openDb ?? openConfiguredDb)();
      const custody = new KeyCustody(pkiOptionsFromEnv(deps.env ?? process.env));
      const bar = !o.json && process.stderr.isTTY ? new SingleBar({ format: 'issuing [{bar}] {percentage}% | {value}/{total} people | {issued} issued | {eta_formatted} left', stream: process.stderr }) : null;
      try {
        const material = await loadDscMaterial(handle.db, custody, o.alg);
        const actor = cliActor();
        if (o.all || o.renew) {
          let started = false;
          const summary = await issueAll(handle.db, {
            material,
            actor,
            ...(o.workers !== undefined ? { workers: positive('workers', o.workers) } : {}),
            ...(o.province !== undefined ? { provinceCode: o.province } : {}),
            ...(o.renew ? { renewBefore: new Date(Date.now() + (positive('days', o.days) ?? 30) * 86_400_000).toISOString() } : {}),
            ...(bar
              ? {
                  onProgress: (p) => {
                    if (!started) bar.start(p.total, 0, { issued: 0 });
                    started = true;
                    bar.update(p.done, { issued: p.issued });
                  },
                }
              : {}),
          });
          bar?.stop();
          process.stdout.write(o.json ? `${JSON.stringify(summary)}\n` : formatIssueSummary(summary));
          process.exitCode = Object.keys(summary.failed).length > 0 ? 1 : 0;
          return;
        }
        const { signer, close } = await signerFromMaterial(material);
        try {
          if (o.person !== undefined) {
            const out = await issueForPerson(handle.db, positive('person', o.person) ?? 0, { signer, actor, reason: 'cli' });
            process.stdout.write(o.json ? `${JSON.stringify(out)}\n` : `person ${out.personId}: ${out.status}${out.uvci ? ` ${out.uvci}` : ''}${out.code ? ` ${out.code}: ${out.message ?? ''}` : ''}\n`);
            process.exitCode = out.status === 'failed' || out.status === 'ineligible' ? 1 : 0;
            return;
          }
          const r = await drainIssuanceOutbox(handle.db, { signer, actor });
          const issued = r.outcomes.filter((x) => x.status === 'issued').length;
          process.stdout.write(o.json ? `${JSON.stringify({ rows: r.rows, issued, outcomes: r.outcomes })}\n` : `outbox: ${r.rows} rows handled, ${issued} passports issued\n`);
        } finally {
          close();
        }
      } finally {
        bar?.stop();
        custody.close();
        await handle.close();
      }
    });
}
