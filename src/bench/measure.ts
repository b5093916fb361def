/**
 * Throughput loops. Rates are wall-clock operations per second of one thread; the machine is
 * shared, so callers repeat each loop over several interleaved rounds and keep the best.
 */

/** Calls between two clock reads: small against even a 1 µs operation, fine-grained enough to stop on time. */
const CALLS_PER_CHECK = 32;

/** Defeats dead-code elimination: every result feeds this, and it is read once at the end. */
let sink = 0;

function consume(v: unknown): void {
  if (typeof v === 'string' || v instanceof Uint8Array || Array.isArray(v)) sink += v.length;
  else if (v !== undefined && v !== null) sink += 1;
}

/** What the loops' results added up to; reading it keeps them observable (nothing to optimise away). */
export function sinkValue(): number {
  return sink;
}

/** A throughput read on two clocks. */
export interface Rate {
  /** Calls per wall-clock second. */
  wall: number;
  /** Calls per CPU second of this process (user + system, all its threads). */
  cpu: number;
}

function rateOf(n: number, t0: number, cpu0: NodeJS.CpuUsage): Rate {
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { wall: (n * 1000) / wallMs, cpu: (n * 1e6) / Math.max(1, cpu.user + cpu.system) };
}

/**
 * Runs `fn` repeatedly for about `seconds` and returns its calls per second.
 * @param fn - the operation; its result is consumed so it cannot be optimised away
 * @param seconds - wall-clock budget
 */
export function rate(fn: () => unknown, seconds: number): Rate {
  const budget = seconds * 1000;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  do {
    for (let i = 0; i < CALLS_PER_CHECK; i++) consume(fn());
    n += CALLS_PER_CHECK;
  } while (performance.now() - t0 < budget);
  return rateOf(n, t0, cpu0);
}

/**
 * Like {@link rate} for an async operation, awaited one call at a time (one in flight, as a
 * single-threaded caller would use it).
 * @param fn - the operation
 * @param seconds - wall-clock budget
 */
export async function rateAsync(fn: () => Promise<unknown>, seconds: number): Promise<Rate> {
  const budget = seconds * 1000;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  do {
    consume(await fn());
    n++;
  } while (performance.now() - t0 < budget);
  return rateOf(n, t0, cpu0);
}

/** Per-round samples of named rates; the reported figure is the best (max) round. */
export class Samples {
  private readonly byName = new Map<string, number[]>();

  /**
   * @param name - measure name, e.g. `es256.issue_per_s`
   * @param value - one round's rate
   */
  add(name: string, value: number): void {
    const list = this.byName.get(name);
    if (list) list.push(value);
    else this.byName.set(name, [value]);
  }

  /** @param name - measure name; 0 when never sampled */
  best(name: string): number {
    const list = this.byName.get(name);
    return list ? Math.max(...list) : 0;
  }

  /** Every measure's rounds, rounded, in insertion order. */
  all(): Record<string, number[]> {
    return Object.fromEntries([...this.byName].map(([k, v]) => [k, v.map((x) => Math.round(x))]));
  }
}
