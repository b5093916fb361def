/**
 * Writes one batch of validated records in one transaction: finds or creates each person (by
 * identity document, or by the dedup key when there is no ID number), applies the dose-series
 * rules against the person's other doses, inserts the doses (a dose already recorded counts as a
 * duplicate, never a second row) and quarantines every row that failed, with its issues. A
 * failed row already quarantined and since corrected and resubmitted counts as a duplicate (its
 * dose is recorded); one still pending is not quarantined twice.
 *
 * PostgreSQL (and a SQLite transaction passed in by a caller): about ten statements per batch
 * whatever its size (lookups, the inserts, a savepoint around the doses, one resolved-quarantine
 * lookup per facility), so a batch of thousands of rows costs a few round trips. SQLite opened by
 * `createDb`: one synchronous transaction of reused prepared statements (no round trips there;
 * see `writeBatchSqlite`). Both share the decisions (`decide`), so the rules are the same.
 */
import { createHash } from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { NOW_ISO_SQL, sqliteHandleOf } from '../../db/index.js';
import { isUniqueViolation } from '../common/index.js';
import type { Database, DbDialect } from '../../db/index.js';
import { findProduct } from '../reference/index.js';
import { nameMatchKey } from '../text/index.js';
import type { VaccineProduct } from '../reference/index.js';
import { checkDoseSeries, isDuplicateDose } from '../validate/index.js';
import type { DoseFact, FieldIssue } from '../validate/index.js';
import { allocateIds, bulkInsert } from './bulk-insert.js';
import type { BulkColumn } from './bulk-insert.js';
import type { RawRecord } from './import-row.js';
import type { PersonValues, ValidRecord } from './validate-record.js';

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

/**
 * The `created_at`/`updated_at` of new people and doses: set once per batch (one transaction)
 * to the value their column default would give, instead of the default evaluated per row
 * (`strftime` in SQLite, `to_char(now() …)` in PostgreSQL: ~3 % of the server's CPU there).
 * PostgreSQL's `now()` is the transaction's start anyway, so the values are the same.
 */
const STAMPED: readonly string[] = ['created_at', 'updated_at'];

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
  id: number | null; // null until inserted (a new person)
  nameKey: string;
  dob: string;
  sex: string;
  doses: DoseFact[];
  /** The row whose person values create the person (new people only). */
  firstRow: CandidateRow | null;
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

/** A person found by one of the lookups. */
interface FoundPerson {
  readonly id: number;
  readonly full_name: string;
  readonly dob: string;
  readonly sex: string;
}

/** The people and doses a batch must know about, from its documents and dedup keys. */
interface Lookup {
  readonly numbers: string[];
  readonly dedupKeys: string[];
}

function lookupOf(candidates: readonly CandidateRow[]): Lookup {
  const numbers = new Set<string>();
  const dedupKeys = new Set<string>();
  for (const c of candidates) {
    const p = c.record.person;
    if (p.idNumber !== null) numbers.add(p.idNumber);
    else if (p.dedupKey !== null) dedupKeys.add(p.dedupKey);
  }
  return { numbers: [...numbers], dedupKeys: [...dedupKeys] };
}

function foundSlot(r: FoundPerson): PersonSlot {
  return { id: r.id, nameKey: nameMatchKey(r.full_name), dob: r.dob, sex: r.sex, doses: [], firstRow: null, accepted: true };
}

/** Slots of the existing people: by document first, then by dedup key. */
function existingSlots(
  byDoc: readonly (FoundPerson & { kind: string; number: string })[],
  byKey: readonly (FoundPerson & { dedup_key: string | null })[],
): { slots: Map<string, PersonSlot>; byId: Map<number, PersonSlot> } {
  const slots = new Map<string, PersonSlot>();
  const byId = new Map<number, PersonSlot>();
  for (const r of byDoc) {
    const s = foundSlot(r);
    slots.set(`D|${r.kind}|${r.number}`, s);
    byId.set(r.id, s);
  }
  for (const r of byKey) {
    const key = `K|${r.dedup_key ?? ''}`;
    if (slots.has(key)) continue;
    const s = foundSlot(r);
    slots.set(key, s);
    byId.set(r.id, s);
  }
  return { slots, byId };
}

type Accepted = { readonly row: CandidateRow; readonly slot: PersonSlot; readonly warnings: readonly FieldIssue[] };
type Duplicate = { readonly row: CandidateRow; readonly slot: PersonSlot; readonly warnings: readonly FieldIssue[] };

/** What step 3 decided for the candidates. */
interface Plan {
  readonly accepted: Accepted[];
  readonly duplicates: Duplicate[];
  readonly lateRejects: RejectedRow[];
  /** New people with at least one accepted dose, to insert. */
  readonly newSlots: PersonSlot[];
}

/**
 * Decides each row in file order against the people's known doses (the dose-series rules).
 * Pure: no database access, so both engines share it.
 */
function decide(candidates: readonly CandidateRow[], slots: Map<string, PersonSlot>): Plan {
  const accepted: Accepted[] = [];
  const duplicates: Duplicate[] = [];
  const lateRejects: RejectedRow[] = [];
  const newSlots: PersonSlot[] = [];
  for (const row of candidates) {
    const key = personKey(row.record);
    let slot = slots.get(key);
    let warnings = row.warnings;
    if (slot === undefined) {
      const p = row.record.person;
      slot = { id: null, nameKey: p.nameKey, dob: p.dob, sex: p.sex, doses: [], firstRow: row, accepted: false };
      slots.set(key, slot);
    } else {
      const diff = differs(slot, row);
      if (diff) warnings = [...warnings, diff];
    }
    const d = row.record.dose;
    const fact: DoseFact = { productId: d.productId, date: d.doseDate, doseNumber: d.doseNumber };
    // The duplicate rule without building its bilingual message (a re-import spent ~0.6 s per
    // 200k rows formatting messages it then dropped).
    if (isDuplicateDose(slot.doses, fact)) {
      duplicates.push({ row, slot, warnings });
      continue;
    }
    const issues = checkDoseSeries(slot.doses, fact, productLookup);
    if (issues.some((i) => i.severity === 'error')) {
      lateRejects.push({ rowNumber: row.rowNumber, raw: row.raw, issues: [...issues, ...warnings], ...(row.facilityId === undefined ? {} : { facilityId: row.facilityId }) });
      continue;
    }
    if (issues.length > 0) warnings = [...warnings, ...issues];
    slot.doses.push(fact);
    if (!slot.accepted) {
      slot.accepted = true;
      if (slot.id === null) newSlots.push(slot);
    }
    accepted.push({ row, slot, warnings });
  }
  return { accepted, duplicates, lateRejects, newSlots };
}

/** A rejected row with its quarantine JSON and hash, computed once. */
interface QuarantineRow {
  readonly row: RejectedRow;
  readonly json: string;
  readonly hash: string;
}

function quarantineRows(rejected: readonly RejectedRow[], lateRejects: readonly RejectedRow[]): QuarantineRow[] {
  const out: QuarantineRow[] = [];
  for (const row of rejected) out.push({ row, ...rawRowJson(row.raw) });
  for (const row of lateRejects) out.push({ row, ...rawRowJson(row.raw) });
  return out;
}

/** A failed row whose quarantine entry was already corrected and resubmitted: its dose is recorded. */
interface ResolvedRow {
  readonly q: QuarantineRow;
  readonly personId: number;
}

/** A resubmitted quarantine entry as the lookup returns it. */
interface ResolvedEntry {
  readonly row_hash: string;
  readonly person_id: number | null;
}

const facilityOf = (q: QuarantineRow, ctx: WriterContext): number => q.row.facilityId ?? ctx.facilityId;

/** The quarantine rows' hashes per facility (one lookup each; a batch has one facility but seeding). */
function hashesByFacility(quarantined: readonly QuarantineRow[], ctx: WriterContext): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const q of quarantined) {
    const f = facilityOf(q, ctx);
    const list = out.get(f);
    if (list === undefined) out.set(f, [q.hash]);
    else list.push(q.hash);
  }
  return out;
}

/**
 * Splits failed rows into those a resubmission already resolved (re-importing a file whose bad
 * rows were corrected since: counted as duplicates, not reported or quarantined again) and the
 * rest, to quarantine.
 */
function splitResolved(
  quarantined: readonly QuarantineRow[],
  ctx: WriterContext,
  found: ReadonlyMap<number, readonly ResolvedEntry[]>,
): { resolved: ResolvedRow[]; rest: QuarantineRow[] } {
  const personOf = new Map<string, number>();
  for (const [f, entries] of found) for (const e of entries) personOf.set(`${String(f)}|${e.row_hash}`, e.person_id ?? -1);
  const resolved: ResolvedRow[] = [];
  const rest: QuarantineRow[] = [];
  for (const q of quarantined) {
    const personId = personOf.get(`${String(facilityOf(q, ctx))}|${q.hash}`);
    if (personId === undefined) rest.push(q);
    else resolved.push({ q, personId });
  }
  return { resolved, rest };
}

/** Every row's outcome, in row order, once ids are known. */
function outcomesOf(
  plan: Plan,
  doseIdOf: (a: Accepted, index: number) => number | undefined,
  quarantined: readonly QuarantineRow[],
  quarantineIdOf: (q: QuarantineRow, index: number) => number | null,
  resolved: readonly ResolvedRow[],
): RowOutcome[] {
  const out: RowOutcome[] = [];
  for (const { row, slot, warnings } of plan.duplicates) out.push({ rowNumber: row.rowNumber, status: 'duplicate', personId: slot.id ?? -1, warnings });
  for (const { q, personId } of resolved) out.push({ rowNumber: q.row.rowNumber, status: 'duplicate', personId, warnings: [] });
  plan.accepted.forEach((a, i) => {
    const personId = a.slot.id ?? -1;
    const doseId = doseIdOf(a, i);
    out.push(
      doseId === undefined
        ? { rowNumber: a.row.rowNumber, status: 'duplicate', personId, warnings: a.warnings }
        : { rowNumber: a.row.rowNumber, status: 'imported', doseId, personId, warnings: a.warnings },
    );
  });
  quarantined.forEach((q, i) => out.push({ rowNumber: q.row.rowNumber, status: 'rejected', issues: q.row.issues, quarantineId: quarantineIdOf(q, i) }));
  return out.sort((a, b) => a.rowNumber - b.rowNumber);
}

/**
 * Writes one batch. Never throws for bad data: each row gets its outcome.
 * @param db - the database (a transaction is opened here), or the caller's transaction, which
 *   the batch then joins, so the caller's other changes and the batch commit or roll back together
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
  if (db.isTransaction) return writeBatchKysely(db, dialect, ctx, candidates, rejected);
  const sqlite = dialect === 'sqlite' ? sqliteHandleOf(db) : undefined;
  if (sqlite !== undefined) {
    // Holding Kysely's only SQLite connection keeps every other Kysely query (and transaction)
    // of this instance out while the raw statements run.
    return db.connection().execute(() => Promise.resolve(writeBatchSqlite(sqlite, ctx, candidates, rejected)));
  }
  return db.transaction().execute((trx) => writeBatchKysely(trx, dialect, ctx, candidates, rejected));
}

/**
 * The SQLite fast path: the whole batch as one synchronous better-sqlite3 transaction of
 * prepared statements (cached per connection), one small statement per row.
 *
 * Why: the Kysely path compiled a multi-row VALUES list of up to 32,000 parameters per table and
 * batch; a profile showed ~15 % of the time in Kysely's compiler (visitNode/visitRaw/join),
 * ~6 % in preparing those statements and a large share of GC in the node trees. Reused prepared
 * statements skip all of it: `writeBatch` on 100k clean rows (one new person each) went from
 * ~35k to ~55–58k rows/s, and from ~90k to ~110–125k rows/s when every row is a duplicate
 * (5000-row batches, 2-core shared VM). What is left is SQLite itself: three inserts per new
 * person (person, document, dose) with their index updates and foreign-key checks cost ~17 µs
 * even as bare prepared statements with no JS around them (scratch measurement, same machine).
 */
function writeBatchSqlite(sqlite: BetterSqlite3.Database, ctx: WriterContext, candidates: readonly CandidateRow[], rejected: readonly RejectedRow[]): RowOutcome[] {
  const st = statementsOf(sqlite);
  const run = sqlite.transaction((): RowOutcome[] => {
    // 1. Who already exists, by document and by dedup key (one statement each: a JSON array
    // parameter read by json_each, so the statement text never changes).
    const { numbers, dedupKeys } = lookupOf(candidates);
    const byDoc = numbers.length === 0 ? [] : (st.findByDocument.all(JSON.stringify(numbers)) as (FoundPerson & { kind: string; number: string })[]);
    const byKey = dedupKeys.length === 0 ? [] : (st.findByDedupKey.all(JSON.stringify(dedupKeys)) as (FoundPerson & { dedup_key: string | null })[]);
    const { slots, byId } = existingSlots(byDoc, byKey);
    // 2. Their active doses, for duplicates and series rules.
    if (byId.size > 0) {
      for (const d of st.findDoses.all(JSON.stringify([...byId.keys()])) as { person_id: number; product_id: string; dose_date: string; dose_number: number }[]) {
        byId.get(d.person_id)?.doses.push({ productId: d.product_id, date: d.dose_date, doseNumber: d.dose_number });
      }
    }
    // 3. Decide each row in file order.
    const plan = decide(candidates, slots);
    // 4. New people (only those with at least one accepted dose) and their documents.
    const now = st.now.get() as string;
    for (const s of plan.newSlots) {
      const p = (s.firstRow as CandidateRow).record.person;
      s.id = Number(st.insertPerson.run(p.fullNameRaw, p.fullName, p.nameFold, p.dob, p.sex, p.phone, p.provinceCode, p.dedupKey, ctx.actor, ctx.importId, now, now).lastInsertRowid);
      if (p.idNumber !== null) st.insertDocument.run(s.id, p.idKind, p.idNumber);
    }
    // 5. Doses. ON CONFLICT catches a dose another writer recorded since step 2.
    const doseIds: (number | undefined)[] = [];
    for (const { row, slot } of plan.accepted) {
      const d = row.record.dose;
      const info = st.insertDose.run(slot.id, row.facilityId ?? ctx.facilityId, d.productId, d.lot, d.doseDate, d.doseNumber, d.doseKind, ctx.source, ctx.actor, ctx.importId, now, now);
      doseIds.push(info.changes === 0 ? undefined : Number(info.lastInsertRowid));
    }
    // 6. Quarantine every rejected row (once per facility and row content), except those a
    // resubmission already resolved.
    const all = quarantineRows(rejected, plan.lateRejects);
    const found = new Map<number, ResolvedEntry[]>();
    for (const [f, hashes] of hashesByFacility(all, ctx)) found.set(f, st.findResolved.all(f, JSON.stringify(hashes)) as ResolvedEntry[]);
    const { resolved, rest: quarantined } = splitResolved(all, ctx, found);
    // A row repeated within the batch gets the id its first copy was given (as RETURNING does).
    const qIds = new Map<string, number>();
    for (const q of quarantined) {
      const info = st.insertQuarantine.run(ctx.importId, facilityOf(q, ctx), q.row.rowNumber, q.json, JSON.stringify(q.row.issues), q.hash);
      if (info.changes > 0) qIds.set(`${String(facilityOf(q, ctx))}|${q.hash}`, Number(info.lastInsertRowid));
    }
    return outcomesOf(plan, (_a, i) => doseIds[i], quarantined, (q) => qIds.get(`${String(facilityOf(q, ctx))}|${q.hash}`) ?? null, resolved);
  });
  // IMMEDIATE takes the write lock up front: a deferred transaction that reads first can fail
  // with SQLITE_BUSY when another process commits between its read and its first write.
  return run.immediate();
}

/** The prepared statements of the SQLite path. */
interface SqliteStatements {
  readonly findByDocument: BetterSqlite3.Statement;
  readonly findByDedupKey: BetterSqlite3.Statement;
  readonly findDoses: BetterSqlite3.Statement;
  readonly insertPerson: BetterSqlite3.Statement;
  readonly insertDocument: BetterSqlite3.Statement;
  readonly insertDose: BetterSqlite3.Statement;
  readonly insertQuarantine: BetterSqlite3.Statement;
  readonly findResolved: BetterSqlite3.Statement;
  /** The columns' default timestamp, read once per batch (see {@link STAMPED}). */
  readonly now: BetterSqlite3.Statement;
}

/** Resubmitted quarantine entries of one facility among some row hashes, with their dose's person. */
const RESOLVED_SQL =
  "select q.row_hash, d.person_id from import_quarantine q left join dose d on d.id = q.dose_id where q.facility_id = ? and q.row_hash in ($HASHES) and q.status = 'resubmitted'";

const statementCache = new WeakMap<BetterSqlite3.Database, SqliteStatements>();

function statementsOf(sqlite: BetterSqlite3.Database): SqliteStatements {
  let st = statementCache.get(sqlite);
  if (st === undefined) {
    const insert = (table: string, columns: readonly BulkColumn[], skipId: boolean, tail = '', stamped: readonly string[] = []): BetterSqlite3.Statement => {
      const names = [...columns.map((c) => c.name).filter((n) => !(skipId && n === 'id')), ...stamped];
      return sqlite.prepare(`insert into ${table} (${names.join(', ')}) values (${names.map(() => '?').join(', ')})${tail}`);
    };
    st = {
      findByDocument: sqlite.prepare(
        "select d.person_id as id, d.kind, d.number, p.full_name, p.dob, p.sex from person_document d join person p on p.id = d.person_id where d.number in (select value from json_each(?)) and d.country = 'VNM'",
      ),
      findByDedupKey: sqlite.prepare('select id, dedup_key, full_name, dob, sex from person where dedup_key in (select value from json_each(?))'),
      findDoses: sqlite.prepare("select person_id, product_id, dose_date, dose_number from dose where person_id in (select value from json_each(?)) and status = 'active'"),
      insertPerson: insert('person', PERSON_COLUMNS, true, '', STAMPED),
      insertDocument: insert('person_document', DOCUMENT_COLUMNS, false),
      insertDose: insert('dose', DOSE_COLUMNS, false, " on conflict (person_id, product_id, dose_date) where status = 'active' do nothing", STAMPED),
      insertQuarantine: insert('import_quarantine', QUARANTINE_COLUMNS, false, ' on conflict (facility_id, row_hash) do nothing'),
      findResolved: sqlite.prepare(RESOLVED_SQL.replace('$HASHES', 'select value from json_each(?)')),
      now: sqlite.prepare(`select ${NOW_ISO_SQL.sqlite}`).pluck(),
    };
    statementCache.set(sqlite, st);
  }
  return st;
}

/** The portable path (PostgreSQL, or a SQLite transaction handed in by the caller). */
async function writeBatchKysely(
  trx: Kysely<Database>,
  dialect: DbDialect,
  ctx: WriterContext,
  candidates: readonly CandidateRow[],
  rejected: readonly RejectedRow[],
): Promise<RowOutcome[]> {
  // 1. Who already exists, by document and by dedup key.
  const { numbers, dedupKeys } = lookupOf(candidates);
  const pg = dialect === 'postgres';
  // PostgreSQL: one array parameter (`= any($1)`) instead of a 5000-placeholder IN list that
  // Kysely compiled and the server parsed on every batch. The PostgreSQL path is server-bound
  // (~64 % of the client's time idle in a profile): index and foreign-key upkeep of the inserts.
  const byDoc = await inChunks(numbers, (chunk) =>
    trx
      .selectFrom('person_document as d')
      .innerJoin('person as p', 'p.id', 'd.person_id')
      .select(['d.person_id as id', 'd.kind', 'd.number', 'p.full_name', 'p.dob', 'p.sex'])
      .where(pg ? sql<boolean>`d.number = any(${chunk}::text[])` : sql<boolean>`d.number in (${sql.join(chunk)})`)
      .where('d.country', '=', 'VNM')
      .execute(),
  );
  const byKey = await inChunks(dedupKeys, (chunk) =>
    trx
      .selectFrom('person')
      .select(['id', 'dedup_key', 'full_name', 'dob', 'sex'])
      .where(pg ? sql<boolean>`dedup_key = any(${chunk}::text[])` : sql<boolean>`dedup_key in (${sql.join(chunk)})`)
      .execute(),
  );
  const { slots, byId } = existingSlots(byDoc, byKey);
  // 2. Their active doses, for duplicates and series rules.
  const existingDoses = await inChunks([...byId.keys()], (chunk) =>
    trx
      .selectFrom('dose')
      .select(['person_id', 'product_id', 'dose_date', 'dose_number'])
      .where(pg ? sql<boolean>`person_id = any(${chunk}::bigint[])` : sql<boolean>`person_id in (${sql.join(chunk)})`)
      .where('status', '=', 'active')
      .execute(),
  );
  for (const d of existingDoses) byId.get(d.person_id)?.doses.push({ productId: d.product_id, date: d.dose_date, doseNumber: d.dose_number });

  // 3. Decide each row in file order.
  const plan = decide(candidates, slots);

  // 4. New people (only those with at least one accepted dose) and their documents.
  const { newSlots } = plan;
  const ids = await allocateIds(trx, dialect, 'person', newSlots.length);
  newSlots.forEach((s, i) => (s.id = ids[i] ?? null));
  const firstPerson = (s: PersonSlot): PersonValues => (s.firstRow as CandidateRow).record.person;
  await bulkInsert(
    trx,
    dialect,
    'person',
    PERSON_COLUMNS,
    newSlots.map((s) => {
      const p = firstPerson(s);
      return [s.id, p.fullNameRaw, p.fullName, p.nameFold, p.dob, p.sex, p.phone, p.provinceCode, p.dedupKey, ctx.actor, ctx.importId];
    }),
    { overridingIdentity: true, stamped: STAMPED },
  );
  await bulkInsert(
    trx,
    dialect,
    'person_document',
    DOCUMENT_COLUMNS,
    newSlots.filter((s) => firstPerson(s).idNumber !== null).map((s) => [s.id, firstPerson(s).idKind, firstPerson(s).idNumber]),
  );

  // 5. Doses. ON CONFLICT catches a dose another writer recorded since step 2.
  const doseRows = plan.accepted.map(({ row, slot }) => {
    const d = row.record.dose;
    return [slot.id, row.facilityId ?? ctx.facilityId, d.productId, d.lot, d.doseDate, d.doseNumber, d.doseKind, ctx.source, ctx.actor, ctx.importId];
  });
  type Inserted = { id: number; person_id: number; product_id: string; dose_date: string };
  const returning = ['id', 'person_id', 'product_id', 'dose_date'];
  const onConflict = "(person_id, product_id, dose_date) where status = 'active' do nothing";
  let inserted: Inserted[];
  if (pg && doseRows.length > 1) {
    // PostgreSQL's ON CONFLICT is a speculative insertion per row: ~25 % of the dose insert in a
    // profile (9.6 s vs 7.3 s for 197k rows). Step 2 already found the recorded doses, so a
    // conflict here means a concurrent writer: try the plain insert, and only after a unique
    // violation undo it and insert again with ON CONFLICT.
    await sql`savepoint dose_insert`.execute(trx);
    try {
      inserted = await bulkInsert<Inserted>(trx, dialect, 'dose', DOSE_COLUMNS, doseRows, { returning, stamped: STAMPED });
      await sql`release savepoint dose_insert`.execute(trx);
    } catch (e) {
      if (!isUniqueViolation(e)) throw e;
      await sql`rollback to savepoint dose_insert`.execute(trx);
      inserted = await bulkInsert<Inserted>(trx, dialect, 'dose', DOSE_COLUMNS, doseRows, { onConflict, returning, stamped: STAMPED });
    }
  } else inserted = await bulkInsert<Inserted>(trx, dialect, 'dose', DOSE_COLUMNS, doseRows, { onConflict, returning, stamped: STAMPED });
  const doseIds = new Map(inserted.map((r) => [`${r.person_id}|${r.product_id}|${r.dose_date}`, r.id]));

  // 6. Quarantine every rejected row (once per facility and row content), except those a
  // resubmission already resolved.
  const all = quarantineRows(rejected, plan.lateRejects);
  const found = new Map<number, ResolvedEntry[]>();
  for (const [f, hashes] of hashesByFacility(all, ctx)) {
    const entries = await inChunks(hashes, (chunk) =>
      trx
        .selectFrom('import_quarantine as q')
        .leftJoin('dose as d', 'd.id', 'q.dose_id')
        .select(['q.row_hash', 'd.person_id'])
        .where('q.facility_id', '=', f)
        .where(pg ? sql<boolean>`q.row_hash = any(${chunk}::text[])` : sql<boolean>`q.row_hash in (${sql.join(chunk)})`)
        .where('q.status', '=', 'resubmitted')
        .execute(),
    );
    found.set(f, entries);
  }
  const { resolved, rest: quarantined } = splitResolved(all, ctx, found);
  const qRows = await bulkInsert<{ id: number; facility_id: number; row_hash: string }>(
    trx,
    dialect,
    'import_quarantine',
    QUARANTINE_COLUMNS,
    quarantined.map((q) => [ctx.importId, facilityOf(q, ctx), q.row.rowNumber, q.json, JSON.stringify(q.row.issues), q.hash]),
    { onConflict: '(facility_id, row_hash) do nothing', returning: ['id', 'facility_id', 'row_hash'] },
  );
  const qIds = new Map(qRows.map((q) => [`${String(q.facility_id)}|${q.row_hash}`, q.id]));
  return outcomesOf(
    plan,
    (a) => doseIds.get(`${a.slot.id ?? -1}|${a.row.record.dose.productId}|${a.row.record.dose.doseDate}`),
    quarantined,
    (q) => qIds.get(`${String(facilityOf(q, ctx))}|${q.hash}`) ?? null,
    resolved,
  );
}

const productLookup = (id: string): VaccineProduct | undefined => findProduct(id);
