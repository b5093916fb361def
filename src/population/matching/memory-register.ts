import { createReadStream } from 'node:fs';
import { AppError } from '../../errors/index.js';
import { readCsvRecords } from '../../registry/import/index.js';
import { nameMatchKey } from '../../registry/text/index.js';
import type { RegisterEntry, RegisterLookup } from '../verifier.js';
import { dobText } from './dob-text.js';

/**
 * A register held in memory: a map by ID number and one by `nameKey|dob`. Used by the file
 * tool, the embedded default verifier, tests and benches.
 */
export class MemoryRegister implements RegisterLookup {
  private readonly byId = new Map<string, RegisterEntry>();
  private readonly byKey = new Map<string, RegisterEntry | RegisterEntry[]>();

  /**
   * @param entries - register entries (clean NFC names; a repeated ID keeps the first entry)
   */
  constructor(entries: Iterable<RegisterEntry> = []) {
    for (const e of entries) this.add(e);
  }

  /** Number of distinct ID numbers held. */
  get size(): number {
    return this.byId.size;
  }

  /**
   * Adds one entry; false (and nothing changes) when its ID is already held.
   * @param entry - the entry
   */
  add(entry: RegisterEntry): boolean {
    if (this.byId.has(entry.idNumber)) return false;
    this.byId.set(entry.idNumber, entry);
    const key = `${nameMatchKey(entry.fullName)}|${entry.dob}`;
    const had = this.byKey.get(key);
    // Most name+dob keys are unique: keep the entry itself and only make a list on a collision.
    if (had === undefined) this.byKey.set(key, entry);
    else if (Array.isArray(had)) had.push(entry);
    else this.byKey.set(key, [had, entry]);
    return true;
  }

  /**
   * The entry holding an ID number, synchronously.
   * @param idNumber - 9 or 12 digits
   */
  get(idNumber: string): RegisterEntry | undefined {
    return this.byId.get(idNumber);
  }

  /** {@inheritDoc RegisterLookup.byIdNumbers} */
  byIdNumbers(idNumbers: readonly string[]): Promise<RegisterEntry[]> {
    const out: RegisterEntry[] = [];
    for (const id of idNumbers) {
      const e = this.byId.get(id);
      if (e !== undefined) out.push(e);
    }
    return Promise.resolve(out);
  }

  /** {@inheritDoc RegisterLookup.byNameDob} */
  byNameDob(keys: readonly { readonly nameKey: string; readonly dob: string }[]): Promise<RegisterEntry[]> {
    const out: RegisterEntry[] = [];
    for (const k of keys) {
      const hit = this.byKey.get(`${k.nameKey}|${k.dob}`);
      if (hit === undefined) continue;
      if (Array.isArray(hit)) out.push(...hit);
      else out.push(hit);
    }
    return Promise.resolve(out);
  }
}

/** What `loadRegisterCsv` read. */
export interface RegisterLoadResult {
  readonly register: MemoryRegister;
  /** Rows indexed. */
  readonly rows: number;
  /** Rows skipped. */
  readonly rejectedCount: number;
  /** The first skipped rows (up to 1000): line number and why (bad ID, name, dob or sex, or a repeated ID). */
  readonly rejected: readonly { readonly line: number; readonly reason: string }[];
}

/** Columns of a register extract. */
export const REGISTER_COLUMNS = ['id_number', 'full_name', 'dob', 'sex'] as const;

const ID_RE = /^(?:\d{9}|\d{12})$/;
/** Rejected rows listed in the result; the count past this is still exact in `rows`. */
const MAX_REJECTS_LISTED = 1000;

/**
 * Streams a register extract (`id_number,full_name,dob,sex` with a header row, columns in any
 * order) into a MemoryRegister. Rows with an unusable value are skipped and reported:
 * the register is the reference, so it is not repaired.
 * @param path - CSV file
 * @throws AppError `POPULATION_REGISTER_HEADER` (400) when a column is missing
 */
export async function loadRegisterCsv(path: string): Promise<RegisterLoadResult> {
  const register = new MemoryRegister();
  const rejected: { line: number; reason: string }[] = [];
  let rejectedCount = 0;
  let rows = 0;
  let cols: number[] | undefined;
  const reject = (line: number, reason: string): void => {
    rejectedCount++;
    if (rejected.length < MAX_REJECTS_LISTED) rejected.push({ line, reason });
  };
  for await (const { line, cells } of readCsvRecords(createReadStream(path))) {
    if (cols === undefined) {
      const header = cells.map((c) => c.trim().toLowerCase());
      cols = REGISTER_COLUMNS.map((name) => header.indexOf(name));
      const missing = REGISTER_COLUMNS.filter((_, i) => cols?.[i] === -1);
      if (missing.length > 0) throw new AppError('POPULATION_REGISTER_HEADER', `register file lacks column(s) ${missing.join(', ')}`, 400, { path, missing });
      continue;
    }
    const [idAt = -1, nameAt = -1, dobAt = -1, sexAt = -1] = cols;
    const idNumber = (cells[idAt] ?? '').trim();
    const fullName = (cells[nameAt] ?? '').trim().normalize('NFC');
    const dob = dobText(cells[dobAt] ?? '');
    const sex = (cells[sexAt] ?? '').trim().toUpperCase();
    if (!ID_RE.test(idNumber)) reject(line, 'id_number');
    else if (fullName === '') reject(line, 'full_name');
    else if (dob === null) reject(line, 'dob');
    else if (sex !== 'M' && sex !== 'F') reject(line, 'sex');
    else if (!register.add({ idNumber, fullName, dob, sex })) reject(line, 'duplicate id_number');
    else rows++;
  }
  if (cols === undefined) throw new AppError('POPULATION_REGISTER_HEADER', 'register file is empty', 400, { path });
  return { register, rows, rejectedCount, rejected };
}
