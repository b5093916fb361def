/** Messages between the importing thread and the import worker (see `import-worker.ts`). */
import type { WireBatch } from './batch-codec.js';
import type { FileFormat } from './file-rows.js';
import type { ColumnEncodings } from './validate-batches.js';

/** What the worker is started with. */
export interface ImportWorkerData {
  readonly file: string;
  readonly format: FileFormat;
  readonly today: string;
  readonly batchSize: number;
  /** Batches the worker may post before the importer takes one. */
  readonly ahead: number;
}

/** The end of a file read by the worker. */
export interface WorkerDone {
  readonly type: 'done';
  readonly sha256: string;
  readonly bytesRead: number;
  readonly encodings: ColumnEncodings;
  readonly fileEncoding: string | undefined;
}

/** Worker to importer. */
export type WorkerMessage =
  | { readonly type: 'batch'; readonly batch: WireBatch }
  | WorkerDone
  | {
      readonly type: 'error';
      /** The file's hash all the same (for the failed job's record); '' when it could not be read. */
      readonly sha256: string;
      readonly error: { readonly message: string; readonly code?: string; readonly status?: number; readonly details?: Readonly<Record<string, unknown>> | undefined };
    };
