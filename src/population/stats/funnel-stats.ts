/**
 * The verification funnel "as the ministry reported it" (April 2022: of 154 M doses sent, 41.4 M
 * failed; 41 M could not be sent): doses and people recorded, sent, not sent (by missing field),
 * verified, mismatched (by differing field), not found, per facility, per province and nationally.
 *
 * Counting rules:
 * - Only active doses count; a dose belongs to the facility that recorded it, and a person to
 *   every facility (and province) where they have an active dose. Dose counts therefore add up
 *   across facilities and provinces; people counts do not (someone vaccinated in two provinces
 *   counts once in each and once in the nation).
 * - A person's status is their latest result (`verification_state`); a dose has its person's
 *   status. `recorded = sent + notSent + pending` and `sent = verified + mismatch + notFound`,
 *   for people and for doses. `stale` counts people whose record changed after their latest
 *   result (re-queued; still counted under that result until re-verified).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { getFacilityByCode } from '../../registry/index.js';
import { findProvince } from '../../registry/reference/index.js';
import type { IdentityField } from '../verifier.js';

/** How to split the funnel. */
export type FunnelGroupBy = 'facility' | 'province';

/** Which part of the funnel. */
export interface FunnelQuery {
  /** Doses recorded by facilities of this province. */
  readonly provinceCode?: string | undefined;
  /** Doses recorded by this facility. */
  readonly facilityCode?: string | undefined;
  /** Also give one row per facility or per province. */
  readonly groupBy?: FunnelGroupBy | undefined;
}

/** People and doses. */
export interface FunnelCounts {
  readonly people: number;
  readonly doses: number;
}

/** One line of the funnel. */
export interface FunnelRow {
  /** Facility code, province code, or null for the whole scope. */
  readonly key: string | null;
  /** Facility or province name. */
  readonly name: string | null;
  /** The province of the facility (facility rows) or the province itself. */
  readonly provinceCode: string | null;
  readonly recorded: FunnelCounts;
  /** Sent to the register and answered (VERIFIED + MISMATCH + NOT_FOUND). */
  readonly sent: FunnelCounts;
  readonly verified: FunnelCounts;
  readonly mismatch: FunnelCounts & { readonly byField: Readonly<Record<IdentityField, FunnelCounts>> };
  readonly notFound: FunnelCounts;
  /** Not sent: required data missing, by missing field (a person may miss several). */
  readonly notSent: FunnelCounts & { readonly byReason: Readonly<Record<IdentityField, FunnelCounts>> };
  /** Never verified yet. */
  readonly pending: FunnelCounts;
  /** Changed since their latest result (re-queued). */
  readonly stale: FunnelCounts;
  /** Doses failing (mismatch + not found) as a share of doses sent; null when none sent. */
  readonly failedShareOfSent: number | null;
  /** Doses verified as a share of doses recorded; null when none recorded. */
  readonly verifiedShareOfRecorded: number | null;
}

/** What {@link funnelStats} returns. */
export interface FunnelReport {
  readonly scope: { readonly provinceCode: string | null; readonly facilityCode: string | null };
  readonly groupBy: FunnelGroupBy | null;
  /** The whole scope (people counted once). */
  readonly total: FunnelRow;
  /** One row per facility or province (empty without `groupBy`), by code. */
  readonly groups: readonly FunnelRow[];
  readonly at: string;
}

const FIELDS: readonly IdentityField[] = ['id_number', 'full_name', 'dob', 'sex'];
const SENT = `s.status in ('VERIFIED', 'MISMATCH', 'NOT_FOUND')`;

/** Metric name → SQL condition on one dose row (`d`, `p`, `s`). Static text only. */
const METRICS: readonly (readonly [string, string])[] = [
  ['recorded', '1 = 1'],
  ['sent', SENT],
  ['verified', `s.status = 'VERIFIED'`],
  ['mismatch', `s.status = 'MISMATCH'`],
  ['not_found', `s.status = 'NOT_FOUND'`],
  ['not_sent', `s.status = 'NOT_SENT'`],
  ['pending', 's.person_id is null'],
  ['stale', 's.person_version < p.version'],
  ...FIELDS.map((f) => [`mismatch_${f}`, `s.status = 'MISMATCH' and (';' || s.fields || ';') like '%;${f};%'`] as const),
  ...FIELDS.map((f) => [`not_sent_${f}`, `s.status = 'NOT_SENT' and (';' || s.fields || ';') like '%;${f};%'`] as const),
];

/** Sums over one row per (group, person) with `n` = that person's doses in the group. */
function metricColumns(): RawBuilder<unknown> {
  const cols = METRICS.flatMap(([name, cond]) => [`sum(case when ${cond} then x.n else 0 end) as d_${name}`, `sum(case when ${cond} then 1 else 0 end) as p_${name}`]);
  return sql.raw(cols.join(',\n  '));
}

type Row = Readonly<Record<string, unknown>>;

function num(r: Row, col: string): number {
  const v = r[col];
  return v === null || v === undefined ? 0 : Number(v);
}

function counts(r: Row, name: string): FunnelCounts {
  return { people: num(r, `p_${name}`), doses: num(r, `d_${name}`) };
}

function byField(r: Row, prefix: string): Record<IdentityField, FunnelCounts> {
  return Object.fromEntries(FIELDS.map((f) => [f, counts(r, `${prefix}_${f}`)])) as Record<IdentityField, FunnelCounts>;
}

function toRow(r: Row, key: string | null, name: string | null, provinceCode: string | null): FunnelRow {
  const recorded = counts(r, 'recorded');
  const sent = counts(r, 'sent');
  const verified = counts(r, 'verified');
  const mismatch = counts(r, 'mismatch');
  const notFound = counts(r, 'not_found');
  return {
    key,
    name,
    provinceCode,
    recorded,
    sent,
    verified,
    mismatch: { ...mismatch, byField: byField(r, 'mismatch') },
    notFound,
    notSent: { ...counts(r, 'not_sent'), byReason: byField(r, 'not_sent') },
    pending: counts(r, 'pending'),
    stale: counts(r, 'stale'),
    failedShareOfSent: sent.doses === 0 ? null : (mismatch.doses + notFound.doses) / sent.doses,
    verifiedShareOfRecorded: recorded.doses === 0 ? null : verified.doses / recorded.doses,
  };
}

/**
 * The verification funnel of a scope (the nation, a province, a facility), optionally split by
 * facility or province.
 * @param db - database
 * @param query - scope and grouping
 * @throws AppError FACILITY_NOT_FOUND / PROVINCE_NOT_FOUND (404)
 */
export async function funnelStats(db: Kysely<Database>, query: FunnelQuery = {}): Promise<FunnelReport> {
  const provinceCode = query.provinceCode ?? null;
  if (provinceCode !== null && findProvince(provinceCode) === undefined) throw new AppError('PROVINCE_NOT_FOUND', `no province with code ${provinceCode}`, 404, { provinceCode });
  const facility = query.facilityCode === undefined ? null : await getFacilityByCode(db, query.facilityCode);
  const filters: RawBuilder<unknown>[] = [sql`d.status = 'active'`];
  if (provinceCode !== null) filters.push(sql`f.province_code = ${provinceCode}`);
  if (facility !== null) filters.push(sql`d.facility_id = ${facility.id}`);
  const where = sql.join(filters, sql` and `);
  // Per person first (a person's status holds for all their doses), then plain sums: one
  // grouping pass instead of a DISTINCT count per column.
  const funnel = (group: RawBuilder<unknown> | null) => {
    const inner = group === null
      ? sql`select d.person_id, count(*) as n from dose d join facility f on f.id = d.facility_id where ${where} group by d.person_id`
      : sql`select ${group} as g, d.person_id, count(*) as n from dose d join facility f on f.id = d.facility_id where ${where} group by ${group}, d.person_id`;
    const from = sql`from (${inner}) x join person p on p.id = x.person_id left join verification_state s on s.person_id = x.person_id`;
    return group === null ? sql<Row>`select ${metricColumns()} ${from}` : sql<Row>`select x.g, ${metricColumns()} ${from} group by x.g order by x.g`;
  };

  const totalRows = await funnel(null).execute(db);
  const scopeName = facility?.name ?? (provinceCode !== null ? (findProvince(provinceCode)?.name ?? null) : null);
  const total = toRow(totalRows.rows[0] ?? {}, facility?.code ?? provinceCode, scopeName, facility?.provinceCode ?? provinceCode);

  let groups: FunnelRow[] = [];
  if (query.groupBy === 'facility') {
    const r = await funnel(sql`d.facility_id`).execute(db);
    const ids = r.rows.map((x) => Number(x.g));
    const facilities = ids.length === 0 ? [] : await db.selectFrom('facility').select(['id', 'code', 'name', 'province_code']).where('id', 'in', ids).execute();
    const byId = new Map(facilities.map((f) => [f.id, f]));
    groups = r.rows
      .map((x) => {
        const f = byId.get(Number(x.g));
        return toRow(x, f?.code ?? String(x.g), f?.name ?? null, f?.province_code ?? null);
      })
      .sort((a, b) => ((a.key ?? '') < (b.key ?? '') ? -1 : 1));
  } else if (query.groupBy === 'province') {
    const r = await funnel(sql`f.province_code`).execute(db);
    groups = r.rows.map((x) => {
      const code = String(x.g);
      return toRow(x, code, findProvince(code)?.name ?? null, code);
    });
  }
  return { scope: { provinceCode, facilityCode: facility?.code ?? null }, groupBy: query.groupBy ?? null, total, groups, at: new Date().toISOString() };
}
