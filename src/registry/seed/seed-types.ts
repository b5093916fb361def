/** Shapes produced by the synthetic-data generator (`vaxpass seed`). */

/** The kinds of health facility a seed province gets. `cdc` and `so_y_te` are the focal units. */
export type SeedFacilityType =
  | 'so_y_te'
  | 'cdc'
  | 'provincial_hospital'
  | 'district_hospital'
  | 'district_health_centre'
  | 'commune_health_station';

/** A vaccination facility or focal unit. `code` = `<province2><district3><nn>` (district `000` for province level). */
export interface SeedFacility {
  readonly code: string;
  readonly name: string;
  readonly provinceCode: string;
  /** GSO district code; `000` for province-level units. */
  readonly districtCode: string;
  readonly type: SeedFacilityType;
}

/** Who a person is, either in the police register (truth) or on a facility's record. */
export interface Identity {
  readonly idNumber: string | null;
  readonly idKind: 'CCCD' | 'CMND' | null;
  /** NFC in the truth; the record may carry legacy-encoded, NFD or misspelt text. */
  readonly fullName: string;
  /** `yyyy-mm-dd`, or `yyyy` for some old records. */
  readonly dob: string;
  readonly sex: 'M' | 'F';
}

/** The Identity field an injected error touches. */
export type IdentityField = 'idNumber' | 'fullName' | 'dob' | 'sex';

/**
 * Injected error kinds. Real mismatches (a verifier must flag them on `field`):
 * `wrong_id_digit`, `cmnd_instead_of_cccd`, `missing_id`, `name_typo`, `dob_day_month_swapped`,
 * `dob_defaulted_jan1`, `wrong_sex`. Encoding-only variants (must verify after normalisation):
 * `name_tcvn3`, `name_vni`, `name_mojibake`, `name_old_style_tones`, `name_nfd`.
 */
export type InjectedErrorKind =
  | 'wrong_id_digit'
  | 'cmnd_instead_of_cccd'
  | 'missing_id'
  | 'name_typo'
  | 'dob_day_month_swapped'
  | 'dob_defaulted_jan1'
  | 'wrong_sex'
  | 'name_tcvn3'
  | 'name_vni'
  | 'name_mojibake'
  | 'name_old_style_tones'
  | 'name_nfd';

/** One difference between `recorded` and `truth`. */
export interface InjectedError {
  readonly kind: InjectedErrorKind;
  readonly field: IdentityField;
  /** false for encoding-only variants: the record names the same person. */
  readonly realMismatch: boolean;
}

/** One dose as the facility recorded it. */
export interface SeedDose {
  /** Id from VACCINE_PRODUCTS, e.g. `astrazeneca`. */
  readonly productId: string;
  /** `yyyy-mm-dd`. */
  readonly doseDate: string;
  /** 1-based, counting boosters (Abdala's booster is dose 4). */
  readonly doseNumber: number;
  readonly facilityCode: string;
  readonly lot: string;
}

/** One synthetic resident (aged ≥5 in April 2022) of the province. */
export interface SeedPerson {
  /** 0-based position in the run. */
  readonly seq: number;
  readonly truth: Identity;
  /** The same object as `truth` when nothing was injected. */
  readonly recorded: Identity;
  readonly injected: readonly InjectedError[];
  /** `wardCode` is never set: the bundled reference data has no communes. */
  readonly address: { readonly provinceCode: string; readonly districtCode: string; readonly wardCode?: string };
  readonly phone: string;
  readonly nationality: 'VNM';
  /** Empty for the unvaccinated (they are in the register, not in the records). */
  readonly doses: readonly SeedDose[];
}

/** Options of `generateProvince`. */
export interface GenerateProvinceOptions {
  /** 2-digit GSO province code, e.g. `01`. */
  readonly provinceCode: string;
  readonly people: number;
  readonly seed: number;
  /** Share (0..1) of vaccinated people whose record has a real mismatch; default 0.27 (April 2022). */
  readonly errorRate?: number;
  /** Share (0..1) of vaccinated people whose recorded name is re-encoded (not an error); default 0.06. */
  readonly encodingRate?: number;
  /** No dose after this day (`yyyy-mm-dd`); default `2022-12-31`. */
  readonly today?: string;
}

/** What `generateProvince` returns. `persons()` restarts the same deterministic sequence on each call. */
export interface SeedProvince {
  readonly provinceCode: string;
  /** The seed it was made with (the file writers derive their own random streams from it). */
  readonly seed: number;
  readonly facilities: readonly SeedFacility[];
  readonly people: number;
  persons(): Iterable<SeedPerson>;
}
