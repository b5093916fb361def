/**
 * Issuing on every core: one worker thread per core, each asked for a batch of certificates per
 * message (so messaging costs little against signing), two batches in flight per worker so no
 * worker waits for the main thread.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../runtime/index.js';
import type { BenchFixture } from './bench-fixture.js';
import type { Rate } from './measure.js';
import type { PoolWorkerData } from './pool-worker.js';

/** Certificates per message. */
export const POOL_BATCH = 100;
const IN_FLIGHT = 2;

/**
 * Starts one worker on the script beside this module: `.js` in dist/. From source (the tests run
 * TypeScript through tsx) Node 20 workers do not inherit tsx's loader hooks, so a small
 * bootstrap registers them before loading `pool-worker.ts`.
 */
function startWorker(workerData: PoolWorkerData): Worker {
  return startModuleWorker(import.meta.url, 'pool-worker', { workerData });
}

/** A running pool of issuing workers (ES256, the bench key and payload). */
export class IssuePool {
  private constructor(
    private readonly workers: readonly Worker[],
    readonly batch: number,
  ) {}

  /**
   * Starts the workers and checks that each one issues.
   * @param f - the bench fixture (its ES256 key and DCC)
   * @param size - number of workers (one per core)
   * @param batch - certificates per message
   */
  static async start(f: BenchFixture, size: number, batch = POOL_BATCH): Promise<IssuePool> {
    const { dev, issue } = f.es256;
    const workerData: PoolWorkerData = {
      keyPkcs8: dev.privateKey.export({ type: 'pkcs8', format: 'der' }),
      certDer: dev.certificate.raw,
      dcc: f.dcc,
      iss: issue.iss ?? 'VN',
      iat: issue.iat,
      exp: issue.exp,
    };
    const workers = Array.from({ length: size }, () => startWorker(workerData));
    const pool = new IssuePool(workers, batch);
    try {
      await Promise.all(workers.map((w) => ask(w, 1)));
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  /** Number of workers. */
  get size(): number {
    return this.workers.length;
  }

  /**
   * Issues on all workers for about `seconds` and returns certificates per second, counted up to
   * the last batch to come back: per wall-clock second, and per CPU second of the whole process
   * (all workers and the main thread), which shows what the pool costs apart from core availability.
   * @param seconds - wall-clock budget
   */
  measure(seconds: number): Promise<Rate> {
    return new Promise((resolve, reject) => {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const deadline = t0 + seconds * 1000;
      let issued = 0;
      let inFlight = 0;
      const detach: (() => void)[] = [];
      const finish = (err?: Error): void => {
        for (const d of detach) d();
        if (err) return reject(err);
        const cpu = process.cpuUsage(cpu0);
        resolve({ wall: (issued * 1000) / (performance.now() - t0), cpu: (issued * 1e6) / Math.max(1, cpu.user + cpu.system) });
      };
      for (const w of this.workers) {
        const onMessage = (): void => {
          issued += this.batch;
          inFlight--;
          if (performance.now() < deadline) {
            w.postMessage(this.batch);
            inFlight++;
          } else if (inFlight === 0) {
            finish();
          }
        };
        const onError = (e: Error): void => finish(e);
        w.on('message', onMessage);
        w.on('error', onError);
        detach.push(() => w.off('message', onMessage).off('error', onError));
        for (let i = 0; i < IN_FLIGHT; i++) {
          w.postMessage(this.batch);
          inFlight++;
        }
      }
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** One request/answer round trip; rejects unless the answer holds `n` HC1 texts. */
function ask(w: Worker, n: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    w.once('error', reject);
    w.once('message', (joined: string) => {
      const list = joined.split('\n');
      w.off('error', reject);
      if (list.length === n && list.every((s) => s.startsWith('HC1:'))) resolve(list);
      else reject(new Error('bench pool: a worker returned something other than HC1 texts'));
    });
    w.postMessage(n);
  });
}
