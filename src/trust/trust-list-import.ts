/**
 * Importing foreign trust: CSCA lists (`importCscaList`, the anchors, table `trusted_csca`) and
 * DSC trust lists (`importTrustList`, table `trusted_dsc`). Every foreign DSC must chain to a
 * CSCA of its own country: its signature verifies with the CSCA's public key, its issuer is the
 * CSCA's subject, and their validity windows overlap. Formats: see `trust-list-import-parse.ts`.
 *
 * Batch semantics (STYLE habit 8): one result per entry, `accepted`, `duplicate` (already
 * imported: the thumbprint is unique, so re-importing is idempotent), `rejected` (with the precise
 * reason) or `skipped` (another certificate type); a bad entry never stops the batch. Each
 * accepted entry is written with its `audit_log` row in one transaction.
 */
import { X509Certificate, createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { kidOf, trustedKeyFromCertificate } from '../hcert/index.js';
import type { TrustedKey } from '../hcert/index.js';
import { parseListEntries } from './trust-list-import-parse.js';
import type { ListEntry, ListKind } from './trust-list-import-parse.js';
import { readTrustListSource } from './trust-list-import-source.js';
import type { SourceFile } from './trust-list-import-source.js';

/** Outcome of one entry. */
export type ImportStatus = 'accepted' | 'duplicate' | 'rejected' | 'skipped';

/** One entry's result. */
export interface ImportEntryResult {
  /** `file#n` (n from 1) or the file/URL for single-certificate files. */
  readonly entry: string;
  readonly status: ImportStatus;
  /** Why it was rejected or skipped. */
  readonly reason?: string;
  readonly country?: string;
  /** base64 kid of the certificate. */
  readonly kid?: string;
  /** Hex SHA-256 of the DER. */
  readonly thumbprint?: string;
  readonly subject?: string;
}

/** A whole import's results. */
export interface ImportResult {
  readonly source: string;
  readonly results: readonly ImportEntryResult[];
  readonly counts: Readonly<Record<ImportStatus, number>>;
}

/** Options of {@link importTrustList} and {@link importCscaList}. */
export interface ImportOptions {
  /** Recorded in the `source` column; defaults to the path or URL. */
  source?: string;
  /** Who imports, for `audit_log` (default `system`). */
  actor?: string;
  /** Clock for expiry checks (default now). */
  now?: Date;
  /** URL fetch timeout (default 15 s). */
  timeoutMs?: number;
}

/** A path, an http(s) URL, or bytes already read (then give `source`). */
export type ImportInput = string | Buffer;

/**
 * Imports CSCA certificates (PEM/DER, JSON bundle `{ "csca": [...] }`, or gateway entries with
 * `certificateType: 'CSCA'`). A CSCA must be a CA certificate (basicConstraints cA) and unexpired.
 * @param db - database (or transaction)
 * @param input - file, directory, URL, or bytes
 * @param options - source label, actor, clock, timeout
 * @returns per-entry results
 * @throws AppError only when the input cannot be read at all (missing file, URL failure)
 */
export async function importCscaList(db: Kysely<Database>, input: ImportInput, options: ImportOptions = {}): Promise<ImportResult> {
  const { source, entries } = await readEntries(input, 'csca', options);
  const now = options.now ?? new Date();
  const results: ImportEntryResult[] = [];
  for (const e of entries) {
    const checked = checkEntry(e, now);
    if ('result' in checked) {
      results.push(checked.result);
      continue;
    }
    const { cert, base } = checked;
    if (!cert.ca) {
      results.push(reject(base, 'not a CA certificate (basicConstraints cA is not set)'));
      continue;
    }
    const row = { country: base.country!, subject: base.subject!, thumbprint: base.thumbprint!, der: cert.raw.toString('base64'), source };
    const inserted = await db.transaction().execute(async (trx) => {
      const r = await trx.insertInto('trusted_csca').values(row).onConflict((oc) => oc.column('thumbprint').doNothing()).returning('id').executeTakeFirst();
      if (r) await audit(trx, options.actor, 'trusted_csca', r.id, { country: row.country, subject: row.subject, thumbprint: row.thumbprint, source });
      return r;
    });
    results.push({ ...base, status: inserted ? 'accepted' : 'duplicate' });
  }
  return summarise(source, results);
}

/**
 * Imports foreign DSCs from an EU gateway trust list or a plain bundle. Each must chain to a CSCA
 * of its country already in `trusted_csca` (import those first with {@link importCscaList}).
 * @param db - database (or transaction)
 * @param input - file, directory, URL, or bytes
 * @param options - source label, actor, clock, timeout
 * @returns per-entry results
 * @throws AppError only when the input cannot be read at all (missing file, URL failure)
 */
export async function importTrustList(db: Kysely<Database>, input: ImportInput, options: ImportOptions = {}): Promise<ImportResult> {
  const { source, entries } = await readEntries(input, 'dsc', options);
  const now = options.now ?? new Date();
  const cscas = new Map<string, Csca[]>();
  const results: ImportEntryResult[] = [];
  for (const e of entries) {
    const checked = checkEntry(e, now);
    if ('result' in checked) {
      results.push(checked.result);
      continue;
    }
    const { cert, base } = checked;
    const country = base.country!;
    let anchors = cscas.get(country);
    if (!anchors) {
      anchors = (await db.selectFrom('trusted_csca').select(['id', 'der']).where('country', '=', country).orderBy('id').execute()).map((r) => ({
        id: r.id,
        cert: new X509Certificate(Buffer.from(r.der, 'base64')),
      }));
      cscas.set(country, anchors);
    }
    const chain = checkChain(cert, country, anchors);
    if (typeof chain === 'string') {
      results.push(reject(base, chain));
      continue;
    }
    const row = { country, kid: base.kid!, thumbprint: base.thumbprint!, subject: base.subject!, der: cert.raw.toString('base64'), csca_id: chain.id, source };
    const inserted = await db.transaction().execute(async (trx) => {
      const r = await trx.insertInto('trusted_dsc').values(row).onConflict((oc) => oc.column('thumbprint').doNothing()).returning('id').executeTakeFirst();
      if (r) await audit(trx, options.actor, 'trusted_dsc', r.id, { country, kid: row.kid, thumbprint: row.thumbprint, subject: row.subject, cscaId: chain.id, source });
      return r;
    });
    results.push({ ...base, status: inserted ? 'accepted' : 'duplicate' });
  }
  return summarise(source, results);
}

interface Csca {
  id: number;
  cert: X509Certificate;
}

/**
 * Checks that a DSC chains to one of its country's CSCAs.
 * @param dsc - the document signer
 * @param country - its country
 * @param cscas - that country's configured CSCAs
 * @returns the CSCA it chains to, or the precise reason it does not
 */
export function checkChain(dsc: X509Certificate, country: string, cscas: readonly Csca[]): Csca | string {
  if (cscas.length === 0) return `no CSCA configured for country ${country}`;
  const signedBy = cscas.filter((c) => safeVerify(dsc, c.cert));
  if (signedBy.length === 0) {
    return `signature does not verify against any of the ${cscas.length} CSCA(s) of ${country} (issuer "${oneLine(dsc.issuer)}")`;
  }
  const named = signedBy.filter((c) => c.cert.subject === dsc.issuer);
  if (named.length === 0) {
    return `signed by the CSCA "${oneLine(signedBy[0]!.cert.subject)}" of ${country}, but its issuer "${oneLine(dsc.issuer)}" differs from that subject`;
  }
  const [nb, na] = [Date.parse(dsc.validFrom), Date.parse(dsc.validTo)];
  const within = named.find((c) => nb <= Date.parse(c.cert.validTo) && Date.parse(c.cert.validFrom) <= na);
  if (!within) {
    const c = named[0]!.cert;
    return `validity ${iso(nb)}..${iso(na)} does not overlap its CSCA's "${oneLine(c.subject)}" (${iso(Date.parse(c.validFrom))}..${iso(Date.parse(c.validTo))})`;
  }
  return within;
}

function safeVerify(dsc: X509Certificate, ca: X509Certificate): boolean {
  try {
    return dsc.verify(ca.publicKey);
  } catch {
    return false;
  }
}

/** Certificate-level checks shared by DSCs and CSCAs: parse, list claims, country, expiry. */
function checkEntry(e: ListEntry, now: Date): { result: ImportEntryResult } | { cert: X509Certificate; base: ImportEntryResult } {
  const label = { entry: e.label, ...(e.country ? { country: e.country } : {}) };
  if (e.skip) return { result: { ...label, status: 'skipped', reason: e.skip } };
  if (e.error || !e.der) return { result: reject(label, e.error ?? 'no certificate') };
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(e.der);
  } catch (err) {
    return { result: reject(label, `not a certificate: ${(err as Error).message}`) };
  }
  const thumbprint = createHash('sha256').update(cert.raw).digest('hex');
  const kid = kidOf(cert.raw).toString('base64');
  const subjectCountry = /^C=([A-Za-z]{2})$/m.exec(cert.subject)?.[1]?.toUpperCase();
  const country = e.country?.toUpperCase() ?? subjectCountry;
  const base: ImportEntryResult = { entry: e.label, status: 'accepted', kid, thumbprint, subject: oneLine(cert.subject), ...(country ? { country } : {}) };
  if (e.thumbprint !== undefined && e.thumbprint.toLowerCase().replace(/:/g, '') !== thumbprint) {
    return { result: reject(base, `thumbprint ${e.thumbprint} does not match the certificate's SHA-256 ${thumbprint}`) };
  }
  if (e.kid !== undefined && e.kid !== kid) return { result: reject(base, `kid ${e.kid} does not match the certificate's kid ${kid}`) };
  if (!country) return { result: reject(base, 'no country: neither the entry nor the certificate subject (C=) names one') };
  if (!/^[A-Z]{2}$/.test(country)) return { result: reject(base, `country "${country}" is not an ISO 3166 alpha-2 code`) };
  if (subjectCountry && subjectCountry !== country) {
    return { result: reject(base, `entry country ${country} differs from the certificate subject's C=${subjectCountry}`) };
  }
  const notAfter = Date.parse(cert.validTo);
  if (notAfter < now.getTime()) return { result: reject(base, `expired on ${iso(notAfter)}`) };
  return { cert, base };
}

async function readEntries(input: ImportInput, kind: ListKind, options: ImportOptions): Promise<{ source: string; entries: ListEntry[] }> {
  const files: SourceFile[] =
    typeof input === 'string'
      ? await readTrustListSource(input, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs })
      : [{ name: options.source ?? 'input', bytes: input }];
  const source = options.source ?? (typeof input === 'string' ? input : 'input');
  return { source, entries: files.flatMap((f) => parseListEntries(f.name, f.bytes, kind)) };
}

async function audit(db: Kysely<Database>, actor: string | undefined, entity: string, id: number, after: Record<string, unknown>): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({ actor: actor ?? 'system', action: 'import', entity, entity_id: String(id), before_json: null, after_json: JSON.stringify(after) })
    .execute();
}

function reject(base: Omit<ImportEntryResult, 'status'>, reason: string): ImportEntryResult {
  return { ...base, status: 'rejected', reason };
}

function summarise(source: string, results: ImportEntryResult[]): ImportResult {
  const counts: Record<ImportStatus, number> = { accepted: 0, duplicate: 0, rejected: 0, skipped: 0 };
  for (const r of results) counts[r.status]++;
  return { source, results, counts };
}

function oneLine(dn: string): string {
  return dn.replace(/\n/g, ', ');
}

function iso(ms: number): string {
  return Number.isNaN(ms) ? 'unknown' : new Date(ms).toISOString();
}

/** Keys read straight from files, and what could not be read. */
export interface FileTrust {
  readonly keys: TrustedKey[];
  readonly errors: { entry: string; reason: string }[];
}

/**
 * Trusted keys straight from a certificate file, a directory, or a trust-list file in any import
 * format (gateway JSON detected by its shape), WITHOUT the CSCA chain check: for `vaxpass verify
 * --trust`, where the user names what to trust. The gateway entries' kid, thumbprint and country
 * are still checked against each certificate; expired DSCs are kept (`--at` may go back in time).
 * A missing path trusts nothing.
 * @param path - file or directory
 */
export function trustedKeysFromFiles(path: string): FileTrust {
  const out: FileTrust = { keys: [], errors: [] };
  if (!existsSync(path)) return out;
  const files = statSync(path).isDirectory()
    ? readdirSync(path)
        .filter((f) => /\.(pem|crt|cer|der|json)$/i.test(f))
        .sort()
        .map((f) => join(path, f))
    : [path];
  for (const file of files) {
    for (const e of parseListEntries(file, readFileSync(file), 'dsc')) {
      if (e.skip) continue;
      const checked = checkEntry(e, new Date(0));
      if ('result' in checked) {
        // A certificate without any country is still a key the user chose to trust.
        if (checked.result.reason?.startsWith('no country') && e.der) out.keys.push(trustedKeyFromCertificate(e.der));
        else out.errors.push({ entry: e.label, reason: checked.result.reason ?? checked.result.status });
        continue;
      }
      out.keys.push(trustedKeyFromCertificate(checked.cert, { country: checked.base.country! }));
    }
  }
  return out;
}
