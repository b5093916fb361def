/**
 * Fault injection for the reference service, so the client is tested against the failures the
 * national service really has: slowness, and 5xx answers both before any work was done and
 * after the work was done and stored (the case idempotency keys exist for).
 */

/** How the service misbehaves. All zero by default. */
export interface FaultOptions {
  /** Share of verify requests that fail, 0–1. */
  readonly rate?: number;
  /**
   * Of the failing requests, the share that fail BEFORE any work (503); the rest fail AFTER the
   * batch was matched and its answer stored (500). Default 0.5.
   */
  readonly beforeShare?: number;
  /** Added to every verify request, in ms. */
  readonly latencyMs?: number;
  /** Plus a uniform random 0–N ms. */
  readonly latencyJitterMs?: number;
  /** Share of verify requests, 0–1, that are slow (a latency spike), on top of the latency. */
  readonly slowRate?: number;
  /** How much slower a slow request is, in ms; default 5,000. */
  readonly slowMs?: number;
  /** Source of randomness in [0, 1) (a seeded one makes tests repeatable); default Math.random. */
  readonly random?: () => number;
}

/** What happens to one request. */
export interface FaultPlan {
  readonly fail: 'none' | 'before' | 'after';
  readonly delayMs: number;
}

/**
 * Draws the fate of one request.
 * @param options - the fault settings
 */
export function planFault(options: FaultOptions): FaultPlan {
  const random = options.random ?? Math.random;
  const rate = options.rate ?? 0;
  let fail: FaultPlan['fail'] = 'none';
  if (rate > 0 && random() < rate) fail = random() < (options.beforeShare ?? 0.5) ? 'before' : 'after';
  const jitter = options.latencyJitterMs ?? 0;
  const slow = (options.slowRate ?? 0) > 0 && random() < (options.slowRate ?? 0) ? (options.slowMs ?? 5000) : 0;
  const delayMs = Math.max(0, (options.latencyMs ?? 0) + (jitter > 0 ? random() * jitter : 0) + slow);
  return { fail, delayMs };
}

/**
 * Checks fault settings (from the command line) and reports what is wrong.
 * @param options - the fault settings
 * @returns problems, empty when fine
 */
export function checkFaultOptions(options: FaultOptions): string[] {
  const problems: string[] = [];
  const share = (name: string, v: number | undefined): void => {
    if (v !== undefined && !(v >= 0 && v <= 1)) problems.push(`${name} must be between 0 and 1 (got ${v})`);
  };
  const ms = (name: string, v: number | undefined): void => {
    if (v !== undefined && !(v >= 0 && Number.isFinite(v))) problems.push(`${name} must be a number of ms ≥ 0 (got ${v})`);
  };
  share('fault rate', options.rate);
  share('before share', options.beforeShare);
  share('slow rate', options.slowRate);
  ms('slow ms', options.slowMs);
  ms('latency', options.latencyMs);
  ms('latency jitter', options.latencyJitterMs);
  return problems;
}

/**
 * A seeded pseudo-random source (mulberry32): the same seed gives the same faults.
 * @param seed - any integer
 */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
