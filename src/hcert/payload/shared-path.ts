/**
 * Locates the read-only reference data folder `shared/` (EU DCC schema releases, value sets, the
 * dgc-testdata conformance vectors, Vietnamese reference data). It sits beside the repository
 * (`<repo>/../shared`) on developer and CI machines only: tests and generators read it in place,
 * while what the running service needs is bundled (generated/, src/registry/reference/data). The
 * only run-time use left is optional: older schema releases in schema-validators.ts, skipped when
 * the folder is absent.
 *
 * The repository root is found by walking up from this module to the `package.json` named
 * `vaxpass`, so the same code works from `src/` (tsx, tests) and from `dist/` (built service).
 * `VAXPASS_SHARED_DIR` overrides the location, e.g. for a deployment that mounts the data elsewhere.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../errors/index.js';

let cachedDir: string | undefined;

/** Walks up from `start` to the directory whose package.json is named `vaxpass`. */
function findRepoRoot(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const parsed = JSON.parse(readFileSync(pkg, 'utf8')) as { name?: unknown };
        if (parsed.name === 'vaxpass') return dir;
      } catch {
        // A broken package.json further down (e.g. a fixture) is not ours: keep walking up.
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * Absolute path of the shared reference folder (resolved once, then cached).
 * @param env - environment to read `VAXPASS_SHARED_DIR` from; defaults to `process.env`
 * @returns the folder path; it is not checked to exist, callers report missing files themselves
 */
export function sharedDir(env: NodeJS.ProcessEnv = process.env): string {
  const override = env.VAXPASS_SHARED_DIR?.trim();
  if (override) return resolve(override);
  if (cachedDir !== undefined) return cachedDir;
  const root = findRepoRoot(dirname(fileURLToPath(import.meta.url)));
  if (root === undefined) {
    throw new AppError(
      'SHARED_DIR_NOT_FOUND',
      'cannot locate the vaxpass repository root to find ../shared; set VAXPASS_SHARED_DIR',
      500,
    );
  }
  cachedDir = join(root, '..', 'shared');
  return cachedDir;
}

/**
 * Path of a file or folder inside the shared reference folder.
 * @param segments - path segments below `shared/`, e.g. `'reference', 'eu-dcc-valuesets'`
 */
export function sharedPath(...segments: string[]): string {
  return join(sharedDir(), ...segments);
}
