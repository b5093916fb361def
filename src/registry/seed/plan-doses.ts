import { VACCINE_PRODUCTS } from '../reference/index.js';
import { AliasTable } from './alias-table.js';
import { dayOf, dayFromParts } from './day-table.js';
import type { Sfc32 } from './sfc32.js';

/**
 * COVID-19 vaccination schedules for Viet Nam 2021–2022, shaped on stats.md §1 (timeline,
 * coverage) and vaccines.json (availability, minimum intervals). Product shares are guesses:
 * the reference found no dose-by-product split (AstraZeneca, Pfizer and Vero Cell the majority).
 *
 * - Adults (≥18 on 2021-07-01): first dose from 2021-03-08, peaking Aug–Oct 2021 (88% by mid-Nov);
 *   AstraZeneca (and a little Sputnik V) before June, then Vero Cell/Pfizer/Moderna, Abdala and
 *   Hayat-Vax from September. 99.5% get a first dose, 96% of them finish the primary series
 *   (6% of AstraZeneca starters finish with Pfizer). 62% take a booster ≥90 days after the series,
 *   from 2021-11-20; a second booster ≥120 days later from 2022-05-20 (35% of the ≥50s, 5% others).
 * - 12–17 (≥12 on 2022-04-14, <18 on 2021-07-01): from 2021-10-20, Pfizer (some Moderna); 99% / 96%;
 *   35% booster from 2022-07-01.
 * - 5–11 on 2022-04-14: paediatric Pfizer from 2022-04-14; 71% first dose, 80% of them a second.
 * - Under-5s are not generated. Nothing after `endDay`.
 */

/** Receives each planned dose, in order (an object, so planning creates no closure per person). */
export interface DoseSink {
  dose(productId: string, day: number, doseNumber: number): void;
}

interface ProductRule {
  readonly id: string;
  readonly doses: number;
  readonly minInterval: number;
  /** Extra days on top of the minimum, uniform in [0, extra]. */
  readonly extra: number;
  readonly availableDay: number;
}

const EXTRA: Readonly<Record<string, number>> = { astrazeneca: 56, abdala: 7, comirnaty_paediatric: 35 };

const RULES = new Map<string, ProductRule>(
  VACCINE_PRODUCTS.filter((p) => p.usedInVietnam && p.availableFrom !== null).map((p) => [
    p.id,
    {
      id: p.id,
      doses: p.primarySeriesDoses,
      minInterval: p.minIntervalDays ?? 0,
      extra: EXTRA[p.id] ?? 28,
      availableDay: dayOf(p.availableFrom ?? '2021-01-01'),
    },
  ]),
);

function rule(id: string): ProductRule {
  const r = RULES.get(id);
  if (r === undefined) throw new Error(`vaccine product ${id} missing from the bundled reference data`);
  return r;
}

function table(shares: Readonly<Record<string, number>>): AliasTable<ProductRule> {
  const ids = Object.keys(shares);
  return new AliasTable(
    ids.map(rule),
    ids.map((id) => shares[id] ?? 0),
  );
}

/** Key dates (day numbers). */
export const SCHEDULE_DATES = {
  campaignStart: dayOf('2021-03-08'),
  teenStart: dayOf('2021-10-20'),
  childStart: dayOf('2022-04-14'),
  boosterStart: dayOf('2021-11-20'),
  teenBoosterStart: dayOf('2022-07-01'),
  secondBoosterStart: dayOf('2022-05-20'),
  lastDay: dayOf('2022-12-31'),
} as const;

const PERIOD_1 = dayOf('2021-06-01');
const PERIOD_2 = dayOf('2021-09-01');
const PERIOD_3 = dayOf('2022-01-01');
const ADULT_FIRST = [
  table({ astrazeneca: 92, sputnik_v: 8 }),
  table({ astrazeneca: 45, vero_cell: 25, comirnaty: 15, spikevax: 12, sputnik_v: 2, janssen: 1 }),
  table({ astrazeneca: 35, vero_cell: 28, comirnaty: 22, spikevax: 8, abdala: 4, hayat_vax: 2, sputnik_v: 0.5, janssen: 0.5 }),
  table({ astrazeneca: 40, comirnaty: 35, spikevax: 15, vero_cell: 10 }),
] as const;
const TEEN_FIRST = table({ comirnaty: 88, spikevax: 12 });
const BOOSTER = table({ comirnaty: 45, spikevax: 35, astrazeneca: 20 });
const SECOND_BOOSTER = table({ comirnaty: 50, spikevax: 50 });
const TEEN_BOOSTER = table({ comirnaty: 90, spikevax: 10 });
const CHILD = rule('comirnaty_paediatric');
const PFIZER = rule('comirnaty');

/** First-dose month weights for adults, March 2021 – June 2022 (the 2021 outbreak peak). */
const ADULT_MONTHS: AliasTable<number> = (() => {
  const w = [0.5, 1, 1.5, 3, 10, 20, 24, 18, 8, 5, 2, 1, 1, 0.5, 0.5, 0.5];
  const starts = w.map((_, i) => dayFromParts(2021, 3 + i, 1));
  return new AliasTable(starts, w);
})();

function ageDay(birthDay: number, years: number): number {
  return birthDay + Math.ceil(years * 365.2425);
}

/** Exponential-ish waiting time in days with the given mean, capped. */
function wait(rng: Sfc32, mean: number, cap: number): number {
  return Math.min(cap, Math.floor(-Math.log(1 - rng.float()) * mean));
}

const ADULT_CUTOFF = dayOf('2021-07-01');

/**
 * Plans people's doses (one planner per generator; `plan` is called once per person).
 */
export class DosePlanner {
  private n = 0;
  private last = 0;
  private end = 0;

  /**
   * @param rng - random stream
   * @param endDay - no dose after this day
   * @param sink - receives the doses
   */
  constructor(
    private readonly rng: Sfc32,
    endDay: number,
    private readonly sink: DoseSink,
  ) {
    this.end = Math.min(endDay, SCHEDULE_DATES.lastDay);
  }

  /**
   * Plans one person's doses and hands each to the sink.
   * @param birthDay - day number of the birth date
   * @returns the number of doses planned
   */
  plan(birthDay: number): number {
    const D = SCHEDULE_DATES;
    const rng = this.rng;
    this.n = 0;
    this.last = 0;
    const adultFrom = ageDay(birthDay, 18);
    if (adultFrom <= ADULT_CUTOFF) {
      if (!rng.chance(0.995)) return 0;
      const month = ADULT_MONTHS.pick(rng);
      const day = Math.max(month + rng.int(28), D.campaignStart, adultFrom);
      const period = day < PERIOD_1 ? 0 : day < PERIOD_2 ? 1 : day < PERIOD_3 ? 2 : 3;
      const first = ADULT_FIRST[period].pick(rng);
      const switched = first.id === 'astrazeneca' && rng.chance(0.06);
      if (!this.series(first, day, 0.96, switched)) return this.n;
      if (!rng.chance(0.62)) return this.n;
      if (!this.give(BOOSTER.pick(rng), Math.max(this.last + 90, D.boosterStart) + wait(rng, 40, 200))) return this.n;
      const over50 = ageDay(birthDay, 50) <= D.secondBoosterStart;
      if (!rng.chance(over50 ? 0.35 : 0.05)) return this.n;
      this.give(SECOND_BOOSTER.pick(rng), Math.max(this.last + 120, D.secondBoosterStart) + wait(rng, 45, 200));
      return this.n;
    }
    if (ageDay(birthDay, 12) <= D.childStart) {
      if (!rng.chance(0.99)) return 0;
      const day = Math.max(D.teenStart, ageDay(birthDay, 12)) + wait(rng, 30, 300);
      if (!this.series(TEEN_FIRST.pick(rng), day, 0.97, false)) return this.n;
      if (!rng.chance(0.35)) return this.n;
      this.give(TEEN_BOOSTER.pick(rng), Math.max(this.last + 120, D.teenBoosterStart) + wait(rng, 40, 150));
      return this.n;
    }
    if (!rng.chance(0.71)) return 0;
    this.series(CHILD, Math.max(D.childStart, ageDay(birthDay, 5)) + wait(rng, 45, 200), 0.8, false);
    return this.n;
  }

  /** One dose on `day` (or when the product became available); false once past the end. */
  private give(r: ProductRule, day: number): boolean {
    const d = Math.max(day, r.availableDay);
    if (d > this.end) return false;
    this.n++;
    this.last = d;
    this.sink.dose(r.id, d, this.n);
    return true;
  }

  /** A primary series; false if it stopped early (not completed or past the end). */
  private series(first: ProductRule, day: number, complete: number, switchToPfizer: boolean): boolean {
    if (!this.give(first, day)) return false;
    for (let k = 1; k < first.doses; k++) {
      if (!this.rng.chance(complete)) return false;
      const next = k === first.doses - 1 && switchToPfizer ? PFIZER : first;
      if (!this.give(next, this.last + first.minInterval + this.rng.int(first.extra + 1))) return false;
    }
    return true;
  }
}
