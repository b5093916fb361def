/**
 * Worker threads for issuance CPU work (payload checks, CBOR/COSE, signature, zlib, base45),
 * one per core by default; the calling thread keeps the database. Started through
 * `startModuleWorker` (src/runtime), like the bench pool and the import worker.
 */
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../runtime/index.js';
import type { DscMaterial } from './dsc-material.js';
import type { CertificateTimes } from './sign-certificate.js';
import type { IssueWork, WorkRequest, WorkResponse, WorkResult } from './issue-worker.js';

function startWorker(material: DscMaterial): Worker {
  return startModuleWorker(import.meta.url, 'issue-worker', { workerData: material });
}

interface Slot {
  readonly worker: Worker;
  busy: number;
  /** Certificate ids whose public key this worker has. */
  readonly keysSent: Set<number>;
}

/** A pool of issuing workers; `sign` spreads batches over the least busy worker. */
export class IssuePool {
  private next = 1;
  private readonly waiting = new Map<number, { resolve: (r: readonly WorkResult[]) => void; reject: (e: Error) => void; slot: Slot }>();
  private failure: Error | undefined;

  private constructor(private readonly slots: readonly Slot[]) {
    for (const slot of slots) {
      slot.worker.on('message', (m: WorkResponse | 'ready') => {
        if (m === 'ready') return;
        const w = this.waiting.get(m.id);
        if (!w) return;
        this.waiting.delete(m.id);
        w.slot.busy--;
        w.resolve(m.results);
      });
      slot.worker.on('error', (e) => this.fail(e));
      slot.worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`issuance worker exited with code ${code}`));
      });
    }
  }

  private fail(e: Error): void {
    this.failure ??= e;
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.reject(e);
    }
  }

  /**
   * Starts `size` workers and waits until each has built its signer.
   * @param material - the DSC (key or HSM label) and certificate
   * @param size - workers (default: one per core)
   */
  static async start(material: DscMaterial, size = availableParallelism()): Promise<IssuePool> {
    const workers = Array.from({ length: Math.max(1, size) }, () => startWorker(material));
    try {
      await Promise.all(
        workers.map(
          (w) =>
            new Promise<void>((resolve, reject) => {
              const onMessage = (m: unknown): void => {
                if (m !== 'ready') return;
                w.off('error', reject);
                w.off('message', onMessage);
                resolve();
              };
              w.on('message', onMessage);
              w.once('error', reject);
            }),
        ),
      );
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
    return new IssuePool(workers.map((worker) => ({ worker, busy: 0, keysSent: new Set<number>() })));
  }

  /** Number of workers. */
  get size(): number {
    return this.slots.length;
  }

  /**
   * Verifies and signs a batch on the least busy worker.
   * @param works - people, their signed doses and those doses' signature checks
   * @param times - iat and exp
   * @param keys - public keys of the signing-unit certificates the checks name (each is sent to
   *   a worker once)
   */
  sign(works: readonly IssueWork[], times: CertificateTimes, keys: ReadonlyMap<number, KeyObject> = new Map()): Promise<readonly WorkResult[]> {
    if (this.failure) return Promise.reject(this.failure);
    let slot = this.slots[0] as Slot;
    for (const s of this.slots) if (s.busy < slot.busy) slot = s;
    const id = this.next++;
    slot.busy++;
    const fresh: [number, Uint8Array][] = [];
    for (const w of works) {
      for (const c of w.checks) {
        if (slot.keysSent.has(c.certificateId)) continue;
        const key = keys.get(c.certificateId);
        if (!key) continue;
        slot.keysSent.add(c.certificateId);
        fresh.push([c.certificateId, new Uint8Array(key.export({ format: 'der', type: 'spki' }))]);
      }
    }
    const req: WorkRequest = { id, times, works, keys: fresh };
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject, slot });
      slot.worker.postMessage(req);
    });
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
