/**
 * The importing thread's side of the import worker: starts it on the first pull, hands over its
 * batches in order (one `credit` back per batch taken, so the worker runs at most a couple of
 * batches ahead) and ends it when the import ends, fails or stops early.
 */
import type { Worker } from 'node:worker_threads';
import { startModuleWorker } from '../../runtime/index.js';
import { AppError } from '../../errors/index.js';
import { decodeBatch } from './batch-codec.js';
import type { FileFormat } from './file-rows.js';
import { hashedFile } from './hashed-file.js';
import type { ValidatedBatch } from './validate-batches.js';
import type { ImportWorkerData, WorkerDone, WorkerMessage } from './worker-protocol.js';

/** Batches the worker may have validated ahead of the writer. */
const AHEAD = 2;

function startWorker(data: ImportWorkerData): Worker {
  return startModuleWorker(import.meta.url, 'import-worker', { workerData: data });
}

/** A file validated on the worker thread. */
export interface WorkerBatches {
  /** Starts the worker on the first pull; ends it when done or when the consumer stops. */
  readonly batches: AsyncGenerator<ValidatedBatch>;
  readonly bytesRead: () => number;
  /** What the worker reported at the end of the file (after `batches` is done). */
  readonly done: () => WorkerDone | undefined;
  /** The file's SHA-256: the worker's, or read here when the import stopped before the worker finished. */
  readonly sha256: () => Promise<string>;
}

type Inbox = WorkerMessage | { readonly type: 'crash'; readonly error: Error };

/**
 * Reads and validates `file` on a worker thread.
 * @param file - a CSV or XLSX file in the ministry template
 * @param format - its format
 * @param options - today in Viet Nam and the rows per batch
 */
export function validateInWorker(file: string, format: FileFormat, options: { readonly today: string; readonly batchSize: number }): WorkerBatches {
  let bytes = 0;
  let done: WorkerDone | undefined;
  let failedSha256: string | undefined;
  const inbox: Inbox[] = [];
  let wake: (() => void) | undefined;
  const push = (m: Inbox): void => {
    inbox.push(m);
    wake?.();
    wake = undefined;
  };
  async function* batches(): AsyncGenerator<ValidatedBatch> {
    const worker = startWorker({ file, format, today: options.today, batchSize: options.batchSize, ahead: AHEAD });
    worker.on('message', (m: WorkerMessage) => push(m));
    worker.on('error', (e: Error) => push({ type: 'crash', error: e }));
    worker.on('exit', (code) => push({ type: 'crash', error: new Error(`the import worker stopped unexpectedly (exit code ${code})`) }));
    try {
      for (;;) {
        while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const m = inbox.shift() as Inbox;
        switch (m.type) {
          case 'batch':
            worker.postMessage('credit');
            bytes = m.batch.bytesRead;
            yield decodeBatch(m.batch);
            break;
          case 'done':
            done = m;
            bytes = m.bytesRead;
            return;
          case 'error':
            failedSha256 = m.sha256;
            throw m.error.code === undefined ? new Error(m.error.message) : new AppError(m.error.code, m.error.message, m.error.status, m.error.details);
          case 'crash':
            throw m.error;
        }
      }
    } finally {
      worker.removeAllListeners('exit');
      await worker.terminate();
    }
  }
  return {
    batches: batches(),
    bytesRead: () => bytes,
    done: () => done,
    sha256: async () => done?.sha256 ?? (failedSha256 !== undefined && failedSha256 !== '' ? failedSha256 : await hashedFile(file).sha256()),
  };
}
