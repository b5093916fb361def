/** Name samples for the text tests: every name in NAME_DATA plus deterministic composed full names. */
import { NAME_DATA } from '../../reference/index.js';

function keysOf(o: object): string[] {
  return Object.keys(o).filter((k) => !k.startsWith('_') && k !== 'other');
}

const fam = NAME_DATA.family_names;
const mid = NAME_DATA.middle_names;
const giv = NAME_DATA.given_names;

/** Family, middle and given names of NAME_DATA (correct NFC Unicode), deduplicated. */
export const SINGLE_NAMES: readonly string[] = [
  ...new Set([
    ...fam.top14.map((f) => f.name),
    ...keysOf(fam.dak_lak_sample_DKL01_pct),
    ...keysOf(fam.sampling_weights),
    ...keysOf(mid.male.born_before_1975),
    ...keysOf(mid.male.born_1975_1999),
    ...keysOf(mid.male.born_2000_2022),
    ...keysOf(mid.female.born_before_1975),
    ...keysOf(mid.female.born_1975_1999),
    ...keysOf(mid.female.born_2000_2022),
    ...mid.second_middle_examples_female,
    ...giv.female.flatMap((g) => (g.name === null ? [] : [g.name])),
    ...giv.male.flatMap((g) => (g.name === null ? [] : [g.name])),
    ...giv.unisex_in_both_lists,
  ]),
];

/** The edge-case full names of NAME_DATA (compound family names, minorities, long names). */
export const EDGE_NAMES: readonly string[] = [
  ...NAME_DATA.edge_cases_for_tests.compound_or_double_family,
  ...NAME_DATA.edge_cases_for_tests.no_middle_name,
  ...NAME_DATA.edge_cases_for_tests.long_names,
  ...NAME_DATA.edge_cases_for_tests.ethnic_minority,
];

/** `count` full names "Family Middle [Middle2] Given" from a fixed-seed generator. */
export function composedNames(count: number, seed = 42): string[] {
  let state = seed >>> 0;
  const next = (n: number): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state % n;
  };
  const pick = (list: readonly string[]): string => list[next(list.length)] ?? 'An';
  const families = keysOf(fam.sampling_weights);
  const middles = [...keysOf(mid.male.born_1975_1999), ...keysOf(mid.female.born_2000_2022)];
  const givens = giv.female.concat(giv.male).flatMap((g) => (g.name === null ? [] : [g.name]));
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const words = [pick(families), pick(middles)];
    if (next(3) === 0) words.push(pick(mid.second_middle_examples_female));
    words.push(pick(givens));
    out.push(words.join(' '));
  }
  return out;
}
