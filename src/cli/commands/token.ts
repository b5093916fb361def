/**
 * API tokens on the command line:
 *
 * - `vaxpass token create --role ROLE [--scope S] --name NAME` — prints the secret once;
 * - `vaxpass token list [--json]`;
 * - `vaxpass token revoke ID`.
 */
import type { Command } from 'commander';
import { createToken, listTokens, revokeToken, ROLES } from '../../auth/index.js';
import { AppError } from '../../errors/index.js';
import { cliActor, withCliDb } from './cli-db.js';
import type { CliDbDeps } from './cli-db.js';

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

/**
 * Registers `token create|list|revoke`.
 * @param program - the root command
 * @param deps - how to open the database
 */
export function registerToken(program: Command, deps: CliDbDeps = {}): void {
  const token = program.command('token').description('API bearer tokens (role + scope)');

  token
    .command('create')
    .description('create a token; its secret is printed once and never stored')
    .requiredOption('--role <role>', ROLES.join(' | '))
    .option('--scope <scope>', 'facility code (role facility) or province code (province, police)')
    .requiredOption('--name <name>', 'who or what uses it')
    .option('--json', 'print JSON')
    .action(async (opts: { role: string; scope?: string; name: string; json?: boolean }) => {
      await withCliDb(deps, async ({ db }) => {
        const { token: t, secret } = await createToken(db, { name: opts.name, role: opts.role, scope: opts.scope }, cliActor());
        if (opts.json) return out(JSON.stringify({ ...t, secret }, null, 2));
        out(secret);
        process.stderr.write(`token ${t.id} "${t.name}" role ${t.role}${t.scope === null ? '' : ` scope ${t.scope}`}: the secret above is shown only now\n`);
      });
    });

  token
    .command('list')
    .description('list tokens (never their secrets)')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withCliDb(deps, async ({ db }) => {
        const rows = await listTokens(db);
        if (opts.json) return out(JSON.stringify(rows, null, 2));
        for (const t of rows) out(`${String(t.id).padStart(4)} ${t.role.padEnd(9)} ${(t.scope ?? '-').padEnd(12)} ${t.revokedAt === null ? 'active ' : 'revoked'} ${t.name}`);
        out(`${rows.length} token(s)`);
      });
    });

  token
    .command('revoke')
    .description('revoke a token')
    .argument('<id>', 'token id (from token list)')
    .action(async (id: string) => {
      if (!/^\d+$/.test(id)) throw new AppError('USAGE', `token id must be a number (got "${id}")`);
      await withCliDb(deps, async ({ db }) => {
        const t = await revokeToken(db, Number(id), cliActor());
        out(`token ${t.id} "${t.name}" revoked at ${t.revokedAt ?? '?'}`);
      });
    });
}
