/**
 * Test access to ../shared reference data, read in place (never copied into the repo): the EU DCC
 * schema test cases and examples, and the dgc-testdata conformance vectors.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedPath } from '../shared-path.js';

/** Parses a JSON file below shared/. */
export function readSharedJson(...segments: string[]): unknown {
  return JSON.parse(readFileSync(sharedPath(...segments), 'utf8'));
}

/** Reads a text file below shared/. */
export function readSharedText(...segments: string[]): string {
  return readFileSync(sharedPath(...segments), 'utf8');
}

/** JSON files of a folder below shared/, as [file name, parsed content], sorted by name. */
export function readSharedJsonDir(...segments: string[]): [string, unknown][] {
  const dir = sharedPath(...segments);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => [f, JSON.parse(readFileSync(join(dir, f), 'utf8'))]);
}

/** One dgc-testdata raw vector that carries a JSON payload. */
export interface ConformanceVector {
  /** e.g. `AT/1.json` */
  id: string;
  country: string;
  payload: Record<string, unknown>;
  expected: Record<string, unknown>;
}

/** Every dgc-testdata `<COUNTRY>/2DCode/raw/*.json` vector with a JSON payload. */
export function conformanceVectors(): ConformanceVector[] {
  const root = sharedPath('conformance', 'dgc-testdata');
  const out: ConformanceVector[] = [];
  for (const country of readdirSync(root).sort()) {
    const dir = join(root, country, '2DCode', 'raw');
    if (!existsSync(dir)) continue;
    for (const file of readdirSync(dir).sort()) {
      if (!file.endsWith('.json')) continue;
      let parsed: unknown;
      try {
        parsed = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      } catch {
        continue; // a few vectors are deliberately not JSON-decodable; not payload tests
      }
      const v = parsed as { JSON?: unknown; EXPECTEDRESULTS?: unknown };
      if (typeof v.JSON !== 'object' || v.JSON === null) continue;
      out.push({
        id: `${country}/${file}`,
        country,
        payload: v.JSON as Record<string, unknown>,
        expected: (v.EXPECTEDRESULTS ?? {}) as Record<string, unknown>,
      });
    }
  }
  return out;
}
