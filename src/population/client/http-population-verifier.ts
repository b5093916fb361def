/**
 * {@link PopulationVerifier} over HTTP: the client of the national population service (and of
 * the reference service, `vaxpass population serve`), contract in
 * `../register/population-openapi.ts`.
 *
 * A call is split into batches sent a few at a time. Each attempt has a timeout; 5xx, 429,
 * timeouts and connection errors are retried with exponential backoff and jitter, 4xx are not.
 * Every batch carries an idempotency key derived from its content, so a retry of a batch the
 * service already did (it failed while answering) is answered from its stored answer and never
 * counted twice. A circuit breaker shared by all calls stops hammering a service that is down:
 * while it is open, calls fail at once. A call that cannot be completed rejects with AppError
 * `POPULATION_UNAVAILABLE` (503); its records stay queued with the caller.
 */
import { createHash } from 'node:crypto';
import {
  BrokenCircuitError,
  ConsecutiveBreaker,
  ExponentialBackoff,
  circuitBreaker,
  handleWhen,
  retry,
  wrap,
  type CircuitBreakerPolicy,
  type IPolicy,
} from 'cockatiel';
import { AppError } from '../../errors/index.js';
import { MAX_RECORDS_PER_REQUEST, parseVerifyResponse, recordsSha256, toWireRecord } from '../register/index.js';
import type { PopulationVerifier, VerifyBatchOptions, VerifyRecord, VerifyResult } from '../verifier.js';

/** Options of {@link HttpPopulationVerifier}. */
export interface HttpVerifierOptions {
  /** Base URL of the service, e.g. `https://c06.example.vn` (the path `/v1/identity/verify` is appended). */
  readonly url: string;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  readonly apiKey?: string;
  /** Records per request; default 500, at most 1,000. */
  readonly batchSize?: number;
  /** Requests in flight at once, across all calls of this client; default 4. */
  readonly concurrency?: number;
  /** Per attempt, in ms; default 10,000. */
  readonly timeoutMs?: number;
  /** Retries after the first attempt; default 4. */
  readonly retries?: number;
  /** First backoff delay, ms (then roughly doubling, with jitter); default 200. */
  readonly initialDelayMs?: number;
  /** Longest backoff delay, ms; default 10,000. */
  readonly maxDelayMs?: number;
  /** Consecutive failed attempts that open the circuit; default 5. */
  readonly breakerThreshold?: number;
  /** How long the circuit stays open before one trial request, ms; default 15,000. */
  readonly breakerHalfOpenAfterMs?: number;
  /** The fetch to use (tests); default the global one. */
  readonly fetch?: typeof fetch;
}

/** A failure worth retrying: 5xx, 429, a timeout, a connection error. */
class TransientError extends Error {
  override readonly name = 'TransientError';
}

/** Counters of one client (for logs and tests). */
export interface HttpVerifierStats {
  /** HTTP attempts made (including retries). */
  attempts: number;
  /** Attempts that failed in a retryable way (timeouts included). */
  transientFailures: number;
  /** Attempts that got no answer within the timeout. */
  timeouts: number;
  /** Batches answered. */
  batches: number;
  /** Times the circuit opened. */
  breaks: number;
}

/** A counting semaphore: the concurrency limit shared by every call of one client. */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next !== undefined) next();
      else this.active--;
    }
  }
}

/** The national population service, over HTTP. */
export class HttpPopulationVerifier implements PopulationVerifier {
  private readonly endpoint: string;
  private readonly batchSize: number;
  private readonly timeoutMs: number;
  private readonly fetchFn: typeof fetch;
  private readonly gate: Gate;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly policy: IPolicy;
  private lastFailure = '';
  private readonly counters: HttpVerifierStats = { attempts: 0, transientFailures: 0, timeouts: 0, batches: 0, breaks: 0 };

  /**
   * @param options - URL, key, batching, timeouts, retry and breaker settings
   */
  constructor(private readonly options: HttpVerifierOptions) {
    this.endpoint = new URL('v1/identity/verify', options.url.endsWith('/') ? options.url : `${options.url}/`).toString();
    this.batchSize = Math.min(MAX_RECORDS_PER_REQUEST, Math.max(1, options.batchSize ?? 500));
    this.timeoutMs = options.timeoutMs ?? 10_000;
    this.fetchFn = options.fetch ?? fetch;
    this.gate = new Gate(Math.max(1, options.concurrency ?? 4));
    const transient = handleWhen((e) => e instanceof TransientError);
    this.breaker = circuitBreaker(transient, {
      halfOpenAfter: options.breakerHalfOpenAfterMs ?? 15_000,
      breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 5),
    });
    this.breaker.onBreak(() => this.counters.breaks++);
    const retryPolicy = retry(transient, {
      maxAttempts: options.retries ?? 4,
      backoff: new ExponentialBackoff({ initialDelay: options.initialDelayMs ?? 200, maxDelay: options.maxDelayMs ?? 10_000 }),
    });
    // Retry outside the breaker: every attempt counts towards opening it, and once it is open
    // the BrokenCircuitError is not retried, so the call fails fast.
    this.policy = wrap(retryPolicy, this.breaker);
  }

  /** A snapshot of the counters. */
  stats(): HttpVerifierStats {
    return { ...this.counters };
  }

  /** `closed`, `open`, `halfOpen` or `isolated`. */
  get circuitState(): string {
    return ['closed', 'open', 'halfOpen', 'isolated'][this.breaker.state] ?? String(this.breaker.state);
  }

  /**
   * Verifies records, one result per record in order.
   * @param records - the records
   * @param options - an idempotency key (mixed into each batch's key) and an abort signal
   * @throws AppError `POPULATION_UNAVAILABLE` (503) when the circuit is open or retries ran out;
   *   `POPULATION_REJECTED` (502) when the service refused a batch (4xx); `POPULATION_PROTOCOL`
   *   (502) when an answer does not fit the contract
   */
  async verifyBatch(records: readonly VerifyRecord[], options: VerifyBatchOptions = {}): Promise<VerifyResult[]> {
    const batches: (readonly VerifyRecord[])[] = [];
    for (let i = 0; i < records.length; i += this.batchSize) batches.push(records.slice(i, i + this.batchSize));
    const results: VerifyResult[][] = new Array<VerifyResult[]>(batches.length);
    // After one batch fails the others are not started: the whole call fails anyway.
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    let failure: unknown;
    await Promise.all(
      batches.map((batch, i) =>
        this.gate.run(async () => {
          if (failure !== undefined || signal.aborted) return;
          try {
            results[i] = await this.sendBatch(batch, batchKey(batch, options.idempotencyKey), signal);
          } catch (e) {
            failure ??= e;
            stop.abort();
          }
        }),
      ),
    );
    if (failure !== undefined) throw failure instanceof Error ? failure : new Error('verification failed', { cause: failure });
    options.signal?.throwIfAborted();
    return results.flat();
  }

  /** One batch through retry and breaker. */
  private async sendBatch(batch: readonly VerifyRecord[], key: string, signal: AbortSignal): Promise<VerifyResult[]> {
    const body = JSON.stringify({ records: batch.map(toWireRecord) });
    try {
      const results = await this.policy.execute(({ signal: attemptSignal }) => this.attempt(batch, body, key, attemptSignal), signal);
      this.counters.batches++;
      return results;
    } catch (e) {
      if (e instanceof AppError) throw e;
      if (signal.aborted && !(e instanceof TransientError)) throw e;
      const attempts = (this.options.retries ?? 4) + 1;
      if (e instanceof BrokenCircuitError) {
        throw new AppError('POPULATION_UNAVAILABLE', `population service unavailable: circuit open after repeated failures (last: ${this.lastFailure})`, 503, {
          cause: 'circuit_open',
          lastFailure: this.lastFailure,
          url: this.endpoint,
        });
      }
      const reason = e instanceof Error ? e.message : String(e);
      throw new AppError('POPULATION_UNAVAILABLE', `population service unavailable: ${reason} (gave up after ${attempts} attempts)`, 503, {
        cause: 'retries_exhausted',
        lastFailure: reason,
        attempts,
        url: this.endpoint,
      });
    }
  }

  /** One HTTP attempt: throws TransientError for what a retry may cure. */
  private async attempt(batch: readonly VerifyRecord[], body: string, key: string, signal: AbortSignal): Promise<VerifyResult[]> {
    this.counters.attempts++;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const both = AbortSignal.any([signal, timeout]);
    let status: number;
    let text: string;
    try {
      const response = await this.fetchFn(this.endpoint, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'idempotency-key': key,
          ...(this.options.apiKey ? { authorization: `Bearer ${this.options.apiKey}` } : {}),
        },
        body,
        signal: both,
      });
      status = response.status;
      text = await response.text();
    } catch (e) {
      if (signal.aborted) throw e;
      if (timeout.aborted) this.counters.timeouts++;
      const reason = timeout.aborted ? `no answer within ${this.timeoutMs} ms` : `connection failed (${describe(e)})`;
      throw this.transient(reason);
    }
    if (status >= 500 || status === 429) throw this.transient(`HTTP ${status}${problemDetail(text)}`);
    if (status !== 200) {
      throw new AppError('POPULATION_REJECTED', `population service refused the batch: HTTP ${status}${problemDetail(text)}`, 502, { upstreamStatus: status });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AppError('POPULATION_PROTOCOL', 'population service answered 200 with a body that is not JSON', 502);
    }
    const parsed = parseVerifyResponse(json, batch);
    if (!parsed.ok) throw new AppError('POPULATION_PROTOCOL', `population service answer does not fit the contract: ${parsed.reason}`, 502);
    return parsed.results;
  }

  private transient(reason: string): TransientError {
    this.counters.transientFailures++;
    this.lastFailure = reason;
    return new TransientError(reason);
  }
}

/**
 * The idempotency key of one batch: the hex SHA-256 of its canonical records, mixed with the
 * caller's key when given (so two runs that want separate answers can have them).
 * @param batch - the batch's records
 * @param callerKey - the caller's key, if any
 */
export function batchKey(batch: readonly VerifyRecord[], callerKey?: string): string {
  const content = recordsSha256(batch);
  return callerKey === undefined ? content : createHash('sha256').update(`${callerKey}\n${content}`).digest('hex');
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const cause = e.cause;
  if (cause instanceof Error) {
    const code = (cause as Error & { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return e.message;
}

/** `: <detail>` of a problem+json body, or nothing. */
function problemDetail(text: string): string {
  try {
    const p = JSON.parse(text) as unknown;
    if (typeof p === 'object' && p !== null && 'detail' in p && typeof p.detail === 'string') return `: ${p.detail}`;
  } catch {
    // not JSON: no detail
  }
  return '';
}
