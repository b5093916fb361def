import { AppError } from '../../errors/index.js';
import { districtsOf, findProvince, type Province } from '../reference/index.js';
import { cccdCenturySexDigit, generateCccd } from '../validate/index.js';
import { AliasTable } from './alias-table.js';
import { buildFacilities, type DistrictFacilities, type ProvinceFacilities } from './build-facilities.js';
import { dayOf, isoOf, partsOf, dayFromParts } from './day-table.js';
import { sevenDigits, sixDigits } from './digit-strings.js';
import { FIELD_OF_KIND, changeIdDigit, encodeName, pickEncoding, pickRealError, typoName, type RealErrorKind } from './inject-errors.js';
import { NamePools } from './name-pools.js';
import { DosePlanner, type DoseSink } from './plan-doses.js';
import { SerialPermutation } from './serial-permutation.js';
import { Sfc32 } from './sfc32.js';
import type { GenerateProvinceOptions, Identity, InjectedError, SeedDose, SeedPerson, SeedProvince } from './seed-types.js';

/** Shared by everyone with nothing injected (most people): one array less per person. */
const NOTHING_INJECTED: readonly InjectedError[] = Object.freeze([]);

/** Default share of vaccinated people with a real mismatch: 26.9% of doses failed in April 2022. */
export const DEFAULT_ERROR_RATE = 0.27;
/** Default share of vaccinated people whose name is written in a legacy encoding, NFD or old-style tones. */
export const DEFAULT_ENCODING_RATE = 0.06;

/** Random streams of one seed (sfc32 sub-streams), so adding draws to one never shifts another. */
const STREAM_PERSONS = 1;
const STREAM_LOTS = 2;

/** Ages are drawn as of this day; the 5-year bands are the mid-2020 ones of stats.md §4. */
const AGE_REFERENCE_DAY = dayOf('2021-07-01');
/** stats.md §4 5-year bands (millions), from 5–9 on: under-5s were never vaccinated in 2021–22. */
const AGE_BANDS = new AliasTable(
  [5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60, 65, 70, 75, 80],
  [7.86, 6.95, 6.65, 7.15, 8.24, 8.2, 8.0, 7.2, 6.37, 5.91, 5.2, 4.3, 3.04, 1.72, 1.06, 1.87],
);

/** Mobile prefixes (Viettel, VinaPhone, MobiFone, Vietnamobile) weighted by rough market share. */
const PHONE_PREFIXES = new AliasTable(
  ['086', '096', '097', '098', '032', '033', '034', '035', '036', '037', '038', '039', '088', '091', '094', '081', '082', '083', '084', '085', '089', '090', '093', '070', '076', '077', '078', '079', '092', '056', '058'],
  [5, 6, 7, 7, 3, 3, 3, 3, 3, 3, 3, 3, 3, 5, 5, 2, 2, 2, 3, 3, 3, 5, 4, 2, 1, 1, 1, 1, 1, 0.5, 0.5],
);

/** Lot-number shapes per product (synthetic; real lots look roughly like these). */
const LOT_SHAPES: Readonly<Record<string, readonly string[]>> = {
  astrazeneca: ['ABV####', 'ABW####', 'NJ0###', 'MT0###'],
  comirnaty: ['FF####', 'FG####', 'FK####', 'FL####'],
  comirnaty_paediatric: ['FN####', 'FP####'],
  spikevax: ['0000##A', '3002###A', '3003###A'],
  vero_cell: ['20210#B####', '20211#B####', '20220#B####'],
  sputnik_v: ['I-######', 'II-######'],
  janssen: ['XD###', '21C##-##'],
  hayat_vax: ['HV######'],
  abdala: ['A21####', 'A22####'],
};
const LOTS_PER_PRODUCT = 24;

function makeLots(rng: Sfc32): ReadonlyMap<string, readonly string[]> {
  const lots = new Map<string, readonly string[]>();
  for (const [id, shapes] of Object.entries(LOT_SHAPES)) {
    const pool: string[] = [];
    for (let i = 0; i < LOTS_PER_PRODUCT; i++) {
      const shape = shapes[i % shapes.length] ?? '######';
      pool.push(shape.replace(/#/g, () => String(rng.int(10))));
    }
    lots.set(id, pool);
  }
  return lots;
}

/** Puts each planned dose at a facility (mostly the home district's stations) with a lot. */
class FacilityDoseSink implements DoseSink {
  doses: SeedDose[] = [];
  home: DistrictFacilities;

  constructor(
    private readonly rng: Sfc32,
    private readonly fac: ProvinceFacilities,
    private readonly districts: AliasTable<DistrictFacilities>,
    private readonly lots: ReadonlyMap<string, readonly string[]>,
  ) {
    const first = fac.byDistrict[0];
    if (first === undefined) throw new AppError('SEED_NO_DISTRICTS', 'the province has no districts in the reference data', 500);
    this.home = first;
  }

  dose(productId: string, day: number, doseNumber: number): void {
    const rng = this.rng;
    const home = this.home;
    const r = rng.float();
    const f =
      r < 0.7
        ? home.stations[rng.int(home.stations.length)]
        : r < 0.85
          ? home.centre
          : r < 0.92
            ? home.hospital
            : r < 0.97
              ? this.fac.provincialHospital
              : this.districts.pick(rng).centre;
    const pool = this.lots.get(productId);
    this.doses.push({
      productId,
      doseDate: isoOf(day),
      doseNumber,
      facilityCode: (f ?? home.centre).code,
      lot: pool === undefined ? '' : (pool[rng.int(pool.length)] ?? ''),
    });
  }
}

function checkOptions(o: GenerateProvinceOptions): void {
  const bad = (msg: string): AppError => new AppError('SEED_BAD_OPTION', msg, 400, { option: o });
  if (!Number.isInteger(o.people) || o.people < 0) throw bad('people must be a non-negative integer');
  if (!Number.isFinite(o.seed)) throw bad('seed must be a number');
  for (const [k, v] of [
    ['errorRate', o.errorRate],
    ['encodingRate', o.encodingRate],
  ] as const) {
    if (v !== undefined && !(v >= 0 && v <= 1)) throw bad(`${k} must be between 0 and 1`);
  }
  if (o.today !== undefined && !(/^\d{4}-\d{2}-\d{2}$/.test(o.today) && Number.isFinite(dayOf(o.today)))) {
    throw bad('today must be yyyy-mm-dd');
  }
}

/**
 * A deterministic synthetic province: its facilities and a lazily generated stream of residents
 * aged ≥5 (April 2022) with their register identity, what the facility recorded (with injected
 * errors) and their 2021–2022 COVID-19 doses.
 *
 * Randomness: sfc32 (see sfc32.ts) seeded from `seed`; persons are deterministic in order, and
 * each `persons()` call replays the same sequence. IDs: every person's true ID is a 12-digit
 * personal number (CCCD) with the province's code (birth registered there), unique in the run.
 * The register always holds that CCCD; someone who still used an old CMND appears on the record
 * with the 9-digit CMND (`cmnd_instead_of_cccd`: not found by number, fixable by name + DOB).
 * Errors are injected only for people with a record (≥1 dose): with probability `errorRate` one
 * real mismatch (REAL_ERROR_MIX), and independently with `encodingRate` an encoding-only
 * re-writing of the recorded name (ENCODING_MIX). About 15% of people born before 1950 have a
 * year-only birth date (in the register and on the record).
 * @param opts - province, size, seed, rates and the last day doses may have
 */
export function generateProvince(opts: GenerateProvinceOptions): SeedProvince {
  checkOptions(opts);
  const found = findProvince(opts.provinceCode);
  if (found === undefined) {
    throw new AppError('SEED_UNKNOWN_PROVINCE', `unknown province code ${opts.provinceCode}`, 400, { provinceCode: opts.provinceCode });
  }
  const province: Province = found;
  const districts = districtsOf(province.code);
  const fac = buildFacilities(province, districts);
  const districtTable = new AliasTable<DistrictFacilities>(
    fac.byDistrict,
    fac.byDistrict.map((d) => Math.max(1, d.district.communeCount)),
  );
  const errorRate = opts.errorRate ?? DEFAULT_ERROR_RATE;
  const encodingRate = opts.encodingRate ?? DEFAULT_ENCODING_RATE;
  const endDay = dayOf(opts.today ?? '2022-12-31');
  const seed = Math.trunc(opts.seed) >>> 0;
  const lots = makeLots(new Sfc32(seed, STREAM_LOTS));
  const names = new NamePools();
  const cmndPrefixes = province.cmndPrefixes.length > 0 ? province.cmndPrefixes : [province.code];
  const people = opts.people;
  // Per home district, one address object shared by its residents (read-only in SeedPerson).
  const addresses = new Map(fac.byDistrict.map((d) => [d, { provinceCode: province.code, districtCode: d.district.code }] as const));
  // The first six CCCD digits depend only on the serial bucket (century/sex digit × 2-digit
  // year): taken once per bucket from generateCccd, so the format stays defined there.
  const cccdPrefixes: string[] = [];
  const cccdPrefix = (birthYear: number, sex: 'M' | 'F', bucket: number): string =>
    (cccdPrefixes[bucket] ??= generateCccd(province.cccdCode, birthYear, sex, 0).slice(0, 6));

  function* persons(): Generator<SeedPerson, void, undefined> {
    const rng = new Sfc32(seed, STREAM_PERSONS);
    const serials = new SerialPermutation(seed);
    const sink = new FacilityDoseSink(rng, fac, districtTable, lots);
    const planner = new DosePlanner(rng, endDay, sink);
    for (let seq = 0; seq < people; seq++) {
      // Who they are.
      const bandStart = AGE_BANDS.pick(rng);
      const ageYears = bandStart === 80 ? 80 + Math.min(25, -Math.log(1 - rng.float()) * 6) : bandStart + rng.float() * 5;
      let birthDay = AGE_REFERENCE_DAY - Math.floor(ageYears * 365.2425);
      const sex: 'M' | 'F' = rng.chance(ageYears < 60 ? 0.505 : ageYears < 75 ? 0.45 : 0.38) ? 'M' : 'F';
      const bp = partsOf(birthDay);
      const birthYear = bp.year;
      let yearOnly = birthYear < 1950 && rng.chance(0.15);

      // The real error is decided before the dates so a DOB error can have a date it applies to.
      let real: RealErrorKind | null = rng.chance(errorRate) ? pickRealError(rng) : null;
      if (real === 'cmnd_instead_of_cccd' && birthYear >= 2003) real = 'missing_id';
      if (real === 'dob_day_month_swapped' || real === 'dob_defaulted_jan1') {
        yearOnly = false;
        if (real === 'dob_day_month_swapped' && (bp.dayOfMonth > 12 || bp.dayOfMonth === bp.month)) {
          let d = 1 + rng.int(12);
          if (d === bp.month) d = d === 12 ? 1 : d + 1;
          birthDay = dayFromParts(birthYear, bp.month, d);
        } else if (real === 'dob_defaulted_jan1' && bp.month === 1 && bp.dayOfMonth === 1) {
          birthDay += 1 + rng.int(300);
        }
      }
      const fullName = names.fullName(rng, sex, birthYear);
      const csd = cccdCenturySexDigit(birthYear, sex);
      const yy = birthYear % 100;
      const idNumber = cccdPrefix(birthYear, sex, csd * 100 + yy) + sixDigits(serials.next(csd, yy));
      const dob = yearOnly ? String(birthYear) : isoOf(birthDay);
      const home = districtTable.pick(rng);
      const phone = PHONE_PREFIXES.pick(rng) + sevenDigits(rng.int(10_000_000));

      // Their doses.
      const doses: SeedDose[] = [];
      sink.doses = doses;
      sink.home = home;
      planner.plan(birthDay);

      // What the facility recorded.
      const truth: Identity = { idNumber, idKind: 'CCCD', fullName, dob, sex };
      let recorded: Identity = truth;
      let injected: readonly InjectedError[] = NOTHING_INJECTED;
      if (doses.length > 0) {
        const encoding = rng.chance(encodingRate) ? pickEncoding(rng) : null;
        if (real !== null || encoding !== null) {
          const rec: { -readonly [K in keyof Identity]: Identity[K] } = { ...truth };
          const found: InjectedError[] = [];
          if (real !== null) {
            found.push({ kind: real, field: FIELD_OF_KIND[real], realMismatch: true });
            switch (real) {
              case 'wrong_id_digit':
                rec.idNumber = changeIdDigit(rng, idNumber);
                break;
              case 'cmnd_instead_of_cccd': {
                const prefix = cmndPrefixes[rng.int(cmndPrefixes.length)] ?? province.code;
                rec.idNumber = prefix + String(rng.int(10 ** (9 - prefix.length))).padStart(9 - prefix.length, '0');
                rec.idKind = 'CMND';
                break;
              }
              case 'missing_id':
                rec.idNumber = null;
                rec.idKind = null;
                break;
              case 'name_typo':
                rec.fullName = typoName(rng, fullName);
                break;
              case 'dob_day_month_swapped': {
                const p = partsOf(birthDay);
                rec.dob = isoOf(dayFromParts(p.year, p.dayOfMonth, p.month));
                break;
              }
              case 'dob_defaulted_jan1':
                rec.dob = `${birthYear}-01-01`;
                break;
              case 'wrong_sex':
                rec.sex = sex === 'M' ? 'F' : 'M';
                break;
            }
          }
          if (encoding !== null) {
            const v = encodeName(encoding, rec.fullName);
            if (v !== null) {
              rec.fullName = v.text;
              found.push({ kind: v.kind, field: 'fullName', realMismatch: false });
            }
          }
          if (found.length > 0) {
            recorded = rec;
            injected = found;
          }
        }
      }
      yield {
        seq,
        truth,
        recorded,
        injected,
        address: addresses.get(home)!,
        phone,
        nationality: 'VNM',
        doses,
      };
    }
  }

  return { provinceCode: province.code, seed, facilities: fac.all, people, persons };
}
