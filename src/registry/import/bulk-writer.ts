/**
 * Writes one batch of validated records in one transaction: finds or creates each person (by
 * identity document, or by the dedup key when there is no ID number), applies the dose-series
 * rules against the person's other doses, inserts the doses (a dose already recorded counts as a
 * duplicate, never a second row) and quarantines every row that failed, with its issues.
 *
 * About 6 statements per batch whatever its size, so a batch of thousands of rows costs a few
 * round trips instead of thousands.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database, DbDialect } from '../../db/index.js';
import { findProduct } from '../reference/index.js';
import { nameMatchKey } from '../text/index.js';
import type { VaccineProduct } from '../reference/index.js';
import { checkDoseSeries } from '../validate/index.js';
import type { DoseFact, FieldIssue } from '../validate/index.js';
import { allocateIds, bulkInsert } from './bulk-insert.js';
import type { BulkColumn } from './bulk-insert.js';
import type { RawRecord } from './import-row.js';
import type { ValidRecord } from './validate-record.js';

/** Where the batch comes from and who sends it. */
export interface WriterContext {
  readonly facilityId: number;
  /** The import job; null for a row resubmitted outside a job. */
  readonly importId: number | null;
  readonly actor: string;
  /** `import`, `fhir`, `seed`… (the dose's `source`). */
  readonly source: string;
}

/** A record that passed field validation. */
export interface CandidateRow {
  readonly rowNumber: number;
  /** The facility that recorded this row, when it is not `WriterContext.facilityId` (seeding). */
  readonly facilityId?: number;
  readonly raw: RawRecord;
  readonly record: ValidRecord;
  readonly warnings: readonly FieldIssue[];
}

/** A record that failed field validation: it goes to quarantine. */
export interface RejectedRow {
  readonly rowNumber: number;
  readonly facilityId?: number;
  readonly raw: RawRecord;
  readonly issues: readonly FieldIssue[];
}

/** What happened to one row. */
export type RowOutcome =
  | { readonly rowNumber: number; readonly status: 'imported'; readonly doseId: number; readonly personId: number; readonly warnings: readonly FieldIssue[] }
  | { readonly rowNumber: number; readonly status: 'duplicate'; readonly personId: number; readonly warnings: readonly FieldIssue[] }
  | { readonly rowNumber: number; readonly status: 'rejected'; readonly issues: readonly FieldIssue[]; readonly quarantineId: number | null };

const PERSON_COLUMNS: readonly BulkColumn[] = [
  { name: 'id', pgType: 'bigint' },
  { name: 'full_name_raw', pgType: 'text' },
  { name: 'full_name', pgType: 'text' },
  { name: 'name_fold', pgType: 'text' },
  { name: 'dob', pgType: 'text' },
  { name: 'sex', pgType: 'text' },
  { name: 'phone', pgType: 'text' },
  { name: 'province_code', pgType: 'text' },
  { name: 'dedup_key', pgType: 'text' },
  { name: 'created_by', pgType: 'text' },
  { name: 'import_id', pgType: 'bigint' },
];
const DOCUMENT_COLUMNS: readonly BulkColumn[] = [
  { name: 'person_id', pgType: 'bigint' },
  { name: 'kind', pgType: 'text' },
  { name: 'number', pgType: 'text' },
];
const DOSE_COLUMNS: readonly BulkColumn[] = [
  { name: 'person_id', pgType: 'bigint' },
  { name: 'facility_id', pgType: 'bigint' },
  { name: 'product_id', pgType: 'text' },
  { name: 'lot', pgType: 'text' },
  { name: 'dose_date', pgType: 'text' },
  { name: 'dose_number', pgType: 'integer' },
  { name: 'dose_kind', pgType: 'text' },
  { name: 'source', pgType: 'text' },
  { name: 'created_by', pgType: 'text' },
  { name: 'import_id', pgType: 'bigint' },
];
const QUARANTINE_COLUMNS: readonly BulkColumn[] = [
  { name: 'import_id', pgType: 'bigint' },
  { name: 'facility_id', pgType: 'bigint' },
  { name: 'row_number', pgType: 'integer' },
  { name: 'raw_json', pgType: 'text' },
  { name: 'issues_json', pgType: 'text' },
  { name: 'row_hash', pgType: 'text' },
];

/** Most values per `IN (…)` list; SQLite and PostgreSQL both take this many comfortably. */
const IN_CHUNK = 5000;

async function inChunks<T, R>(values: readonly T[], run: (chunk: T[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += IN_CHUNK) out.push(...(await run(values.slice(i, i + IN_CHUNK))));
  return out;
}

/** Stable JSON of a raw row (Dates as ISO) and its hash, for the quarantine. */
export function rawRowJson(raw: RawRecord): { json: string; hash: string } {
  const json = JSON.stringify(raw, (_k, v: unknown) => (v instanceof Date ? v.toISOString() : v));
  return { json, hash: createHash('sha256').update(json).digest('base64url') };
}

function personKey(r: ValidRecord): string {
  const p = r.person;
  return p.idNumber !== null ? `D|${p.idKind ?? ''}|${p.idNumber}` : `K|${p.dedupKey ?? ''}`;
}

interface PersonSlot {
  id: number | null; // null until allocated (a new person)
  nameKey: string;
  dob: string;
  sex: string;
  doses: DoseFact[];
  firstRow: CandidateRow;
  accepted: boolean;
}

function differs(slot: PersonSlot, row: CandidateRow): FieldIssue | null {
  const p = row.record.person;
  const fields: string[] = [];
  if (slot.nameKey !== p.nameKey) fields.push('full_name');
  if (slot.dob !== p.dob) fields.push('dob');
  if (slot.sex !== p.sex) fields.push('sex');
  if (fields.length === 0) return null;
  return {
    field: fields[0] ?? 'full_name',
    code: 'PERSON_DATA_DIFFERS',
    severity: 'warning',
    en: `ID number ${p.idNumber ?? ''} is already recorded with a different ${fields.join(', ')}; the dose was added to that person and the person's record was left unchanged (correct it through the API if needed)`,
    vi: `Số định danh ${p.idNumber ?? ''} đã được ghi nhận với ${fields.join(', ')} khác; mũi tiêm được thêm vào người đó, thông tin người đó không bị thay đổi (sửa qua API nếu cần)`,
  };
}

/**
 * Writes one batch. Never throws for bad data: each row gets its outcome.
 * @param db - the database (a transaction is opened here)
 * @param dialect - engine of `db`
 * @param ctx - facility, job, actor, source
 * @param candidates - rows that passed field validation, in file order
 * @param rejected - rows that failed it
 */
export async function writeBatch(
  db: Kysely<Database>,
  dialect: DbDialect,
  ctx: WriterContext,
  candidates: readonly CandidateRow[],
  rejected: readonly RejectedRow[],
): Promise<RowOutcome[]> {
  return db.transaction().execute(async (trx) => {
    // 1. Who already exists, by document and by dedup key.
    const slots = new Map<string, PersonSlot>();
    const numbers = [...new Set(candidates.filter((c) => c.record.person.idNumber !== null).map((c) => c.record.person.idNumber as string))];
    const dedupKeys = [...new Set(candidates.filter((c) => c.record.person.idNumber === null).map((c) => c.record.person.dedupKey as string))];
    const byDoc = await inChunks(numbers, (chunk) =>
      trx
        .selectFrom('person_document as d')
        .innerJoin('person as p', 'p.id', 'd.person_id')
        .select(['d.person_id', 'd.kind', 'd.number', 'p.full_name', 'p.dob', 'p.sex'])
        .where('d.number', 'in', chunk)
        .where('d.country', '=', 'VNM')
        .execute(),
    );
    const byKey = await inChunks(dedupKeys, (chunk) =>
      trx.selectFrom('person').select(['id', 'dedup_key', 'full_name', 'dob', 'sex']).where('dedup_key', 'in', chunk).execute(),
    );
    const existingIds: number[] = [];
    for (const r of byDoc) {
      slots.set(`D|${r.kind}|${r.number}`, { id: r.person_id, nameKey: nameMatchKey(r.full_name), dob: r.dob, sex: r.sex, doses: [], firstRow: undefined as never, accepted: true });
      existingIds.push(r.person_id);
    }
    for (const r of byKey) {
      const key = `K|${r.dedup_key ?? ''}`;
      if (slots.has(key)) continue;
      slots.set(key, { id: r.id, nameKey: nameMatchKey(r.full_name), dob: r.dob, sex: r.sex, doses: [], firstRow: undefined as never, accepted: true });
      existingIds.push(r.id);
    }
    // 2. Their active doses, for duplicates and series rules.
    const slotById = new Map<number, PersonSlot>();
    for (const s of slots.values()) if (s.id !== null) slotById.set(s.id, s);
    const existingDoses = await inChunks(existingIds, (chunk) =>
      trx
        .selectFrom('dose')
        .select(['person_id', 'product_id', 'dose_date', 'dose_number'])
        .where('person_id', 'in', chunk)
        .where('status', '=', 'active')
        .execute(),
    );
    for (const d of existingDoses) slotById.get(d.person_id)?.doses.push({ productId: d.product_id, date: d.dose_date, doseNumber: d.dose_number });

    // 3. Decide each row in file order.
    type Pending = { row: CandidateRow; slot: PersonSlot; warnings: FieldIssue[] };
    const accepted: Pending[] = [];
    const outcomes = new Map<number, RowOutcome>();
    const lateRejects: RejectedRow[] = [];
    for (const row of candidates) {
      const key = personKey(row.record);
      let slot = slots.get(key);
      const warnings = [...row.warnings];
      if (slot === undefined) {
        const p = row.record.person;
        slot = { id: null, nameKey: p.nameKey, dob: p.dob, sex: p.sex, doses: [], firstRow: row, accepted: false };
        slots.set(key, slot);
      } else {
        const diff = differs(slot, row);
        if (diff) warnings.push(diff);
      }
      const d = row.record.dose;
      const fact: DoseFact = { productId: d.productId, date: d.doseDate, doseNumber: d.doseNumber };
      const issues = checkDoseSeries(slot.doses, fact, productLookup);
      const duplicate = issues.find((i) => i.code === 'DOSE_DUPLICATE');
      if (duplicate) {
        outcomes.set(row.rowNumber, { rowNumber: row.rowNumber, status: 'duplicate', personId: slot.id ?? -1, warnings });
        continue;
      }
      if (issues.some((i) => i.severity === 'error')) {
        lateRejects.push({ rowNumber: row.rowNumber, raw: row.raw, issues: [...issues, ...warnings], ...(row.facilityId === undefined ? {} : { facilityId: row.facilityId }) });
        continue;
      }
      warnings.push(...issues);
      slot.doses.push(fact);
      slot.accepted = true;
      accepted.push({ row, slot, warnings });
    }

    // 4. New people (only those with at least one accepted dose) and their documents.
    const newSlots = [...slots.values()].filter((s) => s.id === null && s.accepted);
    const ids = await allocateIds(trx, dialect, 'person', newSlots.length);
    newSlots.forEach((s, i) => (s.id = ids[i] ?? null));
    await bulkInsert(
      trx,
      dialect,
      'person',
      PERSON_COLUMNS,
      newSlots.map((s) => {
        const p = s.firstRow.record.person;
        return [s.id, p.fullNameRaw, p.fullName, p.nameFold, p.dob, p.sex, p.phone, p.provinceCode, p.dedupKey, ctx.actor, ctx.importId];
      }),
      { overridingIdentity: true },
    );
    await bulkInsert(
      trx,
      dialect,
      'person_document',
      DOCUMENT_COLUMNS,
      newSlots.filter((s) => s.firstRow.record.person.idNumber !== null).map((s) => [s.id, s.firstRow.record.person.idKind, s.firstRow.record.person.idNumber]),
    );
    // Duplicates of a person created in this batch now know its id.
    for (const [rowNumber, o] of outcomes) {
      if (o.status === 'duplicate' && o.personId === -1) {
        const row = candidates.find((c) => c.rowNumber === rowNumber);
        const id = row ? slots.get(personKey(row.record))?.id : undefined;
        outcomes.set(rowNumber, { ...o, personId: id ?? -1 });
      }
    }

    // 5. Doses. ON CONFLICT catches a dose another writer recorded since step 2.
    const inserted = await bulkInsert<{ id: number; person_id: number; product_id: string; dose_date: string }>(
      trx,
      dialect,
      'dose',
      DOSE_COLUMNS,
      accepted.map(({ row, slot }) => {
        const d = row.record.dose;
        return [slot.id, row.facilityId ?? ctx.facilityId, d.productId, d.lot, d.doseDate, d.doseNumber, d.doseKind, ctx.source, ctx.actor, ctx.importId];
      }),
      { onConflict: "(person_id, product_id, dose_date) where status = 'active' do nothing", returning: ['id', 'person_id', 'product_id', 'dose_date'] },
    );
    const doseIds = new Map(inserted.map((r) => [`${r.person_id}|${r.product_id}|${r.dose_date}`, r.id]));
    for (const { row, slot, warnings } of accepted) {
      const personId = slot.id ?? -1;
      const doseId = doseIds.get(`${personId}|${row.record.dose.productId}|${row.record.dose.doseDate}`);
      outcomes.set(
        row.rowNumber,
        doseId === undefined
          ? { rowNumber: row.rowNumber, status: 'duplicate', personId, warnings }
          : { rowNumber: row.rowNumber, status: 'imported', doseId, personId, warnings },
      );
    }

    // 6. Quarantine every rejected row (once per facility and row content).
    const allRejected = [...rejected, ...lateRejects];
    const quarantined = await bulkInsert<{ id: number; row_hash: string }>(
      trx,
      dialect,
      'import_quarantine',
      QUARANTINE_COLUMNS,
      allRejected.map((r) => {
        const { json, hash } = rawRowJson(r.raw);
        return [ctx.importId, r.facilityId ?? ctx.facilityId, r.rowNumber, json, JSON.stringify(r.issues), hash];
      }),
      { onConflict: '(facility_id, row_hash) do nothing', returning: ['id', 'row_hash'] },
    );
    const qIds = new Map(quarantined.map((q) => [q.row_hash, q.id]));
    for (const r of allRejected) {
      outcomes.set(r.rowNumber, { rowNumber: r.rowNumber, status: 'rejected', issues: r.issues, quarantineId: qIds.get(rawRowJson(r.raw).hash) ?? null });
    }
    return [...outcomes.values()].sort((a, b) => a.rowNumber - b.rowNumber);
  });
}

const productLookup = (id: string): VaccineProduct | undefined => findProduct(id);
