/**
 * Bulk load of the reference register: entries are upserted by ID number in multi-row
 * statements (unnest on PostgreSQL), one transaction per batch, so a national-size file loads at
 * import speed and a reload of a corrected file simply replaces the entries it names.
 */
import type { Kysely } from 'kysely';
import type { Database, DbDialect } from '../../db/index.js';
import { bulkInsert } from '../../registry/import/index.js';
import { nameMatchKey } from '../../registry/text/index.js';
import type { RegisterEntry } from '../verifier.js';

/** Options of {@link loadRegister}. */
export interface LoadRegisterOptions {
  /** Where the entries come from (a file name), stored with each. */
  readonly source?: string;
  /** Delete every entry first (and the stored answers, which may no longer hold). */
  readonly replace?: boolean;
  /** Entries per statement and transaction; default 5,000. */
  readonly batchSize?: number;
  /** Told after each batch is committed. */
  readonly onProgress?: (loaded: number) => void;
}

const COLUMNS: Parameters<typeof bulkInsert>[3] = [
  { name: 'id_number', pgType: 'text' },
  { name: 'full_name', pgType: 'text' },
  { name: 'name_key', pgType: 'text' },
  { name: 'dob', pgType: 'text' },
  { name: 'sex', pgType: 'text' },
  { name: 'loaded_at', pgType: 'text' },
  { name: 'source', pgType: 'text' },
];

const UPSERT =
  '(id_number) do update set full_name = excluded.full_name, name_key = excluded.name_key, dob = excluded.dob, ' +
  'sex = excluded.sex, loaded_at = excluded.loaded_at, source = excluded.source';

/**
 * Deletes every register entry and every stored answer (they were computed from the old register).
 * @param db - the database
 */
export async function clearRegister(db: Kysely<Database>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('population_request').execute();
    await trx.deleteFrom('population_register').execute();
  });
}

/**
 * Upserts register entries by ID number (a repeated ID: the last one wins).
 * @param db - the database
 * @param dialect - its engine
 * @param rows - the entries, already checked (see `parseRegisterRow`)
 * @param options - source label, replace, batch size, progress
 * @returns how many entries were written
 */
export async function loadRegister(db: Kysely<Database>, dialect: DbDialect, rows: AsyncIterable<RegisterEntry> | Iterable<RegisterEntry>, options: LoadRegisterOptions = {}): Promise<{ loaded: number }> {
  const batchSize = Math.max(1, options.batchSize ?? 5000);
  const loadedAt = new Date().toISOString();
  const source = options.source ?? null;
  if (options.replace) await clearRegister(db);
  // Keyed by ID so a batch never names one row twice (PostgreSQL refuses that in one upsert).
  let batch = new Map<string, unknown[]>();
  let loaded = 0;
  const flush = async (): Promise<void> => {
    if (batch.size === 0) return;
    const values = [...batch.values()];
    batch = new Map();
    await db.transaction().execute((trx) => bulkInsert(trx, dialect, 'population_register', COLUMNS, values, { onConflict: UPSERT }));
    loaded += values.length;
    options.onProgress?.(loaded);
  };
  for await (const e of rows) {
    batch.set(e.idNumber, [e.idNumber, e.fullName, nameMatchKey(e.fullName), e.dob, e.sex, loadedAt, source]);
    if (batch.size >= batchSize) await flush();
  }
  await flush();
  return { loaded };
}
