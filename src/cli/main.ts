/**
 * The `vaxpass` command line. Each capability registers its own sub-commands from
 * `./commands/<name>.ts`; this file only wires them and maps errors to exit codes
 * (0 ok, 1 a negative verdict or failure, 2 bad usage).
 */
import { Command } from 'commander';
import { AppError } from '../errors/index.js';
import { VERSION } from '../version.js';
import { exitCodeOf } from './exit-code.js';
import { registerBench } from './commands/bench.js';
import { registerConformance } from './commands/conformance.js';
import { registerDb } from './commands/db.js';
import { registerImport } from './commands/import.js';
import { registerIssue } from './commands/issue.js';
import { registerFacility } from './commands/facility.js';
import { registerFhir } from './commands/fhir.js';
import { registerPki } from './commands/pki.js';
import { registerPopulation } from './commands/population.js';
import { registerQr } from './commands/qr.js';
import { registerSeed } from './commands/seed.js';
import { registerSign } from './commands/sign.js';
import { registerStats } from './commands/stats.js';
import { registerStart } from './commands/start.js';
import { registerToken } from './commands/token.js';
import { registerTrust } from './commands/trust.js';
import { registerVerify } from './commands/verify.js';

export { EXIT_USAGE } from './exit-code.js';

/**
 * Runs the CLI and resolves to the process exit code.
 * @param argv - full `process.argv`
 */
export async function main(argv: readonly string[]): Promise<number> {
  const program = new Command('vaxpass')
    .description('VaxPass — Vietnam vaccine passports (EU DCC)')
    .version(VERSION)
    .exitOverride()
    .showHelpAfterError();
  registerDb(program);
  registerConformance(program);
  registerBench(program);
  registerStart(program);
  registerQr(program);
  registerVerify(program);
  registerPki(program);
  registerTrust(program);
  registerImport(program);
  registerIssue(program);
  registerSeed(program);
  registerFacility(program);
  registerFhir(program);
  registerToken(program);
  registerPopulation(program);
  registerSign(program);
  registerStats(program);

  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof AppError) process.stderr.write(`error ${err.code}: ${err.message}\n`);
    const code = exitCodeOf(err);
    if (code !== undefined) return code;
    process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}
