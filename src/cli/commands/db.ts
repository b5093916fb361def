import type { Command } from 'commander';

/** Registers `vaxpass db …` (migrate, status). Filled in by the database layer. */
export function registerDb(program: Command): void {
  program.command('db').description('database: migrate, status');
}
