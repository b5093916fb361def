import { NAME_DATA } from '../reference/index.js';
import { AliasTable } from './alias-table.js';
import type { Sfc32 } from './sfc32.js';

/** Birth cohorts NAME_DATA distinguishes for middle names. */
export type NameCohort = 'born_before_1975' | 'born_1975_1999' | 'born_2000_2022';

type Sex = 'M' | 'F';

/** Numeric entries of a weights object, skipping `_note`/`_source`/`_other…` and `other`. */
function weightsOf(o: Readonly<Record<string, unknown>>): [string[], number[]] {
  const names: string[] = [];
  const weights: number[] = [];
  for (const [k, v] of Object.entries(o)) {
    if (k.startsWith('_') || k === 'other' || typeof v !== 'number' || v <= 0) continue;
    names.push(k);
    weights.push(v);
  }
  return [names, weights];
}

/**
 * Words per full name by sex and cohort (2 = no middle name, 5 = three middles). The 2000–2022
 * rows are NAME_DATA's `words_per_full_name_pct` (a young HCM sample); the older rows are our
 * estimates, since the reference notes only that older cohorts have more 3-word names.
 */
const WORDS: Record<Sex, Record<NameCohort, number[]>> = {
  M: {
    born_before_1975: [1.5, 90, 8.5, 0],
    born_1975_1999: [1.2, 82, 16.8, 0],
    born_2000_2022: [0.93, 72.75, 26.145, 0.174],
  },
  F: {
    born_before_1975: [0.5, 80, 19.5, 0],
    born_1975_1999: [0.3, 55, 44.7, 0],
    born_2000_2022: [0.202, 34.742, 64.559, 0.495],
  },
};

const COHORTS: readonly NameCohort[] = ['born_before_1975', 'born_1975_1999', 'born_2000_2022'];

/**
 * Samplers for Vietnamese full names (FAMILY MIDDLE… GIVEN), built once from NAME_DATA:
 * family names by national share, middle names by sex and birth cohort (the `other` share is
 * spread over the rest of the pool), given names by sex (one list for all cohorts: the reference
 * has only the 1991–2002 Đắk Lắk sample).
 */
export class NamePools {
  private readonly family: AliasTable<string>;
  private readonly middle: Record<Sex, Record<NameCohort, AliasTable<string>>>;
  /** Second and later middle names: common non-Văn/Thị middles. */
  private readonly secondMiddle: Record<Sex, AliasTable<string>>;
  private readonly given: Record<Sex, AliasTable<string>>;
  private readonly words: Record<Sex, Record<NameCohort, AliasTable<number>>>;

  constructor() {
    const [fam, famW] = weightsOf(NAME_DATA.family_names.sampling_weights);
    this.family = new AliasTable(fam, famW);

    const mn = NAME_DATA.middle_names;
    const build = (o: Readonly<Record<string, unknown>>, otherPool: readonly string[]): AliasTable<string> => {
      const [names, weights] = weightsOf(o);
      const other = typeof o.other === 'number' ? o.other : 0;
      // "other" = rarer middles: spread it evenly over a wider pool.
      const extra = otherPool.filter((x) => !names.includes(x));
      for (const x of extra) {
        names.push(x);
        weights.push(other / extra.length);
      }
      return new AliasTable(names, weights);
    };
    const maleAll = [...new Set(COHORTS.flatMap((c) => weightsOf(mn.male[c])[0]))].filter((x) => x !== 'Văn');
    const femaleSecond = mn.second_middle_examples_female;
    this.middle = {
      M: {
        born_before_1975: build(mn.male.born_before_1975, maleAll),
        born_1975_1999: build(mn.male.born_1975_1999, maleAll),
        born_2000_2022: build(mn.male.born_2000_2022, maleAll),
      },
      F: {
        born_before_1975: build(mn.female.born_before_1975, femaleSecond),
        born_1975_1999: build(mn.female.born_1975_1999, femaleSecond),
        born_2000_2022: build(mn.female.born_2000_2022, femaleSecond),
      },
    };
    this.secondMiddle = {
      M: new AliasTable(maleAll, maleAll.map(() => 1)),
      F: new AliasTable(femaleSecond, femaleSecond.map(() => 1)),
    };
    const givenTable = (list: readonly { name: string | null; pct: number }[]): AliasTable<string> => {
      const ok = list.filter((g): g is { name: string; pct: number } => typeof g.name === 'string' && g.pct > 0);
      return new AliasTable(
        ok.map((g) => g.name),
        ok.map((g) => g.pct),
      );
    };
    this.given = { M: givenTable(NAME_DATA.given_names.male), F: givenTable(NAME_DATA.given_names.female) };
    const wordsTable = (w: number[]): AliasTable<number> => new AliasTable([2, 3, 4, 5], w);
    this.words = {
      M: {
        born_before_1975: wordsTable(WORDS.M.born_before_1975),
        born_1975_1999: wordsTable(WORDS.M.born_1975_1999),
        born_2000_2022: wordsTable(WORDS.M.born_2000_2022),
      },
      F: {
        born_before_1975: wordsTable(WORDS.F.born_before_1975),
        born_1975_1999: wordsTable(WORDS.F.born_1975_1999),
        born_2000_2022: wordsTable(WORDS.F.born_2000_2022),
      },
    };
  }

  /**
   * One NFC full name.
   * @param rng - random stream
   * @param sex - M or F
   * @param birthYear - picks the middle-name cohort
   */
  fullName(rng: Sfc32, sex: Sex, birthYear: number): string {
    const cohort: NameCohort = birthYear < 1975 ? 'born_before_1975' : birthYear < 2000 ? 'born_1975_1999' : 'born_2000_2022';
    const family = this.family.pick(rng);
    const words = this.words[sex][cohort].pick(rng);
    let given = this.given[sex].pick(rng);
    if (words === 2) return `${family} ${given}`;
    const m1 = this.middle[sex][cohort].pick(rng);
    let name = `${family} ${m1}`;
    let last = m1;
    for (let k = 3; k < words; k++) {
      let m = this.secondMiddle[sex].pick(rng);
      if (m === last) m = this.secondMiddle[sex].pick(rng);
      name += ` ${m}`;
      last = m;
    }
    if (given === last) given = this.given[sex].pick(rng);
    return `${name} ${given}`;
  }
}
