/**
 * The stages `npm start` runs between the PKI and serving, on the embedded default: seed a
 * synthetic province with its population register (first start only), verify identities, have
 * facilities (or their province's focal unit) sign their records, issue passports. Each stage is
 * incremental, so a second start finds little or nothing to do and is ready in seconds.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sql } from 'kysely';
import { createToken } from '../../auth/index.js';
import type { Config } from '../../config/index.js';
import type { DbHandle } from '../../db/index.js';
import { issuePendingCertificates, signFacilityRecords } from '../../issuance/index.js';
import { loadRegister, populationVerifierFromEnv, runVerification } from '../../population/index.js';
import type { RegisterEntry } from '../../population/index.js';
import { setProvinceSigning, signingUnitFor } from '../../registry/index.js';
import { generateProvince, seedDatabase } from '../../registry/seed/index.js';
import type { SeedProvince } from '../../registry/seed/index.js';
import type { KeyCustody } from '../../trust/pki/index.js';

const ACTOR = 'system:start';

/** A demo login printed at start (development only; secrets kept in ./data/secrets). */
export interface DemoToken {
  readonly role: string;
  readonly scope: string | null;
  readonly name: string;
  readonly secret: string;
}

/** What the stages did, for the summary lines and the sample certificate. */
export interface StartStagesResult {
  readonly sampleHc1: string | undefined;
  readonly tokens: readonly DemoToken[];
}

function* registerEntries(gen: SeedProvince): Generator<RegisterEntry> {
  for (const p of gen.persons()) {
    const t = p.truth;
    if (t.idNumber !== null) yield { idNumber: t.idNumber, fullName: t.fullName, dob: t.dob, sex: t.sex };
  }
}

async function count(handle: DbHandle, table: 'person' | 'population_register'): Promise<number> {
  const r = await handle.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return r.n;
}

/**
 * Runs the stages, printing one line each.
 * @param handle - the migrated database
 * @param custody - key custody (facility data-signing keys, the DSC)
 * @param config - seed size and province
 * @param say - prints one line
 */
export async function runStartStages(handle: DbHandle, custody: KeyCustody, config: Config, say: (line: string) => void): Promise<StartStagesResult> {
  const { db, dialect } = handle;
  let t = performance.now();
  const took = (): string => {
    const s = (performance.now() - t) / 1000;
    t = performance.now();
    return `${s.toFixed(1)} s`;
  };

  // 3. Seed a synthetic province and its population register, once.
  if ((await count(handle, 'person')) === 0 && config.seedPeople > 0) {
    const gen = generateProvince({ provinceCode: config.seedProvince, people: config.seedPeople, seed: 1 });
    const s = await seedDatabase(db, dialect, gen, { actor: ACTOR });
    say(`seed       province ${gen.provinceCode}: ${s.people} people, ${s.facilities} facilities, ${s.imported} doses recorded, ${s.rejected} rows in quarantine (${took()})`);
    // Like most provinces in 2022, the seeded one signs through its CDC as focal unit: one
    // data-signing key for the province instead of one per commune station.
    const cdc = gen.facilities.find((f) => f.type === 'cdc');
    if (cdc) await setProvinceSigning(db, gen.provinceCode, { mode: 'focal_unit', focalFacilityCode: cdc.code }, ACTOR);
    if ((await count(handle, 'population_register')) === 0) {
      const r = await loadRegister(db, dialect, registerEntries(gen), { source: `seed:${gen.provinceCode}` });
      say(`register   ${r.loaded} people in the population register (the synthetic truth) (${took()})`);
    }
  } else {
    say(`seed       reused: ${await count(handle, 'person')} people already recorded`);
    t = performance.now();
  }

  // 4. Verify identities (in-process register, or VAXPASS_POPULATION_URL).
  const verifier = populationVerifierFromEnv(process.env, { db });
  try {
    const v = await runVerification(db, dialect, verifier, {});
    say(`verify     ${v.sent} sent: ${v.verified} verified, ${v.mismatch} mismatched, ${v.notFound} not found; ${v.notSent} not sent (missing data)${v.unavailable > 0 ? `; ${v.unavailable} left queued (register unavailable)` : ''} (${took()})`);
  } finally {
    await verifier.close?.();
  }

  // 5. Facilities, or their province's focal unit, sign records not yet signed in their current version.
  const pending = await sql<{ facility_id: number }>`
    select distinct d.facility_id from dose d join person p on p.id = d.person_id
    where d.status = 'active' and not exists (
      select 1 from dose_signature s
      where s.dose_id = d.id and s.dose_version = d.version and s.person_version = p.version)`.execute(db);
  const units = new Map<string, string>();
  for (const r of pending.rows) {
    const unit = await signingUnitFor(db, r.facility_id);
    units.set(unit.code, unit.code);
  }
  let signed = 0;
  for (const code of units.keys()) {
    const r = await signFacilityRecords(db, { custody, facilityCode: code, all: true, ensureCert: true, actor: ACTOR });
    signed += r.signed;
  }
  say(`sign       ${signed} dose records signed by ${units.size} signing unit(s) (${took()})`);

  // 6. Issue passports to everyone eligible (verified, with signed doses).
  // Also sets the watermark from which the background issuance worker scans for changes.
  const issued = await issuePendingCertificates(db, { custody, actor: ACTOR });
  say(`issue      ${issued.issued} passports issued, ${issued.renewed} renewed, ${issued.superseded} superseded, ${issued.unchanged} unchanged (${took()})`);

  const sample = await db.selectFrom('certificate').select('hc1').where('status', '=', 'active').orderBy('id', 'desc').executeTakeFirst();
  return { sampleHc1: sample?.hc1, tokens: await demoTokens(handle, config) };
}

const TOKENS_FILE = './data/secrets/demo-tokens.json';

/** Demo logins, created on first start and kept (mode 0600) so later starts print the same. */
async function demoTokens(handle: DbHandle, config: Config): Promise<DemoToken[]> {
  if (existsSync(TOKENS_FILE)) {
    try {
      return JSON.parse(readFileSync(TOKENS_FILE, 'utf8')) as DemoToken[];
    } catch {
      // unreadable: make new ones
    }
  }
  const facility = await handle.db.selectFrom('facility').select('code').where('type', '=', 'health_station').orderBy('code').executeTakeFirst();
  const wanted: { role: string; scope: string | null; name: string }[] = [
    { role: 'admin', scope: null, name: 'demo admin' },
    { role: 'ministry', scope: null, name: 'demo ministry' },
    { role: 'province', scope: config.seedProvince, name: `demo province ${config.seedProvince}` },
    { role: 'police', scope: config.seedProvince, name: `demo police ${config.seedProvince}` },
  ];
  if (facility) wanted.push({ role: 'facility', scope: facility.code, name: `demo facility ${facility.code}` });
  const out: DemoToken[] = [];
  for (const w of wanted) {
    const { secret } = await createToken(handle.db, w, ACTOR);
    out.push({ ...w, secret });
  }
  mkdirSync(dirname(TOKENS_FILE), { recursive: true });
  writeFileSync(TOKENS_FILE, JSON.stringify(out, null, 1), { mode: 0o600 });
  return out;
}
