/**
 * "Sign today's records" (Decision 5772/QĐ-BYT, step 2): a facility's dose records entered or
 * changed on a day (Viet Nam time), or every unsigned one with `all`, signed in canonical form
 * (in batches of 64: one signature over a Merkle root, each record with its inclusion proof,
 * see merkle.ts) with the key of its signing unit (the facility, or its province's focal unit; a focal unit
 * asked to sign its own code signs every facility of its province). The key is loaded once per
 * run; records are read and signatures written in pages.
 */
import { hash } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import { dialectOf } from '../../db/index.js';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { getFacilityByCode, signingUnitFor, writeAudit } from '../../registry/index.js';
import type { Facility } from '../../registry/index.js';
import { todayInVietnam } from '../../registry/validate/index.js';
import type { KeyCustody } from '../../trust/pki/index.js';
import { canonicalBatch, canonicalDose } from './canonical-dose.js';
import { encodeProof, merkleTree } from './merkle.js';
import { facilityIdsOfProvince, insertSignatures, loadDoseRecords } from './signing-repository.js';
import type { DoseRecord } from './signing-repository.js';
import { ensureSigningCert, loadUnitSigner } from './unit-signer.js';

type Db = Kysely<Database>;

/** Doses read per page. */
const PAGE = 2000;
/** Records per signed batch (Merkle tree): one signature each, proofs of at most 6 hashes. */
const BATCH = 64;
/** Signatures per INSERT (15 parameters each: well under SQLite's and PostgreSQL's limits). */
const INSERT_CHUNK = 512;
/** Viet Nam is UTC+7 all year (no daylight saving). */
const VN_OFFSET_MS = 7 * 3600_000;

/** Options of {@link signFacilityRecords}. */
export interface SignOptions {
  custody: KeyCustody;
  /** The recording facility, or a focal unit (then: all facilities of its province). */
  facilityCode: string;
  /** Day in Viet Nam time, `YYYY-MM-DD` (default today). */
  date?: string | undefined;
  /** Every unsigned active record, whatever its day. */
  all?: boolean | undefined;
  /** Who signs (audit, `signed_by`). */
  actor: string;
  /** Issue the unit's data-signing certificate if it has none (development only). */
  ensureCert?: boolean | undefined;
  /** Clock (default now). */
  now?: Date | undefined;
}

/** What a signing run did. */
export interface SignResult {
  /** The facility asked for. */
  readonly facilityCode: string;
  /** Facilities whose records were considered. */
  readonly facilityCodes: readonly string[];
  /** The day (Viet Nam time), or null with `all`. */
  readonly date: string | null;
  /** Records signed now. */
  readonly signed: number;
  /** Records of the selection already signed in their current version. */
  readonly alreadySigned: number;
  /** Voided records of the selection (never signed). */
  readonly skipped: number;
  readonly signer: { readonly facilityCode: string; readonly certificateId: number; readonly kid: string; readonly alg: string; readonly certificateCreated: boolean };
  readonly ms: number;
}

/**
 * The UTC instants bounding a Viet Nam calendar day.
 * @param date - `YYYY-MM-DD`
 * @throws AppError BAD_REQUEST (400) for anything else
 */
export function vietnamDayRange(date: string): { from: string; to: string } {
  const start = /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00+07:00`) : NaN;
  if (Number.isNaN(start) || new Date(start + VN_OFFSET_MS).toISOString().slice(0, 10) !== date) {
    throw new AppError('BAD_REQUEST', `date must be a calendar day YYYY-MM-DD (got "${date}")`, 400, { field: 'date' });
  }
  return { from: new Date(start).toISOString(), to: new Date(start + 86_400_000).toISOString() };
}

/**
 * The facilities a run for `facility` covers: its whole province when it is the province's
 * focal unit, else itself.
 * @param db - database
 * @param facility - the facility asked for
 * @param unit - its signing unit
 */
async function scopeOf(db: Db, facility: Facility, unit: Facility): Promise<number[]> {
  if (unit.id !== facility.id) return [facility.id];
  const signing = await db.selectFrom('province_signing').select(['mode', 'focal_facility_id']).where('province_code', '=', facility.provinceCode).executeTakeFirst();
  return signing?.mode === 'focal_unit' && signing.focal_facility_id === facility.id ? facilityIdsOfProvince(db, facility.provinceCode) : [facility.id];
}

/**
 * Signs a facility's records of a day (or all unsigned ones) with its signing unit's key.
 * Idempotent: records signed in their current version are counted, not signed again.
 * @param db - database
 * @param opts - custody, facility, day or `all`, actor
 * @throws AppError FACILITY_NOT_FOUND (404), BAD_REQUEST (400) for a bad date,
 *   SIGNING_CERT_MISSING (409) when the signing unit has no certificate
 */
export async function signFacilityRecords(db: Db, opts: SignOptions): Promise<SignResult> {
  const t0 = performance.now();
  const now = opts.now ?? new Date();
  const facility = await getFacilityByCode(db, opts.facilityCode);
  const date = opts.all ? null : (opts.date ?? todayInVietnam(now));
  const changed = date === null ? undefined : vietnamDayRange(date);
  const unit = await signingUnitFor(db, facility.id);
  const created = opts.ensureCert ? (await ensureSigningCert(db, { custody: opts.custody, unit, now })).created : false;
  const signer = await loadUnitSigner(db, opts.custody, unit, now);
  const facilityIds = await scopeOf(db, facility, unit);
  const codes = facilityIds.length === 1 && facilityIds[0] === facility.id ? [facility.code] : (await db.selectFrom('facility').select('code').where('id', 'in', facilityIds).orderBy('code').execute()).map((r) => r.code);

  let signed = 0;
  let alreadySigned = 0;
  let skipped = 0;
  const signedAt = now.toISOString();
  // Reads and writes run while this thread signs, so their failures are caught at once (an
  // unobserved rejection would end the process) and rethrown after the loop.
  const load = (afterId: number): Promise<DoseRecord[]> => {
    const p = loadDoseRecords(db, { facilityIds, afterId, limit: PAGE, ...(changed ? { changed } : {}) });
    p.catch(() => undefined);
    return p;
  };
  const inserts: Promise<void>[] = [];
  const writeErrors: unknown[] = [];
  const insert = (chunk: Insertable<Database['dose_signature']>[]): void => {
    inserts.push(
      insertSignatures(db, chunk).then(
        (inserted) => {
          signed += inserted;
          // A concurrent run signed these versions first: they count as already signed.
          alreadySigned += chunk.length - inserted;
        },
        (e: unknown) => void writeErrors.push(e),
      ),
    );
  };
  // On PostgreSQL, database work overlaps signing: the next page is read and each chunk written
  // while the following chunk is signed (yielding once lets the query leave before the CPU-bound
  // loop). SQLite runs queries synchronously in this thread, so there it writes as it goes.
  const overlap = dialectOf(db) === 'postgres';
  let next: Promise<DoseRecord[]> | undefined = load(0);
  let failure: { error: unknown } | undefined;
  try {
    while (next) {
      const page: DoseRecord[] = await next;
      const last = page.at(-1);
      next = last && page.length === PAGE ? load(last.doseId) : undefined;
      let rows: Insertable<Database['dose_signature']>[] = [];
      const batch: { r: DoseRecord; digest: Buffer }[] = [];
      // One signature over the batch's Merkle root; each record gets its leaf and proof.
      const seal = (): void => {
        if (batch.length === 0) return;
        const tree = merkleTree(batch.map((b) => b.digest));
        const message = canonicalBatch(tree.root.toString('hex'), { signer: unit.code, signedAt, size: batch.length });
        const signature = Buffer.from(signer.sign(Buffer.from(message, 'utf8'))).toString('base64');
        batch.forEach(({ r, digest }, i) => {
          rows.push({
            dose_id: r.doseId,
            dose_version: r.doseVersion,
            person_version: r.personVersion,
            signer_facility_id: unit.id,
            certificate_id: signer.certificateId,
            kid: signer.kid,
            alg: signer.alg,
            canonical_sha256: digest.toString('hex'),
            signature,
            merkle_index: i,
            merkle_size: batch.length,
            merkle_proof: encodeProof(tree.proofs[i]!),
            signed_at: signedAt,
            signed_by: opts.actor,
          });
        });
        batch.length = 0;
      };
      for (const r of page) {
        if (r.status !== 'active') skipped++;
        else if (r.currentSignatureId !== null) alreadySigned++;
        else {
          batch.push({ r, digest: hash('sha256', canonicalDose(r, { signer: unit.code, signedAt }), 'buffer') });
          if (batch.length === BATCH) seal();
          if (rows.length >= INSERT_CHUNK) {
            insert(rows);
            rows = [];
            await (overlap ? new Promise(setImmediate) : Promise.all(inserts));
            // Stop at the first failed write rather than signing on for nothing.
            if (writeErrors.length > 0) break;
          }
        }
      }
      if (writeErrors.length > 0) break;
      seal();
      if (rows.length > 0) insert(rows);
    }
  } catch (error) {
    failure = { error };
  }
  // Settle every write (and a pending read) before returning or rethrowing.
  await Promise.allSettled([...inserts, ...(next ? [next] : [])]);
  if (failure) throw failure.error;
  if (writeErrors.length > 0) throw writeErrors[0];
  if (signed > 0) {
    await writeAudit(db, {
      actor: opts.actor,
      action: 'sign',
      entity: 'facility',
      entityId: unit.id,
      before: null,
      after: { signingUnit: unit.code, facilities: codes, date, all: opts.all === true, signed, certificateId: signer.certificateId, kid: signer.kid, signedAt },
    });
  }
  return {
    facilityCode: facility.code,
    facilityCodes: codes,
    date,
    signed,
    alreadySigned,
    skipped,
    signer: { facilityCode: unit.code, certificateId: signer.certificateId, kid: signer.kid, alg: signer.alg, certificateCreated: created },
    ms: Math.round(performance.now() - t0),
  };
}
