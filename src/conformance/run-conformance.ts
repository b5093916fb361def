/**
 * Runs the dgc-testdata suite over a folder laid out like the upstream repository
 * (`<COUNTRY>/2DCode/raw/*.json`, some folders spelled `Raw`): every vector, every check it asks
 * for. Per-item results as data: a file that cannot be read or parsed is one failure of that file,
 * never an exception. Failing checks covered by a deviation are reported as skipped.
 */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { AppError } from '../errors/index.js';
import { decodeQrImage } from '../hcert/qr/index.js';
import type { PictureDecoder } from './check-transport.js';
import { findDeviation } from './deviations.js';
import type { Deviation } from './deviations.js';
import { loadVector } from './load-vector.js';
import { runChecks } from './run-checks.js';
import type { CheckResult } from './run-checks.js';

export interface ConformanceOptions {
  /** Failing checks these cover are reported as skipped, with the deviation's reason. */
  deviations?: readonly Deviation[];
  /** QR picture decoder (default: src/hcert/qr decodeQrImage). */
  decodePicture?: PictureDecoder;
}

/** Outcome of a whole run. */
export interface ConformanceReport {
  passed: number;
  failed: number;
  skipped: number;
  /** Number of vector files found. */
  files: number;
  /** Every check of every vector, in file order. */
  results: CheckResult[];
  /** Deviations that covered no failing check: fixed upstream or in our code, to be removed. */
  unusedDeviations: Deviation[];
}

/**
 * The vector files below a folder: `*.json` inside any folder named `raw` (any case), as paths
 * relative to the folder with `/` separators, sorted. Throws AppError when the folder is unreadable.
 * @param dir - the conformance folder
 */
export async function findVectorFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, inRaw: boolean): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.name === 'node_modules') continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p, e.name.toLowerCase() === 'raw');
      else if (inRaw && e.isFile() && e.name.toLowerCase().endsWith('.json')) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  try {
    await walk(dir, false);
  } catch (e) {
    throw new AppError('CONFORMANCE_DIR_UNREADABLE', `cannot read the conformance folder ${dir}: ${(e as Error).message}`, 400);
  }
  return out.sort();
}

/**
 * Runs every check of every vector below `dir`.
 * @param dir - the conformance folder (e.g. ../shared/conformance/dgc-testdata)
 * @param options - deviations and the picture decoder
 */
export async function runConformance(dir: string, options: ConformanceOptions = {}): Promise<ConformanceReport> {
  const deviations = options.deviations ?? [];
  const decodePicture = options.decodePicture ?? decodeQrImage;
  const files = await findVectorFiles(dir);
  const results: CheckResult[] = [];
  const used = new Set<Deviation>();
  for (const file of files) {
    const loaded = await loadVector(join(dir, file), file);
    const fileResults: CheckResult[] = loaded.ok
      ? await runChecks(loaded.vector, { decodePicture })
      : [{ file, check: 'LOAD', status: 'failed', reason: loaded.reason }];
    for (const r of fileResults) {
      const deviation = r.status === 'failed' ? findDeviation(deviations, r.file, r.check) : undefined;
      if (deviation) {
        used.add(deviation);
        results.push({ ...r, status: 'skipped', reason: `${deviation.reason} (deviation line ${deviation.line}; failure was: ${r.reason})` });
      } else results.push(r);
    }
  }
  const count = (s: CheckResult['status']): number => results.filter((r) => r.status === s).length;
  return {
    passed: count('passed'),
    failed: count('failed'),
    skipped: count('skipped'),
    files: files.length,
    results,
    unusedDeviations: deviations.filter((d) => !used.has(d)),
  };
}
