/**
 * The import worker: reads a template file (hashing it on the way), parses, detects column
 * encodings and validates on its own thread, and posts validated batches to the importing
 * thread, which writes them. At most `ahead` batches are posted before the importer takes one
 * (a `credit` message each), so memory stays bounded whatever the file size.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../errors/index.js';
import { encodeBatch, transferList } from './batch-codec.js';
import { readFileRows } from './file-rows.js';
import type { FileRows } from './file-rows.js';
import { validateBatches } from './validate-batches.js';
import type { ColumnEncodings } from './validate-batches.js';
import type { ImportWorkerData, WorkerMessage } from './worker-protocol.js';

const port = parentPort;
if (port === null) throw new Error('import-worker.ts runs as a worker thread');
const data = workerData as ImportWorkerData;
let credits = data.ahead;
let wake: (() => void) | undefined;
port.on('message', (m: unknown) => {
  if (m !== 'credit') return;
  credits++;
  wake?.();
  wake = undefined;
});
const post = (m: WorkerMessage, transfer?: ArrayBuffer[]): void => port.postMessage(m, transfer);

async function run(source: FileRows): Promise<void> {
  const encodings: ColumnEncodings = {};
  for await (const batch of validateBatches(source.rows, { today: data.today, batchSize: data.batchSize, encodings })) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits--;
    const wire = encodeBatch(batch, source.fields(), source.bytesRead());
    post({ type: 'batch', batch: wire }, transferList(wire));
  }
  const sha256 = await source.sha256();
  post({ type: 'done', sha256, bytesRead: source.bytesRead(), encodings, fileEncoding: source.fileEncoding() });
}

const source = readFileRows(data.file, data.format);
run(source).catch(async (e: unknown) => {
  const sha256 = await source.sha256().catch(() => '');
  const err = e instanceof Error ? e : new Error(String(e));
  post({
    type: 'error',
    sha256,
    error: err instanceof AppError ? { message: err.message, code: err.code, status: err.status, details: err.details } : { message: err.message },
  });
});
