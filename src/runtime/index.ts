/**
 * Process plumbing shared by every capability: starting module workers from built code or from
 * the TypeScript sources. Imports nothing of ours.
 */
export { startModuleWorker } from './module-worker.js';
