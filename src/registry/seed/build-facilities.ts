import type { District, Province } from '../reference/index.js';
import type { SeedFacility } from './seed-types.js';

/** Commune health stations sampled per district (the reference has no commune names). */
const STATIONS_PER_DISTRICT = 4;

/** Facilities of one district, for picking where a dose was given. */
export interface DistrictFacilities {
  readonly district: District;
  readonly centre: SeedFacility;
  readonly hospital: SeedFacility;
  readonly stations: readonly SeedFacility[];
}

/** All facilities of a province plus the per-district grouping the generator picks from. */
export interface ProvinceFacilities {
  readonly all: readonly SeedFacility[];
  readonly provincialHospital: SeedFacility;
  readonly byDistrict: readonly DistrictFacilities[];
}

/** "Quận Ba Đình" → "quận Ba Đình", as it reads inside a facility name. */
function lowerFirstWord(name: string): string {
  const sp = name.indexOf(' ');
  return sp < 0 ? name : name.slice(0, sp).toLowerCase() + name.slice(sp);
}

/**
 * The facilities of a province, stable for a given reference-data version (no randomness).
 * Codes are `<province2><district3><nn>`:
 * - district `000`: `01` Sở Y tế (`so_y_te`), `02` CDC (`cdc`), `03` provincial general hospital;
 * - each district: `01` district health centre (TTYT), `02` district general hospital,
 *   `11`…`14` commune health stations (up to 4, fewer if the district has fewer communes).
 * @param province - the province
 * @param districts - its districts (districtsOf(province.code))
 */
export function buildFacilities(province: Province, districts: readonly District[]): ProvinceFacilities {
  const p = province.code;
  const all: SeedFacility[] = [];
  const add = (f: SeedFacility): SeedFacility => {
    all.push(f);
    return f;
  };
  add({ code: `${p}00001`, name: `Sở Y tế ${province.name}`, provinceCode: p, districtCode: '000', type: 'so_y_te' });
  add({ code: `${p}00002`, name: `Trung tâm Kiểm soát bệnh tật ${province.name}`, provinceCode: p, districtCode: '000', type: 'cdc' });
  const provincialHospital = add({
    code: `${p}00003`,
    name: `Bệnh viện Đa khoa ${province.name}`,
    provinceCode: p,
    districtCode: '000',
    type: 'provincial_hospital',
  });
  const byDistrict: DistrictFacilities[] = [];
  for (const d of districts) {
    const where = lowerFirstWord(d.name);
    const base = `${p}${d.code}`;
    const centre = add({ code: `${base}01`, name: `Trung tâm Y tế ${where}`, provinceCode: p, districtCode: d.code, type: 'district_health_centre' });
    const hospital = add({ code: `${base}02`, name: `Bệnh viện Đa khoa ${where}`, provinceCode: p, districtCode: d.code, type: 'district_hospital' });
    const unit = /^(Quận|Thị xã|Thành phố)/.test(d.name) ? 'phường' : 'xã';
    const stations: SeedFacility[] = [];
    const n = Math.max(1, Math.min(STATIONS_PER_DISTRICT, d.communeCount));
    for (let k = 1; k <= n; k++) {
      stations.push(
        add({ code: `${base}1${k}`, name: `Trạm Y tế ${unit} số ${k}, ${where}`, provinceCode: p, districtCode: d.code, type: 'commune_health_station' }),
      );
    }
    byDistrict.push({ district: d, centre, hospital, stations });
  }
  return { all, provincialHospital, byDistrict };
}
