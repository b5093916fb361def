/**
 * Vietnamese reference data shipped with VaxPass: the 63 provinces (2021–22), 705 districts,
 * the COVID-19 vaccines with their EU DCC codes, and name frequencies for synthetic data.
 * The JSON files are trimmed copies of `../shared/reference/vn` made by
 * `scripts/sync-reference.mjs`, which the tests re-run with `--check` so they cannot drift.
 */
import districtsJson from './data/districts.json' with { type: 'json' };
import namesJson from './data/names.json' with { type: 'json' };
import provincesJson from './data/provinces.json' with { type: 'json' };
import vaccinesJson from './data/vaccines.json' with { type: 'json' };

/** A province or centrally-run city. */
export interface Province {
  /** 2-digit GSO code, e.g. `01` (Hà Nội). Our `province_code` everywhere. */
  readonly code: string;
  /** The 3-digit code that starts a CCCD issued for someone born (registered) there. */
  readonly cccdCode: string;
  readonly name: string;
  readonly nameAscii: string;
  /** 2019 census; use as weights only (the sum is off by ~91k, see the reference README). */
  readonly population2019: number;
  /** Likely leading digits of old 9-digit CMND numbers issued there (a hint, not a rule). */
  readonly cmndPrefixes: readonly string[];
  readonly aliases: readonly string[];
}

/** A district (quận/huyện/thị xã/thành phố thuộc tỉnh) as of 2022-04-10. */
export interface District {
  readonly provinceCode: string;
  /** 3-digit GSO code, unique nationally. */
  readonly code: string;
  readonly name: string;
  readonly communeCount: number;
}

/** A COVID-19 vaccine product as recorded in Viet Nam, with its EU DCC codes. */
export interface VaccineProduct {
  /** Our stable id, e.g. `astrazeneca`, `comirnaty`, `vero_cell`. */
  readonly id: string;
  readonly name: string;
  readonly usedInVietnam: boolean;
  /** First day a dose can have been given in Viet Nam; null = never licensed (not recordable). */
  readonly availableFrom: string | null;
  /** EU DCC `mp` (medicinal product), `ma` (MAH/manufacturer), `vp` (prophylaxis); null = no code. */
  readonly mp: string | null;
  readonly ma: string | null;
  readonly vp: string | null;
  readonly primarySeriesDoses: number;
  /** Shortest interval between primary-series doses the MoH allowed; null = single dose. */
  readonly minIntervalDays: number | null;
}

/** Name weights for synthetic identities (see `names.json` in the reference folder). */
export type NameData = typeof namesJson;

export const PROVINCES: readonly Province[] = Object.freeze(provincesJson as Province[]);
export const DISTRICTS: readonly District[] = Object.freeze(districtsJson as District[]);
export const VACCINE_PRODUCTS: readonly VaccineProduct[] = Object.freeze(vaccinesJson as VaccineProduct[]);
export const NAME_DATA: NameData = namesJson;

const provincesByCode = new Map(PROVINCES.map((p) => [p.code, p]));
const provincesByCccd = new Map(PROVINCES.map((p) => [p.cccdCode, p]));
const productsById = new Map(VACCINE_PRODUCTS.map((v) => [v.id, v]));
const districtsByCode = new Map(DISTRICTS.map((d) => [d.code, d]));

/** The province with 2-digit GSO code `code` (e.g. `01`), if any. */
export function findProvince(code: string): Province | undefined {
  return provincesByCode.get(code);
}

/** The province whose 3-digit CCCD code is `cccdCode` (e.g. `001`), if any. */
export function findProvinceByCccdCode(cccdCode: string): Province | undefined {
  return provincesByCccd.get(cccdCode);
}

/** The district with 3-digit GSO code `code`, if any. */
export function findDistrict(code: string): District | undefined {
  return districtsByCode.get(code);
}

/** The districts of one province, in code order. */
export function districtsOf(provinceCode: string): readonly District[] {
  return DISTRICTS.filter((d) => d.provinceCode === provinceCode);
}

/** The vaccine product with our id `id` (e.g. `astrazeneca`), if any. */
export function findProduct(id: string): VaccineProduct | undefined {
  return productsById.get(id);
}
