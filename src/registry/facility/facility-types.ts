/** Vaccination facilities and who signs their data. */

/** Facility kinds; `cdc` and `so_y_te` (provincial Department of Health) can be focal signing units. */
export const FACILITY_TYPES = ['hospital', 'health_centre', 'health_station', 'private', 'mobile', 'cdc', 'so_y_te'] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];

/** Facility types that may sign for a whole province. */
export const FOCAL_UNIT_TYPES: readonly FacilityType[] = ['so_y_te', 'cdc'];

/** How a province's vaccination data is signed. */
export const SIGNING_MODES = ['facility', 'focal_unit'] as const;
export type SigningMode = (typeof SIGNING_MODES)[number];

/** A facility as the registry shows it. */
export interface Facility {
  readonly id: number;
  readonly code: string;
  readonly name: string;
  readonly provinceCode: string;
  readonly districtCode: string | null;
  readonly type: FacilityType;
  readonly active: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** What {@link addFacility} needs. */
export interface NewFacility {
  readonly code: string;
  readonly name: string;
  readonly provinceCode: string;
  readonly districtCode?: string | null | undefined;
  /** Default `health_station`. */
  readonly type?: string | undefined;
}

/** Changeable facility fields (the code and province are identity and stay). */
export interface FacilityPatch {
  readonly name?: string | undefined;
  readonly districtCode?: string | null | undefined;
  readonly type?: string | undefined;
  readonly active?: boolean | undefined;
}

/** A province's signing configuration. */
export interface ProvinceSigning {
  readonly provinceCode: string;
  readonly mode: SigningMode;
  /** The focal unit's code when `mode` is `focal_unit`. */
  readonly focalFacilityCode: string | null;
  /** Null when never configured (the default `facility` mode). */
  readonly updatedAt: string | null;
  readonly updatedBy: string | null;
}

/** What {@link setProvinceSigning} takes. */
export interface ProvinceSigningInput {
  readonly mode: string;
  readonly focalFacilityCode?: string | null | undefined;
}
