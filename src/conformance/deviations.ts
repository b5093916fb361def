/**
 * Checked-in deviations: the only way a failing check may be reported as skipped. Each line of the
 * CSV names a vector (path relative to the conformance folder, `*`/`**`/`?` globs allowed), a
 * check (or `*`) and the reason the vector, not our code, is wrong. Matching is case-insensitive
 * because the upstream folders are not consistently cased (`IE/2DCode/Raw`).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AppError } from '../errors/index.js';

/** One line of the deviations file. */
export interface Deviation {
  pattern: string;
  check: string;
  reason: string;
  /** 1-based line number in the file. */
  line: number;
}

/** The repository's deviations file, `conformance-deviations.csv` at the repository root. */
export const DEFAULT_DEVIATIONS_FILE = fileURLToPath(new URL('../../conformance-deviations.csv', import.meta.url));

/** Splits one CSV line (RFC 4180 quoting); unquoted extra commas stay in the last field. */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') {
      cur += '"';
      i++;
    } else if (quoted && c === '"') {
      quoted = false;
    } else if (!quoted && c === '"' && cur.trim() === '') {
      cur = '';
      quoted = true;
    } else if (!quoted && c === ',' && out.length < 2) {
      out.push(cur.trim());
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur.trim());
  return out;
}

/**
 * Parses deviations CSV text; throws AppError (DEVIATIONS_INVALID) naming the bad line.
 * @param text - CSV with columns file-or-glob, check, reason; `#` starts a comment line
 * @param source - file name for messages
 */
export function parseDeviations(text: string, source = 'deviations'): Deviation[] {
  const out: Deviation[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/^\uFEFF/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) return;
    const [pattern = '', check = '', reason = ''] = splitCsv(line);
    if (index === 0 && /^file/i.test(pattern) && /^check$/i.test(check)) return; // header
    if (pattern === '' || check === '' || reason === '') {
      throw new AppError('DEVIATIONS_INVALID', `${source}:${index + 1}: expected "file-or-glob,check,reason" with a reason`, 400);
    }
    out.push({ pattern, check: check.toUpperCase(), reason, line: index + 1 });
  });
  return out;
}

/**
 * Reads a deviations file; a missing file means no deviations.
 * @param path - the CSV file
 */
export async function loadDeviations(path: string): Promise<Deviation[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new AppError('DEVIATIONS_UNREADABLE', `cannot read ${path}: ${(e as Error).message}`, 400);
  }
  return parseDeviations(text, path);
}

const globCache = new Map<string, RegExp>();

function globRegExp(glob: string): RegExp {
  let re = globCache.get(glob);
  if (!re) {
    const body = glob
      .split(/(\*\*\/?|\*|\?)/)
      .map((part) => {
        if (part === '**/') return '(?:.*/)?';
        if (part === '**') return '.*';
        if (part === '*') return '[^/]*';
        if (part === '?') return '[^/]';
        return part.replace(/[.+^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    re = new RegExp(`^${body}$`, 'i');
    globCache.set(glob, re);
  }
  return re;
}

/**
 * The first deviation covering a check of a vector.
 * @param deviations - parsed deviations
 * @param file - vector path relative to the conformance folder, `/`-separated
 * @param check - the check name
 */
export function findDeviation(deviations: readonly Deviation[], file: string, check: string): Deviation | undefined {
  return deviations.find((d) => (d.check === '*' || d.check === check.toUpperCase()) && globRegExp(d.pattern).test(file));
}
