export { AppError, toProblem } from './app-error.js';
export type { Problem } from './app-error.js';
