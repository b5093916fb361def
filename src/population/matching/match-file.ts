/**
 * The file tool behind `vaxpass population match`: streams a records CSV through `matchBatch`
 * against a register CSV held in memory and writes one result row per record.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { AppError } from '../../errors/index.js';
import { csvCell, readCsvRecords } from '../../registry/import/index.js';
import { parseSex } from '../../registry/validate/index.js';
import type { IdentityField, SuggestionReason, VerifyRecord, VerifyResult, VerifyStatus } from '../verifier.js';
import { matchBatch } from './match-batch.js';
import { loadRegisterCsv } from './memory-register.js';

/** Columns of the records file. */
export const RECORD_COLUMNS = ['record_id', 'id_number', 'full_name', 'dob', 'sex'] as const;
/** Columns of the result file. */
export const RESULT_COLUMNS = ['record_id', 'status', 'fields', 'suggestion'] as const;

const FIELD_ORDER: readonly IdentityField[] = ['id_number', 'full_name', 'dob', 'sex'];

/** Options of {@link matchCsvFile}. */
export interface MatchFileOptions {
  /** `id_number,full_name,dob,sex` CSV. */
  readonly registerPath: string;
  /** `record_id,id_number,full_name,dob,sex` CSV. */
  readonly recordsPath: string;
  /** Result CSV (overwritten). */
  readonly outPath: string;
  /** Records per `matchBatch` call; default 2000. */
  readonly batchSize?: number;
}

/** Counts of a run. */
export interface MatchFileSummary {
  readonly registerRows: number;
  /** Register rows skipped as unusable (see `loadRegisterCsv`). */
  readonly registerRejected: number;
  readonly records: number;
  readonly byStatus: Record<VerifyStatus, number>;
  /** MISMATCH records per differing field. */
  readonly mismatchedFields: Record<IdentityField, number>;
  /** NOT_SENT records per missing/unusable field. */
  readonly missingFields: Record<IdentityField, number>;
  /** Records whose first suggestion has this reason. */
  readonly firstSuggestionReasons: Partial<Record<SuggestionReason, number>>;
  /** Wall time of the whole run and of the matching alone (register loaded). */
  readonly seconds: number;
  readonly recordsPerSecond: number;
}

const fieldCounts = (): Record<IdentityField, number> => ({ id_number: 0, full_name: 0, dob: 0, sex: 0 });


/**
 * The `suggestion` cell: `field=value;…` of the first suggestion, empty when there is none.
 * @param r - a result
 */
export function suggestionCell(r: VerifyResult): string {
  const s = r.suggestions[0];
  if (s === undefined) return '';
  const parts: string[] = [];
  for (const f of FIELD_ORDER) {
    const v = s.values[f];
    if (v !== undefined) parts.push(`${f}=${v}`);
  }
  return parts.join(';');
}

/**
 * One result row (with its line end).
 * @param r - a result
 */
export function resultRow(r: VerifyResult): string {
  return `${csvCell(r.recordId)},${r.status},${r.fields.join(';')},${csvCell(suggestionCell(r))}\n`;
}

function cellOrNull(s: string | undefined): string | null {
  if (s === undefined) return null;
  const t = s.trim();
  return t === '' ? null : t;
}

/**
 * Matches a records file against a register file. Every record gets a row, in input order: a
 * row with unusable data is NOT_SENT on the field (e.g. a dob that is not `yyyy[-mm[-dd]]`).
 * Sex is read leniently (`M`/`F`, `Nam`/`Nữ`, …); memory is the register index plus one batch.
 * @param opts - paths and batch size
 * @throws AppError `POPULATION_RECORDS_HEADER` / `POPULATION_REGISTER_HEADER` (400) for a missing column
 */
export async function matchCsvFile(opts: MatchFileOptions): Promise<MatchFileSummary> {
  const t0 = performance.now();
  const batchSize = opts.batchSize ?? 2000;
  const loaded = await loadRegisterCsv(opts.registerPath);
  const t1 = performance.now();
  const byStatus: Record<VerifyStatus, number> = { VERIFIED: 0, MISMATCH: 0, NOT_FOUND: 0, NOT_SENT: 0 };
  const mismatchedFields = fieldCounts();
  const missingFields = fieldCounts();
  const firstSuggestionReasons: Partial<Record<SuggestionReason, number>> = {};
  let records = 0;

  const out = createWriteStream(opts.outPath);
  const closed = new Promise<void>((resolve, reject) => {
    out.on('error', reject);
    out.on('close', resolve);
  });
  closed.catch(() => undefined); // awaited below; this only stops an early write error counting as unhandled
  const write = async (text: string): Promise<void> => {
    if (!out.write(text)) await Promise.race([once(out, 'drain'), closed]);
  };
  const flush = async (batch: VerifyRecord[]): Promise<void> => {
    const results = await matchBatch(batch, loaded.register);
    let text = '';
    for (const r of results) {
      byStatus[r.status]++;
      const counts = r.status === 'MISMATCH' ? mismatchedFields : r.status === 'NOT_SENT' ? missingFields : undefined;
      if (counts !== undefined) for (const f of r.fields) counts[f]++;
      const first = r.suggestions[0];
      if (first !== undefined) firstSuggestionReasons[first.reason] = (firstSuggestionReasons[first.reason] ?? 0) + 1;
      text += resultRow(r);
    }
    records += results.length;
    await write(text);
  };

  try {
    await write(`${RESULT_COLUMNS.join(',')}\n`);
    let cols: number[] | undefined;
    let batch: VerifyRecord[] = [];
    for await (const { cells } of readCsvRecords(createReadStream(opts.recordsPath))) {
      if (cols === undefined) {
        const header = cells.map((c) => c.trim().toLowerCase());
        cols = RECORD_COLUMNS.map((name) => header.indexOf(name));
        const missing = RECORD_COLUMNS.filter((_, i) => cols?.[i] === -1);
        if (missing.length > 0) {
          throw new AppError('POPULATION_RECORDS_HEADER', `records file lacks column(s) ${missing.join(', ')}`, 400, { path: opts.recordsPath, missing });
        }
        continue;
      }
      const [idAt = -1, idNumberAt = -1, nameAt = -1, dobAt = -1, sexAt = -1] = cols;
      const sexCell = cells[sexAt];
      const sex = sexCell === undefined ? null : parseSex(sexCell.trim());
      const fullName = cells[nameAt];
      batch.push({
        recordId: (cells[idAt] ?? '').trim(),
        idNumber: cellOrNull(cells[idNumberAt]),
        fullName: fullName === undefined || fullName.trim() === '' ? null : fullName,
        dob: cellOrNull(cells[dobAt]),
        sex: sex?.ok === true ? sex.value : null,
      });
      if (batch.length >= batchSize) {
        await flush(batch);
        batch = [];
      }
    }
    if (cols === undefined) throw new AppError('POPULATION_RECORDS_HEADER', 'records file is empty', 400, { path: opts.recordsPath });
    if (batch.length > 0) await flush(batch);
  } finally {
    out.end();
    await closed;
  }
  const t2 = performance.now();
  return {
    registerRows: loaded.rows,
    registerRejected: loaded.rejectedCount,
    records,
    byStatus,
    mismatchedFields,
    missingFields,
    firstSuggestionReasons,
    seconds: (t2 - t0) / 1000,
    recordsPerSecond: records / Math.max((t2 - t1) / 1000, 1e-9),
  };
}
