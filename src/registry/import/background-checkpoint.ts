/**
 * WAL checkpoints of a SQLite import on another thread. By default the writing connection
 * checkpoints itself when a commit leaves more than 1000 pages in the WAL: the import's thread
 * then copies pages into the database file and waits for its fsync inside every few batches'
 * commits. A profile of a 200k-row import put ~2.4 s of its ~8 s in those commits; with the
 * checkpoints done by a second connection on a small thread (PASSIVE: never blocks the writer),
 * `writeBatch` alone went from ~27–32k to ~36–55k rows/s on the shared 2-core machine.
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/**
 * How often the checkpointer copies committed WAL pages to the database file. A page changed
 * between two checkpoints is copied once per checkpoint, and an import changes the same index
 * pages over and over: every 100 ms the thread spent 0.43–0.49 s of CPU on a 200k-row import,
 * every second 0.16–0.19 s (on a 2-core machine, CPU the import's other two threads need).
 */
const INTERVAL_MS = 1000;

// Plain CommonJS run with `eval`: no TypeScript loader needed in the thread, from src/ or dist/.
const CHECKPOINTER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { timeout: 5000 });
const timer = setInterval(() => {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: next tick */ }
}, workerData.interval);
parentPort.once('message', () => { clearInterval(timer); db.close(); parentPort.close(); });
`;

/**
 * Moves `sqlite`'s WAL checkpoints to a background thread until the returned stop is called
 * (which restores the connection's own checkpoints). Does nothing for an in-memory database or
 * one not in WAL mode.
 * @param sqlite - the importing connection
 * @returns stop: ends the thread and restores `wal_autocheckpoint`
 */
export function startBackgroundCheckpoints(sqlite: BetterSqlite3.Database): () => Promise<void> {
  if (sqlite.memory || sqlite.pragma('journal_mode', { simple: true }) !== 'wal') return () => Promise.resolve();
  const previous = Number(sqlite.pragma('wal_autocheckpoint', { simple: true }));
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(CHECKPOINTER, { eval: true, workerData: { driver, file: resolve(sqlite.name), interval: INTERVAL_MS } });
  const exited = new Promise<void>((res) => worker.once('exit', () => res()));
  // A failing checkpointer must not fail the import: the connection checkpoints again itself.
  worker.once('error', () => {
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${previous}`);
  });
  sqlite.pragma('wal_autocheckpoint = 0');
  let stopping: Promise<void> | undefined;
  return () =>
    (stopping ??= (async () => {
      worker.postMessage('stop');
      await exited;
      if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${previous}`);
    })());
}
