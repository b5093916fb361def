/**
 * How the command line turns a thrown error into an exit code: 0 for help and version, 2 for bad
 * usage (commander) or a caller's error (AppError below 500), 1 for a server-side AppError.
 * Shared by main() and the in-process test runner so both map errors alike.
 */
import { CommanderError } from 'commander';
import { AppError } from '../errors/index.js';

/** Exit code for bad usage (unknown option, missing argument, unreadable input). */
export const EXIT_USAGE = 2;

/**
 * The exit code for an error a command threw; undefined for anything unexpected (a bug, which
 * main() reports with its stack and exit code 1).
 * @param err - what was thrown
 */
export function exitCodeOf(err: unknown): number | undefined {
  if (err instanceof CommanderError) return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help' ? 0 : EXIT_USAGE;
  if (err instanceof AppError) return err.status >= 500 ? 1 : EXIT_USAGE;
  return undefined;
}
