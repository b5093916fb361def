/**
 * Test helper: runs `vaxpass` commands in-process, silencing commander and mapping errors to
 * exit codes the way main() does (usage 2, AppError 2 or 1 by status), with what they printed.
 */
import { Command } from 'commander';
import type { DbHandle } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { exitCodeOf } from '../exit-code.js';
import { captureOutput } from './capture-output.js';

/** What a command run gave: exit code, stdout, stderr (plus the error main() would print). */
export interface CliRun {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

/**
 * A test database to hand to commands as their database: the test disposes it, not the command.
 * @param testDb - the test's database
 */
export function keepOpen<T extends DbHandle>(testDb: T): T {
  return { ...testDb, close: () => Promise.resolve() };
}

function silence(c: Command): void {
  c.exitOverride();
  c.configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  for (const sub of c.commands) silence(sub);
}

/**
 * Runs `program` (already registered) on `args`.
 * @param program - the program
 * @param args - arguments after `vaxpass`
 */
export async function runProgram(program: Command, args: readonly string[]): Promise<CliRun> {
  silence(program);
  const r = await captureOutput(async () => {
    try {
      await program.parseAsync(['node', 'vaxpass', ...args]);
      return { code: typeof process.exitCode === 'number' ? process.exitCode : 0, extra: '' };
    } catch (e) {
      const code = exitCodeOf(e);
      if (code === undefined) throw e;
      return { code, extra: e instanceof AppError ? `error ${e.code}: ${e.message}` : (e as Error).message };
    }
  });
  return { code: r.result.code, out: r.out, err: r.err + r.result.extra };
}

/**
 * Builds a fresh program with `register` and runs it on `args`.
 * @param register - registers the commands under test on the program
 * @param args - arguments after `vaxpass`
 */
export function runCli(register: (program: Command) => void, args: readonly string[]): Promise<CliRun> {
  const program = new Command('vaxpass');
  register(program);
  return runProgram(program, args);
}

/** A command registration that takes its database from `deps.openDb`. */
export type DbCommandRegistration = (program: Command, deps: { openDb: () => Promise<DbHandle> }) => void;

/**
 * Runs commands on the test's database (kept open for the test), as main() would.
 * @param testDb - the test's database
 * @param registers - the commands under test
 * @param args - arguments after `vaxpass`
 */
export function runOnTestDb(testDb: DbHandle, registers: readonly DbCommandRegistration[], args: readonly string[]): Promise<CliRun> {
  const handle = keepOpen(testDb);
  const deps = { openDb: () => Promise.resolve(handle) };
  return runCli((p) => {
    for (const register of registers) register(p, deps);
  }, args);
}
