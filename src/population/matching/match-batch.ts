import { nameMatchKey } from '../../registry/text/index.js';
import type { RegisterEntry, RegisterLookup, VerifyRecord, VerifyResult } from '../verifier.js';
import { candidateQueries, checkRecord, resolveRecord } from './match-record.js';
import type { NameDobKey } from './match-record.js';

const NO_KEYS: readonly NameDobKey[] = [];

/**
 * Matches a batch of records against a register with at most two round trips whatever the
 * batch size: `byIdNumbers` for the records' IDs, then (only if some record needs suggestions)
 * one `byNameDob` for the name + dob keys of all of them.
 * @param records - records to verify
 * @param lookup - the register
 * @returns one result per record, in order
 */
export async function matchBatch(records: readonly VerifyRecord[], lookup: RegisterLookup): Promise<VerifyResult[]> {
  const checked = records.map(checkRecord);
  const ids: string[] = [];
  for (const c of checked) if (c.missing.length === 0 && c.idNumber !== null) ids.push(c.idNumber);
  const found = new Map<string, RegisterEntry>();
  if (ids.length > 0) for (const e of await lookup.byIdNumbers(ids)) if (!found.has(e.idNumber)) found.set(e.idNumber, e);

  const queries: (readonly NameDobKey[])[] = new Array<readonly NameDobKey[]>(checked.length);
  const wanted = new Map<string, NameDobKey>();
  for (let i = 0; i < checked.length; i++) {
    const c = checked[i];
    const q = c === undefined ? NO_KEYS : candidateQueries(c, c.idNumber === null ? undefined : found.get(c.idNumber));
    queries[i] = q;
    for (const k of q) wanted.set(`${k.nameKey}|${k.dob}`, k);
  }

  // Grouped by `nameKey|dob` so each record picks up what its own keys found.
  const byKey = new Map<string, RegisterEntry[]>();
  if (wanted.size > 0) {
    for (const e of await lookup.byNameDob([...wanted.values()])) {
      const k = `${nameMatchKey(e.fullName)}|${e.dob}`;
      const list = byKey.get(k);
      if (list === undefined) byKey.set(k, [e]);
      else list.push(e);
    }
  }

  return checked.map((c, i) => {
    const entry = c.idNumber === null ? undefined : found.get(c.idNumber);
    const q = queries[i] ?? NO_KEYS;
    if (q.length === 0) return resolveRecord(c, entry);
    const candidates: RegisterEntry[] = [];
    for (const k of q) {
      const list = byKey.get(`${k.nameKey}|${k.dob}`);
      if (list !== undefined) candidates.push(...list);
    }
    return resolveRecord(c, entry, candidates);
  });
}
