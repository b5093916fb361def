#!/usr/bin/env node
/**
 * Copies the parts of ../shared/reference/vn that VaxPass needs at run time into
 * src/registry/reference/data/, trimmed to the fields we use. The product must run without the
 * ../shared checkout beside it (a deployed server has none), so the data ships in the package;
 * `--check` (run by the tests) fails when the copy no longer matches its source.
 *
 *   node scripts/sync-reference.mjs          # write
 *   node scripts/sync-reference.mjs --check  # exit 1 when out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = resolve(process.env.VAXPASS_SHARED_DIR ?? join(root, '..', 'shared'), 'reference', 'vn');
const target = join(root, 'src', 'registry', 'reference', 'data');

const read = (name) => JSON.parse(readFileSync(join(source, name), 'utf8'));

/** First ISO date (or year-month) in a free-text "approved" note, as yyyy-mm-dd. */
function firstDate(text) {
  if (typeof text !== 'string' || /NOT FOUND/.test(text)) return null;
  const m = /(\d{4})-(\d{2})(?:-(\d{2}))?/.exec(text);
  if (m) return `${m[1]}-${m[2]}-${m[3] ?? '01'}`;
  // "early 2022": only a year is known; the year's first day is the earliest plausible dose.
  const y = /\b(20\d{2})\b/.exec(text);
  return y ? `${y[1]}-01-01` : null;
}

function provinces() {
  return read('provinces.json').provinces.map((p) => ({
    code: p.code,
    cccdCode: p.cccd_code,
    name: p.name,
    nameAscii: p.name_ascii,
    population2019: p.population_2019_census,
    cmndPrefixes: p.cmnd9_prefixes_hint ?? [],
    aliases: p.aliases ?? [],
  }));
}

function districts() {
  return read('districts.json').districts.map((d) => ({
    provinceCode: d.province_code,
    code: d.code,
    name: d.name,
    communeCount: d.commune_count,
  }));
}

function vaccines() {
  return read('vaccines.json').vaccines.map((v) => ({
    id: v.id,
    name: v.name_vn,
    // `used` is true, false, or a sentence ("limited (donated lots)…").
    usedInVietnam: v.vn_status.used === true || /^limited/.test(String(v.vn_status.used)),
    // Licensed in Viet Nam from this day; null = never licensed, so no dose can be recorded.
    availableFrom: firstDate(v.vn_status.approved),
    mp: v.dcc?.mp ?? null,
    ma: v.dcc?.ma ?? null,
    vp: v.dcc?.vp_recommended_april_2022 ?? null,
    primarySeriesDoses: v.primary_series_doses,
    minIntervalDays: v.intervals?.minimum_days_vn ?? null,
  }));
}

function names() {
  const n = read('names.json');
  delete n._meta;
  return n;
}

const files = {
  'provinces.json': provinces(),
  'districts.json': districts(),
  'vaccines.json': vaccines(),
  'names.json': names(),
};

const check = process.argv.includes('--check');
let stale = 0;
for (const [name, data] of Object.entries(files)) {
  const text = `${JSON.stringify(data, null, 1)}\n`;
  const path = join(target, name);
  if (check) {
    let current = '';
    try { current = readFileSync(path, 'utf8'); } catch { /* missing counts as stale */ }
    if (current !== text) { console.error(`stale: ${path}`); stale++; }
  } else {
    writeFileSync(path, text);
    console.log(`wrote ${path}`);
  }
}
process.exit(stale === 0 ? 0 : 1);
