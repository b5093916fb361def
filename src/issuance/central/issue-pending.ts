/**
 * What the application start-up (`npm start`) calls: the national batch over everyone eligible,
 * with the DSC from key custody; afterwards the issuance worker's change scan starts from the
 * batch's start time instead of rescanning everyone.
 */
import { availableParallelism } from 'node:os';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import type { KeyCustody } from '../../trust/pki/index.js';
import { loadDscMaterial } from './dsc-material.js';
import { issueAll } from './issue-all.js';
import type { IssueAllProgress, IssueAllSummary } from './issue-all.js';
import { writeScanWatermark } from './scan-issuance-changes.js';

/** Options of {@link issuePendingCertificates}. */
export interface IssuePendingOptions {
  readonly custody: KeyCustody;
  /** Worker threads (default: one per core). */
  readonly workers?: number;
  readonly onProgress?: (p: IssueAllProgress) => void;
  /** Recorded on the certificates (default `startup`). */
  readonly actor?: string;
  readonly signal?: AbortSignal;
}

/**
 * Issues certificates for everyone eligible who has no up-to-date one (idempotent: a second
 * start finds them `unchanged`).
 * @param db - database
 * @param o - key custody, workers, progress
 * @throws AppError PKI_NO_ACTIVE_DSC (409) without a DSC, PKI_KEY_MISSING (500)
 */
export async function issuePendingCertificates(db: Kysely<Database>, o: IssuePendingOptions): Promise<IssueAllSummary> {
  const startedAt = new Date().toISOString();
  const material = await loadDscMaterial(db, o.custody);
  const summary = await issueAll(db, {
    material,
    actor: o.actor ?? 'startup',
    workers: o.workers ?? availableParallelism(),
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
  });
  if (!summary.aborted) await writeScanWatermark(db, startedAt);
  return summary;
}
