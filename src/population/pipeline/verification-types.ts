/** Shapes of the verification pipeline: what a run takes and reports, what is stored per person. */
import type { IdentityField, Suggestion, VerifyRecord, VerifyStatus } from '../verifier.js';

/** Which people a run covers; both given = people in both. None = everyone in the registry. */
export interface VerificationScope {
  /**
   * People with an active dose recorded by this facility (its code).
   */
  readonly facilityCode?: string | undefined;
  /**
   * People living in this province (`person.province_code`) or with an active dose recorded by
   * one of its facilities (2-digit code).
   */
  readonly provinceCode?: string | undefined;
}

/** Progress of a run, after each batch. */
export interface VerificationProgress {
  /** People queued in the scope when the run started (its work). */
  readonly total: number;
  /** People whose result this run has stored. */
  readonly done: number;
  readonly summary: VerificationSummary;
}

/** Options of `runVerification`. */
export interface RunVerificationOptions extends VerificationScope {
  /** People per claim and per call to the verifier (default 500, at most 5000). */
  readonly batchSize?: number | undefined;
  /** Batches in flight at once in this process (default 1); useful against a remote service. */
  readonly concurrency?: number | undefined;
  /** Stop after storing this many results (the rest stays queued); default no limit. */
  readonly maxPeople?: number | undefined;
  /**
   * This worker's name on its claims (default `<host>:<pid>:<random>`). A run started with the
   * same name takes back the claims a crashed earlier run left at once instead of after the lease.
   */
  readonly workerId?: string | undefined;
  /** How long a claim holds before another worker may take the batch over (default 300 s). */
  readonly leaseSeconds?: number | undefined;
  readonly onProgress?: ((p: VerificationProgress) => void) | undefined;
  /** Aborting stops cleanly after releasing the batch in flight (it stays queued). */
  readonly signal?: AbortSignal | undefined;
}

/** Why a run ended before its queue was empty. */
export type StopReason = 'unavailable' | 'aborted' | 'limit';

/** What a run did. Every stored result counts in exactly one of verified, mismatch, notFound, notSent. */
export interface VerificationSummary {
  readonly runId: string;
  /** People newly queued by this run (never verified, or changed since). */
  readonly queued: number;
  /** People sent to the register (records transmitted whose result was stored). */
  readonly sent: number;
  readonly verified: number;
  readonly mismatch: number;
  readonly notFound: number;
  /** Required data missing (decided before sending; nothing was sent). */
  readonly notSent: number;
  /** People of the batch that failed because the population service was unavailable (left queued). */
  readonly unavailable: number;
  /** People still queued in the scope when the run ended. */
  readonly remaining: number;
  /** Results another worker stored first (lease expired): not counted again. */
  readonly skipped: number;
  readonly stopped: StopReason | null;
  /** The error message when stopped by an unavailable service. */
  readonly error: string | null;
  readonly seconds: number;
}

/** The latest verification of a person. */
export interface VerificationState {
  readonly personId: number;
  /** The person's version the result is for. */
  readonly personVersion: number;
  readonly status: VerifyStatus;
  /** MISMATCH: the differing fields; NOT_SENT: the missing ones. */
  readonly fields: readonly IdentityField[];
  readonly suggestions: readonly Suggestion[];
  /** What was sent; null for NOT_SENT. */
  readonly sent: VerifyRecord | null;
  readonly checkedAt: string;
  readonly attempts: number;
  readonly runId: string;
}

/** One stored result (history). */
export interface VerificationHistoryEntry {
  readonly id: number;
  readonly personVersion: number;
  readonly status: VerifyStatus;
  readonly fields: readonly IdentityField[];
  readonly suggestions: readonly Suggestion[];
  readonly sent: VerifyRecord | null;
  readonly enqueuedAt: string;
  readonly at: string;
  readonly runId: string;
}

/** A person's verification as `currentVerification` reports it. */
export interface PersonVerification {
  readonly personId: number;
  /** The person's current version. */
  readonly personVersion: number;
  /** Latest result, null when never verified. */
  readonly state: VerificationState | null;
  /** True when the state is missing or older than the person (a correction since). */
  readonly stale: boolean;
  /** True when the person is in the work queue. */
  readonly queued: boolean;
}
