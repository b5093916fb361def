/**
 * {@link RegisterLookup} over the `population_register` table: the reference service's register.
 * Lookups are batched (one `IN` per chunk of keys), so a 1,000-record request costs a handful of
 * queries, not a thousand round trips.
 */
import { sql, type Kysely } from 'kysely';
import { dialectOf, type Database, type DbDialect } from '../../db/index.js';
import type { RegisterEntry, RegisterLookup } from '../verifier.js';

/**
 * Keys per query. The matcher asks for every one-digit neighbour of the IDs it could not verify
 * (about 120 per record), so ID lookups come in the tens of thousands: PostgreSQL takes them as
 * one array parameter, SQLite as an IN list under its 32k parameter limit.
 */
const ID_CHUNK = { postgres: 20_000, sqlite: 10_000 } as const;
/** Name + dob pairs per query (two parameters each). */
const PAIR_CHUNK = 2_000;

interface Row {
  id_number: string;
  full_name: string;
  dob: string;
  sex: string;
}

function toEntry(r: Row): RegisterEntry {
  return { idNumber: r.id_number, fullName: r.full_name, dob: r.dob, sex: r.sex === 'F' ? 'F' : 'M' };
}

/** The register held in the database (see `loadRegister`). */
export class DbRegister implements RegisterLookup {
  private readonly dialect: DbDialect;

  /**
   * @param db - the database holding `population_register`
   */
  constructor(private readonly db: Kysely<Database>) {
    this.dialect = dialectOf(db);
  }

  /**
   * Entries whose ID number is one of `idNumbers` (unknown ones are absent; duplicates asked once).
   * @param idNumbers - ID numbers
   */
  async byIdNumbers(idNumbers: readonly string[]): Promise<RegisterEntry[]> {
    const unique = [...new Set(idNumbers)];
    const out: RegisterEntry[] = [];
    const chunk = ID_CHUNK[this.dialect];
    for (let i = 0; i < unique.length; i += chunk) {
      const part = unique.slice(i, i + chunk);
      const query = this.db.selectFrom('population_register').select(['id_number', 'full_name', 'dob', 'sex']);
      const rows =
        this.dialect === 'postgres'
          ? await query.where(sql<boolean>`id_number = any(${part}::text[])`).execute()
          : await query.where('id_number', 'in', part).execute();
      for (const r of rows) out.push(toEntry(r));
    }
    return out;
  }

  /**
   * Entries whose name key and dob equal one of `keys`.
   * @param keys - `nameMatchKey(fullName)` and dob pairs
   */
  async byNameDob(keys: readonly { readonly nameKey: string; readonly dob: string }[]): Promise<RegisterEntry[]> {
    const seen = new Set<string>();
    const unique: { nameKey: string; dob: string }[] = [];
    for (const k of keys) {
      const id = `${k.nameKey}\u0000${k.dob}`;
      if (seen.has(id)) continue;
      seen.add(id);
      unique.push(k);
    }
    const out: RegisterEntry[] = [];
    for (let i = 0; i < unique.length; i += PAIR_CHUNK) {
      const pairs = sql.join(unique.slice(i, i + PAIR_CHUNK).map((k) => sql`(${k.nameKey}, ${k.dob})`));
      // Row-value IN over a VALUES list: the one spelling both engines accept, and it uses the
      // (name_key, dob) index on both.
      const rows = await sql<Row>`select id_number, full_name, dob, sex from population_register where (name_key, dob) in (values ${pairs})`.execute(this.db);
      for (const r of rows.rows) out.push(toEntry(r));
    }
    return out;
  }
}
