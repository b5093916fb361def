/**
 * `vaxpass conformance DIR [--json] [--deviations FILE]`: runs the EU dgc-testdata vectors in DIR
 * through our codec and verifier. Prints `FILE CHECK reason` per failing check and
 * `N passed, M failed, K skipped` (or one JSON object); exit 0 only when nothing failed.
 */
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../errors/index.js';
import { DEFAULT_DEVIATIONS_FILE, formatJson, formatText, loadDeviations, runConformance } from '../../conformance/index.js';

interface ConformanceCliOptions {
  json?: boolean;
  deviations: string;
}

async function conformanceCommand(dir: string, opts: ConformanceCliOptions): Promise<number> {
  const deviations = await loadDeviations(resolve(opts.deviations));
  const report = await runConformance(resolve(dir), { deviations });
  // An empty or mistyped folder must not pass as "0 failed".
  if (report.files === 0) throw new AppError('USAGE', `no vectors (*/raw/*.json) found in ${dir}`);
  process.stdout.write(opts.json === true ? formatJson(report) : formatText(report));
  if (opts.json !== true && report.unusedDeviations.length > 0) {
    const lines = report.unusedDeviations.map((d) => `  line ${d.line}: ${d.pattern} ${d.check}`);
    process.stderr.write(`deviations that matched no failing check (remove them):\n${lines.join('\n')}\n`);
  }
  return report.failed === 0 ? 0 : 1;
}

/**
 * Registers `vaxpass conformance`.
 * @param program - the root command
 */
export function registerConformance(program: Command): void {
  program
    .command('conformance')
    .description('run the EU dgc-testdata conformance vectors (e.g. ../shared/conformance/dgc-testdata)')
    .argument('<dir>', 'folder laid out like dgc-testdata: <COUNTRY>/2DCode/raw/*.json')
    .option('--json', 'print one JSON object instead of text')
    .option('--deviations <file>', 'CSV of known-wrong vectors: file-or-glob,check,reason', DEFAULT_DEVIATIONS_FILE)
    .action(async (dir: string, opts: ConformanceCliOptions) => {
      process.exitCode = await conformanceCommand(dir, opts);
    });
}
