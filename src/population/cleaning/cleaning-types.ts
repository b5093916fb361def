/** Shapes of the cleaning loop: the facility worklist, identity cases and citizen reports. */
import type { IdentityField, Suggestion, VerifyRecord, VerifyStatus } from '../verifier.js';
import type { PopulationVerifier } from '../verifier.js';

/** Statuses a worklist lists (everything but VERIFIED). */
export const WORKLIST_STATUSES = ['MISMATCH', 'NOT_FOUND', 'NOT_SENT'] as const;
export type WorklistStatus = (typeof WORKLIST_STATUSES)[number];

/** Why a record failed, one per field, in English and Vietnamese. */
export interface WorklistReason {
  readonly field: IdentityField;
  /** `FIELD_DIFFERS` (MISMATCH), `ID_NOT_IN_REGISTER` (NOT_FOUND), `FIELD_MISSING` (NOT_SENT). */
  readonly code: 'FIELD_DIFFERS' | 'ID_NOT_IN_REGISTER' | 'FIELD_MISSING';
  readonly en: string;
  readonly vi: string;
}

/** One person a facility has to clean. */
export interface WorklistItem {
  readonly personId: number;
  readonly personVersion: number;
  /** The registry's current values. */
  readonly fullName: string;
  readonly dob: string;
  readonly sex: 'M' | 'F';
  /** The current document's number, null when none. */
  readonly idNumber: string | null;
  readonly status: WorklistStatus;
  readonly fields: readonly IdentityField[];
  readonly reasons: readonly WorklistReason[];
  /** Corrections proposed from the register; accept one by its index. */
  readonly suggestions: readonly Suggestion[];
  /** The record exactly as sent; null for NOT_SENT. */
  readonly sent: VerifyRecord | null;
  readonly checkedAt: string;
  /** The person changed since this result (a correction): re-verification is pending. */
  readonly stale: boolean;
  /** The open police case, if escalated. */
  readonly escalation: { readonly caseId: number; readonly status: IdentityCaseStatus; readonly createdAt: string } | null;
  /** Open citizen reports about this person. */
  readonly openReports: number;
}

/** One page of a list; pass `nextCursor` back as `cursor`. */
export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor: string | null;
}

/** Options of `facilityWorklist`. */
export interface WorklistQuery {
  readonly status?: WorklistStatus | undefined;
  /** Default 50, at most {@link WORKLIST_MAX_PAGE}. */
  readonly limit?: number | undefined;
  readonly cursor?: string | undefined;
}

/** Largest page of the lists of this module. */
export const WORKLIST_MAX_PAGE = 500;

/** Re-verification after a correction. */
export interface ReverifyOptions {
  /**
   * Verifies the corrected person at once when given (the embedded default is the in-process
   * register); without it the person stays queued for the next `population verify` run.
   */
  readonly verifier?: PopulationVerifier | undefined;
}

/** The verification after a correction. */
export interface Reverification {
  /** The new status when re-verified now; null when left queued (no verifier, or it failed). */
  readonly status: VerifyStatus | null;
  readonly fields: readonly IdentityField[];
  readonly suggestions: readonly Suggestion[];
  /** Why it was left queued (no verifier, or the verifier's error message). */
  readonly queuedReason: string | null;
}

/**
 * - `needs_identity_confirmation`: escalated, waiting for the police.
 * - `confirmed_by_police`: the identity as recorded is right (the register is wrong or outdated).
 * - `corrected_by_police`: the police corrected identity fields.
 */
export const IDENTITY_CASE_STATUSES = ['needs_identity_confirmation', 'confirmed_by_police', 'corrected_by_police'] as const;
export type IdentityCaseStatus = (typeof IDENTITY_CASE_STATUSES)[number];

/** An identity case escalated to the local police. */
export interface IdentityCase {
  readonly id: number;
  readonly personId: number;
  /** Who escalated (null when an admin did). */
  readonly facilityCode: string | null;
  readonly provinceCode: string;
  readonly districtCode: string | null;
  readonly status: IdentityCaseStatus;
  readonly note: string;
  readonly personVersion: number;
  readonly resolvedVersion: number | null;
  readonly verificationStatus: string | null;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly resolvedBy: string | null;
  readonly resolvedAt: string | null;
  readonly resolutionNote: string | null;
}

/** Which cases a police token sees: a province, optionally one district of it. */
export interface PoliceArea {
  readonly provinceCode: string;
  readonly districtCode: string | null;
}

/** What a citizen may report as wrong. */
export const REPORT_FIELDS = ['full_name', 'dob', 'sex', 'id_number', 'dose', 'other'] as const;
export type ReportField = (typeof REPORT_FIELDS)[number];

/** `new` → `in_progress` → `resolved` | `rejected` (with a reason). */
export const REPORT_STATUSES = ['new', 'in_progress', 'resolved', 'rejected'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** What a citizen sends (values as typed). */
export interface NewReport {
  readonly idNumber: string;
  readonly fullName: string;
  readonly dob: string;
  readonly field: ReportField;
  /** The right value of `field` (required for identity fields). */
  readonly correctValue?: string | null | undefined;
  readonly description?: string | null | undefined;
  readonly contactPhone?: string | null | undefined;
  readonly contactEmail?: string | null | undefined;
  /** Where to route the report when the person is not in the registry (2-digit code). */
  readonly provinceCode?: string | null | undefined;
}

/** A citizen report as staff see it. */
export interface CitizenReport {
  readonly id: number;
  readonly personId: number | null;
  readonly facilityCode: string | null;
  readonly provinceCode: string;
  readonly idNumber: string;
  readonly fullName: string;
  readonly dob: string;
  readonly field: ReportField;
  readonly correctValue: string | null;
  readonly description: string | null;
  readonly contactPhone: string | null;
  readonly contactEmail: string | null;
  readonly status: ReportStatus;
  /** The rejection reason or resolution note. */
  readonly statusNote: string | null;
  readonly dueAt: string;
  /** Open past `dueAt` (as of the clock given). */
  readonly overdue: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly closedAt: string | null;
  readonly handledBy: string | null;
}

/** One step of a report's audit trail. */
export interface ReportTrailEntry {
  readonly at: string;
  readonly actor: string;
  /** `create`, `status`. */
  readonly action: string;
  readonly status: ReportStatus;
  readonly note: string | null;
}

/** Clock and SLA of report operations. */
export interface ReportOptions {
  /** The clock (tests); default now. */
  readonly now?: (() => Date) | undefined;
  /** Days to resolve a report (default {@link DEFAULT_REPORT_SLA_DAYS}). */
  readonly slaDays?: number | undefined;
}

/** Default SLA of a citizen report. */
export const DEFAULT_REPORT_SLA_DAYS = 7;

/** Identity fields a correction may change, as entered. */
export interface IdentityCorrection {
  readonly fullName?: string | undefined;
  readonly dob?: string | undefined;
  readonly sex?: string | undefined;
  readonly idNumber?: string | undefined;
}
