export { createApp } from './app.js';
export type { AppDeps } from './app.js';
