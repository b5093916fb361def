/**
 * An offline copy of the revocation list for verifiers (implements hcert's `RevocationCheck`):
 * built from the API's JSON (`GET /trust/revocation`) or straight from the database, kept up to
 * date by merging deltas (`?since=<generatedAt>`). Entries are sets, so merging repeats is safe.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { AppError } from '../errors/index.js';
import type { RevocationCheck, RevocationHashType, RevocationHashes } from '../hcert/index.js';
import { REVOCATION_HASH_TYPES, listRevocations } from './revocation.js';
import type { RevocationListJson } from './revocation.js';

/** kid → hash type → base64 hash → reason. */
type Index = Map<string, Map<RevocationHashType, Map<string, string>>>;

/** Revoked certificates by kid and hash type, in memory. */
export class RevocationList implements RevocationCheck {
  private readonly index: Index = new Map();
  private size_ = 0;
  /** `generatedAt` of the newest list merged (the `since` of the next delta). */
  generatedAt: string | undefined;
  private checkedAt = 0;

  /**
   * A list from the API's JSON.
   * @param json - a full list (or a delta, merged into an empty list)
   * @throws AppError `REVOCATION_LIST_FORMAT` when the JSON does not have the published shape
   */
  static fromJson(json: unknown): RevocationList {
    return new RevocationList().applyDelta(json);
  }

  /**
   * The full list from the database.
   * @param db - database
   * @param now - clock (expired entries are left out)
   */
  static async fromDb(db: Kysely<Database>, now?: Date): Promise<RevocationList> {
    return new RevocationList().applyDelta(await listRevocations(db, now ? { now } : {}));
  }

  /**
   * Merges a list or delta.
   * @param json - the API's JSON
   * @throws AppError `REVOCATION_LIST_FORMAT` on a malformed list (nothing is merged then)
   */
  applyDelta(json: unknown): this {
    const list = checkListJson(json);
    for (const g of list.kids) {
      let byType = this.index.get(g.kid);
      if (!byType) this.index.set(g.kid, (byType = new Map<RevocationHashType, Map<string, string>>()));
      let hashes = byType.get(g.hashType);
      if (!hashes) byType.set(g.hashType, (hashes = new Map<string, string>()));
      g.hashes.forEach((h, i) => {
        if (!hashes.has(h)) this.size_++;
        hashes.set(h, g.reasons?.[i] ?? 'revoked');
      });
    }
    if (this.generatedAt === undefined || list.generatedAt > this.generatedAt) this.generatedAt = list.generatedAt;
    return this;
  }

  /**
   * Merges what the database added since the last merge (a delta by `generatedAt`).
   * @param db - database
   */
  async refreshFromDb(db: Kysely<Database>): Promise<this> {
    this.checkedAt = Date.now();
    return this.applyDelta(await listRevocations(db, this.generatedAt ? { since: new Date(this.generatedAt) } : {}));
  }

  /**
   * {@link RevocationList.refreshFromDb} at most every `maxAgeMs` (for servers, before each verification).
   * @param db - database
   * @param maxAgeMs - how stale the list may be (default 10 s)
   */
  async refreshIfStale(db: Kysely<Database>, maxAgeMs = 10_000): Promise<void> {
    if (Date.now() - this.checkedAt >= maxAgeMs) await this.refreshFromDb(db);
  }

  isRevoked(kid: Uint8Array, hashes: RevocationHashes): { reason: string } | undefined {
    const byType = this.index.get(Buffer.from(kid).toString('base64'));
    if (!byType) return undefined;
    for (const t of REVOCATION_HASH_TYPES) {
      const h = hashes[t];
      const reason = h ? byType.get(t)?.get(h.toString('base64')) : undefined;
      if (reason !== undefined) return { reason };
    }
    return undefined;
  }

  /** Number of revoked hashes held. */
  get size(): number {
    return this.size_;
  }

  /** The list as the API publishes it (full, `since: null`). */
  toJson(): RevocationListJson {
    const kids: RevocationListJson['kids'] = [];
    for (const [kid, byType] of [...this.index].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      for (const t of REVOCATION_HASH_TYPES) {
        const m = byType.get(t);
        if (m && m.size > 0) kids.push({ kid, hashType: t, hashes: [...m.keys()], reasons: [...m.values()] });
      }
    }
    return { generatedAt: this.generatedAt ?? new Date(0).toISOString(), since: null, kids };
  }
}

function checkListJson(json: unknown): RevocationListJson {
  const bad = (why: string): never => {
    throw new AppError('REVOCATION_LIST_FORMAT', `revocation list: ${why}`, 422);
  };
  if (typeof json !== 'object' || json === null) return bad('not a JSON object');
  const j = json as Record<string, unknown>;
  if (typeof j.generatedAt !== 'string' || Number.isNaN(Date.parse(j.generatedAt))) bad('"generatedAt" is not an ISO-8601 time');
  if (!Array.isArray(j.kids)) return bad('"kids" is not an array');
  j.kids.forEach((g: unknown, i) => {
    const e = g as Record<string, unknown> | null;
    if (typeof e !== 'object' || e === null) return bad(`kids[${i}] is not an object`);
    if (typeof e.kid !== 'string') bad(`kids[${i}].kid is not a string`);
    if (!(REVOCATION_HASH_TYPES as readonly unknown[]).includes(e.hashType)) bad(`kids[${i}].hashType is not one of ${REVOCATION_HASH_TYPES.join(', ')}`);
    if (!Array.isArray(e.hashes) || !e.hashes.every((h) => typeof h === 'string')) bad(`kids[${i}].hashes is not an array of base64 strings`);
    if (e.reasons !== undefined && (!Array.isArray(e.reasons) || e.reasons.length !== (e.hashes as unknown[]).length)) {
      bad(`kids[${i}].reasons must have one reason per hash`);
    }
    return undefined;
  });
  return json as RevocationListJson;
}
