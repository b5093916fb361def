/**
 * `vaxpass stats funnel [--province CODE] [--facility CODE] [--group-by facility|province]
 * [--json]`: the identity-verification funnel as the ministry reported it (doses and people
 * recorded, sent, not sent by missing field, verified, mismatched by field, not found), for the
 * nation, a province or a facility. By default the nation is split by province and a province
 * by facility.
 */
import { Option, type Command } from 'commander';
import { funnelStats } from '../../population/stats/index.js';
import type { FunnelCounts, FunnelGroupBy, FunnelReport, FunnelRow } from '../../population/stats/index.js';
import { openConfiguredDb, type CliDbDeps } from './cli-db.js';

interface FunnelCliOptions {
  province?: string;
  facility?: string;
  groupBy?: FunnelGroupBy | 'none';
  json?: boolean;
}

const FIELD_LABEL: Readonly<Record<string, string>> = { id_number: 'ID number', full_name: 'full name', dob: 'date of birth', sex: 'sex' };

function pct(part: number, whole: number): string {
  return whole === 0 ? '' : `${((100 * part) / whole).toFixed(1)}%`;
}

function line(label: string, c: FunnelCounts, of: FunnelCounts): string {
  return `${label.padEnd(28)}${String(c.people).padStart(12)}${String(c.doses).padStart(12)}${pct(c.doses, of.doses).padStart(9)}`;
}

/**
 * The funnel of one row, as an indented table (people, doses, share of recorded doses).
 * @param r - a funnel row
 */
export function formatFunnel(r: FunnelRow): string {
  const rec = r.recorded;
  const out = [`${''.padEnd(28)}${'people'.padStart(12)}${'doses'.padStart(12)}${'of doses'.padStart(9)}`, line('recorded', rec, rec), line('  sent', r.sent, rec), line('    verified', r.verified, rec), line('    mismatch', r.mismatch, rec)];
  for (const [f, c] of Object.entries(r.mismatch.byField)) if (c.people > 0) out.push(line(`      ${FIELD_LABEL[f] ?? f}`, c, rec));
  out.push(line('    not found', r.notFound, rec), line('  not sent', r.notSent, rec));
  for (const [f, c] of Object.entries(r.notSent.byReason)) if (c.people > 0) out.push(line(`      missing ${FIELD_LABEL[f] ?? f}`, c, rec));
  out.push(line('  not yet verified', r.pending, rec));
  if (r.stale.people > 0) out.push(line('  changed since (re-queued)', r.stale, rec));
  return `${out.join('\n')}\n`;
}

/**
 * One line per group: doses by outcome and the failure rate of doses sent.
 * @param rows - group rows
 */
export function formatGroups(rows: readonly FunnelRow[]): string {
  const head = ['code', 'name', 'doses', 'sent', 'verified', 'mismatch', 'not found', 'not sent', 'pending', 'failed'];
  const body = rows.map((r) => [
    r.key ?? '',
    (r.name ?? '').slice(0, 32),
    String(r.recorded.doses),
    String(r.sent.doses),
    String(r.verified.doses),
    String(r.mismatch.doses),
    String(r.notFound.doses),
    String(r.notSent.doses),
    String(r.pending.doses),
    r.failedShareOfSent === null ? '' : `${(100 * r.failedShareOfSent).toFixed(1)}%`,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const fmt = (cells: readonly string[]): string => cells.map((c, i) => (i <= 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return `${[fmt(head), ...body.map(fmt)].join('\n')}\n`;
}

/**
 * The whole report as text.
 * @param r - the report
 */
export function formatFunnelReport(r: FunnelReport): string {
  const scope = r.scope.facilityCode !== null ? `facility ${r.scope.facilityCode}` : r.scope.provinceCode !== null ? `province ${r.scope.provinceCode}` : 'nation';
  const title = `verification funnel — ${scope}${r.total.name === null ? '' : ` (${r.total.name})`} — ${r.at}`;
  const parts = [`${title}\n`, formatFunnel(r.total)];
  if (r.groups.length > 0) parts.push(`\nby ${r.groupBy ?? ''}\n`, formatGroups(r.groups));
  parts.push('\npeople are counted once per facility/province where they have an active dose; dose counts add up\n');
  return parts.join('');
}

/**
 * Registers `vaxpass stats`.
 * @param program - the root command
 * @param deps - how to open the database
 */
export function registerStats(program: Command, deps: CliDbDeps = {}): void {
  const stats = program.command('stats').description('statistics of the registry and its verification');
  stats
    .command('funnel')
    .description('identity-verification funnel: recorded, sent, not sent (by reason), verified, mismatched (by field), not found')
    .option('--province <code>', 'doses recorded by facilities of this province')
    .option('--facility <code>', 'doses recorded by this facility')
    .addOption(new Option('--group-by <what>', 'one row per facility or province (default: provinces for the nation, facilities for a province)').choices(['facility', 'province', 'none']))
    .option('--json', 'print the report as JSON')
    .action(async (opts: FunnelCliOptions) => {
      const groupBy: FunnelGroupBy | undefined =
        opts.groupBy === 'none' ? undefined : (opts.groupBy ?? (opts.facility !== undefined ? undefined : opts.province !== undefined ? 'facility' : 'province'));
      const handle = await (deps.openDb ?? openConfiguredDb)();
      try {
        const report = await funnelStats(handle.db, { provinceCode: opts.province, facilityCode: opts.facility, groupBy });
        process.stdout.write(opts.json ? `${JSON.stringify(report)}\n` : formatFunnelReport(report));
      } finally {
        await handle.close();
      }
    });
}
