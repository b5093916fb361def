/**
 * Compiled ajv validators for the EU DCC JSON schema releases (eu-dcc-schema, JSON Schema draft
 * 2020-12). One validator per release, cached for the process lifetime: the bundled release's is
 * compiled ahead of time (generated/, ajv standalone code — compiling costs ~150 ms per thread),
 * older ones on first use.
 *
 * Where the schemas come from:
 * - the current release (1.3.3) is bundled as a generated module (generated/), because the built
 *   service must validate without the sibling ../shared folder that only dev and CI machines have;
 * - older releases (1.0.0 … 1.3.2) are read from ../shared/reference/eu-dcc-schema/releases when it
 *   is present. Without it, payloads naming an old `ver` are validated against the bundled release
 *   (callers see which one in the result); 1.3.x is a superset of the older releases except for the
 *   one-group rule, which validateSchema() applies to every release anyway.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import type { AnySchemaObject, ValidateFunction } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import { AppError } from '../../errors/index.js';
import { DCC_SCHEMA_VERSION, dccCombinedSchema } from './generated/dcc-combined-schema.generated.js';
import { validate as precompiledBundled } from './generated/dcc-schema-validator.generated.js';
import { sharedPath } from './shared-path.js';

const SEMVER = /^(\d+)\.(\d+)\.(\d+)$/;

// ajv-formats is CommonJS with `exports.default`; under NodeNext the default import is the module.
const addFormats = ajvFormats.default;

const validators = new Map<string, ValidateFunction>();
let releasesCache: readonly string[] | undefined;

function releasesDir(): string {
  return sharedPath('reference', 'eu-dcc-schema', 'releases');
}

function parseSemver(v: string): [number, number, number] | undefined {
  const m = SEMVER.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compareSemver(a: string, b: string): number {
  const x = parseSemver(a) ?? [0, 0, 0];
  const y = parseSemver(b) ?? [0, 0, 0];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/**
 * Schema releases this process can validate against, oldest first: the folders of
 * ../shared/.../releases (when readable) plus the bundled release.
 */
export function availableSchemaReleases(): readonly string[] {
  if (releasesCache) return releasesCache;
  let found: string[] = [];
  try {
    found = readdirSync(releasesDir()).filter((name) => SEMVER.test(name));
  } catch {
    // No ../shared (a deployed service): only the bundled release is available.
  }
  releasesCache = Object.freeze([...new Set([...found, DCC_SCHEMA_VERSION])].sort(compareSemver));
  return releasesCache;
}

/**
 * Picks the release to validate a payload against from its `ver`: the exact release if known, else
 * the closest patch of the same major.minor (the highest one not above `ver`, or the lowest above
 * it), else the latest release (unknown, newer or malformed versions).
 * @param ver - the payload's `ver` value, as found (may be missing or not a string)
 * @param releases - candidate releases, oldest first (default: {@link availableSchemaReleases})
 */
export function selectSchemaRelease(ver: unknown, releases?: readonly string[]): string {
  if (releases !== undefined) return pickRelease(ver, releases);
  // Every certificate issued and verified asks this, nearly always for one of a few versions.
  if (typeof ver !== 'string') return pickRelease(ver, availableSchemaReleases());
  let release = releaseOfVer.get(ver);
  if (release === undefined) {
    release = pickRelease(ver, availableSchemaReleases());
    if (releaseOfVer.size >= 64) releaseOfVer.clear();
    releaseOfVer.set(ver, release);
  }
  return release;
}

/** {@link selectSchemaRelease}'s answers over the available releases, by `ver`. */
const releaseOfVer = new Map<string, string>();

function pickRelease(ver: unknown, releases: readonly string[]): string {
  const latest = releases.at(-1) ?? DCC_SCHEMA_VERSION;
  const wanted = typeof ver === 'string' ? parseSemver(ver) : undefined;
  if (!wanted || typeof ver !== 'string') return latest;
  if (releases.includes(ver)) return ver;
  const sameMinor = releases.filter((r) => {
    const p = parseSemver(r);
    return p !== undefined && p[0] === wanted[0] && p[1] === wanted[1];
  });
  if (sameMinor.length === 0) return latest;
  const notAbove = sameMinor.filter((r) => compareSemver(r, ver) <= 0);
  return notAbove.at(-1) ?? sameMinor[0] ?? latest;
}

function loadReleaseSchema(release: string): AnySchemaObject {
  if (release === DCC_SCHEMA_VERSION) return dccCombinedSchema;
  const dir = join(releasesDir(), release);
  try {
    // Releases up to 1.2.0 name the file DGC.combined-schema.json, later ones DCC.combined-schema.json.
    const file = readdirSync(dir).find((f) => f.endsWith('.combined-schema.json'));
    if (file === undefined) throw new Error(`no *.combined-schema.json in ${dir}`);
    return JSON.parse(readFileSync(join(dir, file), 'utf8')) as AnySchemaObject;
  } catch (cause) {
    throw new AppError(
      'SCHEMA_RELEASE_UNAVAILABLE',
      `cannot load DCC schema release ${release}`,
      500,
      { release },
      { cause },
    );
  }
}

/**
 * The compiled validator of one schema release (compiled once, then cached).
 * @param release - a version from {@link availableSchemaReleases}
 */
export function getSchemaValidator(release: string): ValidateFunction {
  const cached = validators.get(release);
  if (cached) return cached;
  // The bundled release comes compiled ahead of time (the generator uses the options below).
  const validate = release === DCC_SCHEMA_VERSION ? (precompiledBundled as unknown as ValidateFunction) : compileSchemaValidator(release);
  validators.set(release, validate);
  return validate;
}

/**
 * Compiles a release's validator with ajv at run time (older releases; tests compare it with
 * the precompiled one).
 * @param release - a version from {@link availableSchemaReleases}
 */
export function compileSchemaValidator(release: string): ValidateFunction {
  // One Ajv instance per release: every release reuses the same $id, which one instance rejects.
  const ajv = new Ajv2020({
    allErrors: true, // report every failing field, not just the first
    verbose: true, // keeps schema and data on errors, used to explain oneOf/anyOf failures
  });
  addFormats(ajv, ['date', 'date-time']);
  // Annotation the official schemas use to name each field's value set; checked by checkValueSets().
  ajv.addKeyword({ keyword: 'valueset-uri', schemaType: 'string' });
  return ajv.compile(loadReleaseSchema(release));
}
