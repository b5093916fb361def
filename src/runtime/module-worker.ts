/**
 * Starting a worker thread on a sibling module, from compiled code or from the TypeScript
 * sources. Built code (dist/) runs `<name>.js` directly; under tsx (tests, `node --import tsx`)
 * a worker does not inherit the loader, so a tiny bootstrap registers tsx in the thread first
 * and then imports `<name>.ts`.
 */
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerOptions } from 'node:worker_threads';

/**
 * Starts a worker on the module `name` next to the caller.
 * @param callerUrl - the caller's `import.meta.url`
 * @param name - the worker module's file name without extension, e.g. `issue-worker`
 * @param options - worker options (`workerData`, `resourceLimits`…); `eval` is managed here
 */
export function startModuleWorker(callerUrl: string, name: string, options: Omit<WorkerOptions, 'eval'> = {}): Worker {
  if (extname(fileURLToPath(callerUrl)) !== '.ts') return new Worker(new URL(`./${name}.js`, callerUrl), options);
  const api = JSON.stringify(import.meta.resolve('tsx/esm/api'));
  const target = JSON.stringify(new URL(`./${name}.ts`, callerUrl).href);
  return new Worker(`import(${api}).then((tsx) => { tsx.register(); return import(${target}); });`, { ...options, eval: true });
}
