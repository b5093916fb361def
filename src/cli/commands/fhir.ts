/**
 * `vaxpass fhir import FILE --facility CODE [--patients Patient.ndjson] [--json]`: a FHIR R4
 * Bundle (JSON) or Bulk Data NDJSON through the bulk import pipeline, with the summary of
 * `vaxpass import` (exit 1 when rows were quarantined).
 * `vaxpass fhir export [--facility CODE] [--province CODE] (--bundle FILE | --out DIR)`: the
 * registry as one Bundle, or as `Patient.ndjson` + `Immunization.ndjson` (streamed).
 */
import { writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../errors/index.js';
import { exportBundle, exportNdjsonFiles } from '../../registry/fhir/index.js';
import type { ExportFilter } from '../../registry/fhir/index.js';
import { importFhirBundle, importFhirNdjson } from '../../registry/fhir-intake/index.js';
import type { FhirImportSummary } from '../../registry/fhir-intake/index.js';
import type { RowProblem } from '../../registry/import/index.js';
import { cliActor } from './cli-db.js';
import { formatSummary, summaryJson } from './import.js';
import { openConfiguredDb, type CliDbDeps } from './cli-db.js';

interface FhirImportCliOptions {
  facility: string;
  patients?: string;
  json?: boolean;
  report?: string | false;
  format?: string;
}

interface FhirExportCliOptions {
  facility?: string;
  province?: string;
  bundle?: string;
  out?: string;
  json?: boolean;
}

const brief = (p: RowProblem): Record<string, unknown> => ({ row: p.row, column: p.column, code: p.code, message: p.message });

/** The human summary plus the skipped entries and Patient file problems. */
function formatFhirSummary(s: FhirImportSummary): string {
  const lines = [formatSummary(s).trimEnd()];
  if (s.skipped.length > 0) lines.push(`  skipped    ${s.skipped.length} entries (not completed, or not Patient/Immunization)`);
  for (const n of s.notes.slice(0, 10)) lines.push(`  ${n.code} ${n.message}`);
  return `${lines.join('\n')}\n`;
}

/**
 * Registers `vaxpass fhir import` and `vaxpass fhir export`.
 * @param program - the root command
 * @param deps - how to open the database
 */
export function registerFhir(program: Command, deps: CliDbDeps = {}): void {
  const fhir = program.command('fhir').description('FHIR R4 Patient + Immunization: import (Bundle or NDJSON) and export');

  fhir
    .command('import')
    .description('import a FHIR Bundle (JSON) or Bulk Data NDJSON for one facility, through the import pipeline')
    .argument('<file>', 'a Bundle (.json) or an NDJSON file (Patients before their Immunizations, or Immunizations with --patients)')
    .requiredOption('--facility <code>', 'the facility that recorded these doses')
    .option('--patients <file>', 'Patient.ndjson, when FILE holds only the Immunizations')
    .option('--format <format>', 'bundle or ndjson (default: ndjson for .ndjson files or with --patients, else bundle)')
    .option('--json', 'print the summary as one JSON object')
    .option('--report <path>', 'error report CSV (default: <file>.errors.csv)')
    .option('--no-report', 'do not write an error report')
    .action(async (file: string, opts: FhirImportCliOptions) => {
      const format = opts.format ?? (opts.patients !== undefined || extname(file).toLowerCase() === '.ndjson' ? 'ndjson' : 'bundle');
      if (format !== 'bundle' && format !== 'ndjson') throw new AppError('USAGE', `--format must be bundle or ndjson (got ${format})`);
      const handle = await (deps.openDb ?? openConfiguredDb)();
      try {
        const options = { facilityCode: opts.facility, actor: cliActor(), errorReport: opts.report === false ? null : (opts.report ?? `${file}.errors.csv`) };
        const summary =
          format === 'bundle'
            ? await importFhirBundle(handle.db, handle.dialect, file, options)
            : await importFhirNdjson(handle.db, handle.dialect, file, { ...options, ...(opts.patients === undefined ? {} : { patients: opts.patients }) });
        if (opts.json) process.stdout.write(`${JSON.stringify({ ...summaryJson(summary), skipped: summary.skipped.map(brief), notes: summary.notes.map(brief) })}\n`);
        else process.stdout.write(formatFhirSummary(summary));
        process.exitCode = summary.rejected > 0 ? 1 : 0;
      } finally {
        await handle.close();
      }
    });

  fhir
    .command('export')
    .description('export people and doses as a FHIR Bundle (--bundle) or Bulk Data NDJSON files (--out)')
    .option('--facility <code>', "only this facility's doses and their people")
    .option('--province <code>', "only doses of this province's facilities and their people")
    .option('--bundle <file>', 'write one Bundle (JSON) to this file')
    .option('--out <dir>', 'write Patient.ndjson and Immunization.ndjson into this directory')
    .option('--json', 'print what was written as JSON')
    .action(async (opts: FhirExportCliOptions) => {
      if ((opts.bundle === undefined) === (opts.out === undefined)) throw new AppError('USAGE', 'give exactly one of --bundle FILE or --out DIR');
      const filter: ExportFilter = { facilityCode: opts.facility, provinceCode: opts.province };
      const handle = await (deps.openDb ?? openConfiguredDb)();
      try {
        let result: { files: { type: string; path: string; count: number }[] };
        if (opts.bundle !== undefined) {
          const bundle = await exportBundle(handle.db, filter);
          await writeFile(opts.bundle, JSON.stringify(bundle));
          const entries = bundle.entry;
          const patients = entries.filter((e) => e.resource?.resourceType === 'Patient').length;
          result = { files: [{ type: 'Bundle', path: opts.bundle, count: entries.length }, { type: 'Patient', path: opts.bundle, count: patients }, { type: 'Immunization', path: opts.bundle, count: entries.length - patients }] };
        } else {
          result = { files: await exportNdjsonFiles(handle.db, filter, opts.out ?? '.') };
        }
        if (opts.json) process.stdout.write(`${JSON.stringify(result)}\n`);
        else for (const f of result.files) process.stdout.write(`${f.type}: ${f.count} → ${f.path}\n`);
      } finally {
        await handle.close();
      }
    });
}
