/**
 * Renders a conformance run: one line per failing check and a closing count line for people and
 * CI logs, or one JSON object for tools.
 */
import type { ConformanceReport } from './run-conformance.js';

/** The closing line of a text report, e.g. `3907 passed, 0 failed, 328 skipped`. */
export function summaryLine(report: Pick<ConformanceReport, 'passed' | 'failed' | 'skipped'>): string {
  return `${report.passed} passed, ${report.failed} failed, ${report.skipped} skipped`;
}

/**
 * Text report: `FILE CHECK reason` per failing check (file relative to the folder), then the
 * summary line.
 * @param report - the run's outcome
 */
export function formatText(report: ConformanceReport): string {
  const lines = report.results.filter((r) => r.status === 'failed').map((r) => `${r.file} ${r.check} ${r.reason.replace(/\s+/g, ' ')}`);
  lines.push(summaryLine(report));
  return `${lines.join('\n')}\n`;
}

/**
 * JSON report: counts, then the failures and the skips as {file, check, reason}, and deviation
 * lines that covered nothing.
 * @param report - the run's outcome
 */
export function formatJson(report: ConformanceReport): string {
  const pick = (status: 'failed' | 'skipped'): { file: string; check: string; reason: string }[] =>
    report.results.filter((r) => r.status === status).map(({ file, check, reason }) => ({ file, check, reason }));
  return `${JSON.stringify(
    {
      passed: report.passed,
      failed: report.failed,
      skipped: report.skipped,
      failures: pick('failed'),
      skips: pick('skipped'),
      unusedDeviations: report.unusedDeviations,
    },
    null,
    2,
  )}\n`;
}
