/** Doses: one vaccination event of a person at a facility. */

/** Where a dose record came from. */
export const DOSE_SOURCES = ['form', 'api', 'import', 'fhir', 'seed'] as const;
export type DoseSource = (typeof DOSE_SOURCES)[number];

export const DOSE_STATUSES = ['active', 'voided'] as const;
export type DoseStatus = (typeof DOSE_STATUSES)[number];

/** A dose as the registry shows it. */
export interface Dose {
  readonly id: number;
  readonly personId: number;
  readonly facilityId: number;
  readonly facilityCode: string;
  /** Our product id (`astrazeneca`, `comirnaty`…; see the reference data). */
  readonly productId: string;
  readonly lot: string | null;
  /** `yyyy-mm-dd`. */
  readonly doseDate: string;
  readonly doseNumber: number;
  readonly doseKind: 'primary' | 'booster';
  readonly vaccinator: string | null;
  readonly source: DoseSource;
  readonly status: DoseStatus;
  readonly voidReason: string | null;
  readonly version: number;
  readonly createdBy: string;
  readonly importId: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What {@link recordDose} takes; values as entered (validated and normalised there). */
export interface NewDose {
  readonly personId: number;
  readonly facilityCode: string;
  /** Product name as written ("AstraZeneca", "Pfizer", "Vero Cell"), EU code or our id. */
  readonly vaccine: string;
  readonly lot?: string | null | undefined;
  /** Any date form the validators read (`yyyy-mm-dd`, `dd/mm/yyyy`…). */
  readonly doseDate: string;
  readonly doseNumber: number | string;
  readonly vaccinator?: string | null | undefined;
  readonly source: DoseSource;
}

/** Correctable dose fields (person and facility stay; void and re-record to move a dose). */
export interface DosePatch {
  readonly vaccine?: string | undefined;
  readonly lot?: string | null | undefined;
  readonly doseDate?: string | undefined;
  readonly doseNumber?: number | string | undefined;
  readonly vaccinator?: string | null | undefined;
  /** When given, the correction applies only if the dose is still at this version (else 409). */
  readonly expectedVersion?: number | undefined;
}

/** Filters and paging of {@link listFacilityDoses}. */
export interface DoseListQuery {
  /** Inclusive `yyyy-mm-dd`. */
  readonly from?: string | undefined;
  /** Inclusive `yyyy-mm-dd`. */
  readonly to?: string | undefined;
  readonly productId?: string | undefined;
  readonly status?: DoseStatus | undefined;
  readonly doseNumber?: number | undefined;
  /** 1-500, default 50. */
  readonly limit?: number | undefined;
  /** `nextCursor` of the previous page. */
  readonly cursor?: string | undefined;
}

/** One page, in (dose date, id) order. */
export interface DosePage {
  readonly items: readonly Dose[];
  /** Pass as `cursor` for the next page; null on the last page. */
  readonly nextCursor: string | null;
}
