/**
 * `vaxpass import FILE --facility CODE [--json] [--report PATH] [--format csv|xlsx]`: bulk import
 * of a vaccination list in the ministry template (CSV or XLSX) for one facility. Shows a progress
 * bar on a terminal, then the summary; invalid rows go to quarantine and to the error report.
 * Exit 0 when every row was imported or was a duplicate, 1 when some rows were rejected.
 */
import { SingleBar } from 'cli-progress';
import { Option, type Command } from 'commander';
import { importFile } from '../../registry/import/index.js';
import type { ImportSummary } from '../../registry/import/index.js';
import { cliActor, openConfiguredDb, type CliDbDeps } from './cli-db.js';

interface ImportCliOptions {
  facility: string;
  json?: boolean;
  report?: string | false;
  format?: 'csv' | 'xlsx';
  batch?: string;
}

/**
 * The summary `--json` prints: the issue's contract (`rows`, `imported`, `duplicates`,
 * `rejected`, `errors[{row, column, code, message}]`) plus a few extras.
 * @param s - the import summary
 */
export function summaryJson(s: ImportSummary & { errorReport: string | null }): Record<string, unknown> {
  return {
    rows: s.rows,
    imported: s.imported,
    duplicates: s.duplicates,
    rejected: s.rejected,
    errors: s.errors.map((e) => ({ row: e.row, column: e.column, code: e.code, message: e.message })),
    errorsTruncated: s.errorsTruncated,
    warned: s.warned,
    encodings: s.encodings,
    importId: s.importId,
    errorReport: s.errorReport,
    seconds: Number(s.seconds.toFixed(3)),
  };
}

/**
 * Registers `vaxpass import`.
 * @param program - the root command
 * @param deps - how to open the database
 */
export function registerImport(program: Command, deps: CliDbDeps = {}): void {
  program
    .command('import')
    .description('import a vaccination list (ministry template, CSV or XLSX) for one facility')
    .argument('<file>', 'a .csv or .xlsx file')
    .requiredOption('--facility <code>', 'the facility that recorded these doses')
    .option('--json', 'print the summary as one JSON object')
    .option('--report <path>', 'error report CSV (default: <file>.errors.csv)')
    .option('--no-report', 'do not write an error report')
    .addOption(new Option('--format <format>', 'file format (default: from the extension)').choices(['csv', 'xlsx']))
    .option('--batch <rows>', 'rows per write transaction', '5000')
    .action(async (file: string, opts: ImportCliOptions) => {
      const handle = await (deps.openDb ?? openConfiguredDb)();
      const bar = !opts.json && process.stderr.isTTY ? new SingleBar({ format: 'importing [{bar}] {percentage}% | {rows} rows | {eta_formatted} left', stream: process.stderr }) : null;
      try {
        bar?.start(100, 0, { rows: 0 });
        const summary = await importFile(handle.db, handle.dialect, file, {
          facilityCode: opts.facility,
          actor: cliActor(),
          batchSize: Number(opts.batch),
          ...(opts.format ? { format: opts.format } : {}),
          errorReport: opts.report === false ? null : (opts.report ?? `${file}.errors.csv`),
          ...(bar ? { onProgress: (p) => bar.update(p.totalBytes > 0 ? Math.floor((100 * p.bytesRead) / p.totalBytes) : 0, { rows: p.rows }) } : {}),
        });
        bar?.update(100, { rows: summary.rows });
        bar?.stop();
        if (opts.json) process.stdout.write(`${JSON.stringify(summaryJson(summary))}\n`);
        else process.stdout.write(formatSummary(summary));
        process.exitCode = summary.rejected > 0 ? 1 : 0;
      } finally {
        bar?.stop();
        await handle.close();
      }
    });
}

/** The human summary: counts, encodings repaired, the first errors, where the report is. */
export function formatSummary(s: ImportSummary & { errorReport: string | null }): string {
  const lines = [
    `import #${s.importId}: ${s.rows} rows in ${s.seconds.toFixed(1)} s (${Math.round(s.rows / Math.max(s.seconds, 1e-6))} rows/s)`,
    `  imported   ${s.imported}`,
    `  duplicates ${s.duplicates} (already recorded)`,
    `  rejected   ${s.rejected} (kept in quarantine for correction)`,
    `  warnings   ${s.warned} rows imported with a warning`,
  ];
  const enc = Object.entries(s.encodings);
  if (enc.length > 0) lines.push(`  repaired encodings: ${enc.map(([k, v]) => `${k}=${v}`).join(', ')}`);
  for (const e of s.errors.slice(0, 10)) lines.push(`  row ${e.row} ${e.column}: ${e.code} ${e.message}`);
  if (s.errors.length > 10 || s.errorsTruncated) lines.push(`  … see the error report for all of them`);
  if (s.errorReport) lines.push(`  error report: ${s.errorReport}`);
  return `${lines.join('\n')}\n`;
}
