/**
 * Foreign trust and revocation on the command line, against the configured database
 * (`VAXPASS_DB`, migrated on open):
 *
 * - `vaxpass pki import-csca FILE|URL [--json]` — CSCAs foreign DSCs must chain to;
 * - `vaxpass pki import-trustlist FILE|URL [--json]` — foreign DSCs (EU gateway JSON or a bundle);
 *   one line per entry and a summary; exit 1 when any entry was rejected;
 * - `vaxpass pki trustlist [--json]` — what was imported;
 * - `vaxpass revoke HC1 | --uvci U --kid K [--country C] [--expires T] --reason R [--actor A]`;
 * - `vaxpass revocation export [--since T]` — the list as `GET /trust/revocation` serves it.
 */
import type { Command } from 'commander';
import { AppError } from '../../errors/index.js';
import { REVOCATION_REASONS, listRevocations, revokeCertificate } from '../../trust/revocation.js';
import type { RevocationReason, RevokeRequest } from '../../trust/revocation.js';
import { importCscaList, importTrustList } from '../../trust/trust-list-import.js';
import type { ImportResult } from '../../trust/trust-list-import.js';
import { listImportedTrust } from '../../trust/trust-list-import-repository.js';
import { cliActor, withCliDb } from './cli-db.js';
import type { CliDbDeps } from './cli-db.js';


function out(line: string): void {
  process.stdout.write(`${line}\n`);
}


function printImport(r: ImportResult, json: boolean | undefined): void {
  if (json) {
    out(JSON.stringify(r, null, 2));
  } else {
    for (const e of r.results) {
      const who = [e.country ?? '??', e.kid ? `kid ${e.kid}` : '', e.subject ?? ''].filter((s) => s !== '').join('  ');
      out(`${e.status.padEnd(9)} ${e.entry}  ${who}${e.reason ? `\n          ${e.reason}` : ''}`);
    }
    const c = r.counts;
    out(`${r.source}: ${c.accepted} accepted, ${c.duplicate} duplicate, ${c.rejected} rejected, ${c.skipped} skipped`);
  }
  if (r.counts.rejected > 0) process.exitCode = 1;
}

/**
 * Registers `pki import-csca`, `pki import-trustlist`, `pki trustlist`, `revoke` and
 * `revocation export`. The `pki` command is shared with the PKI's own sub-commands.
 * @param program - the root command
 * @param deps - how to open the database
 */
export function registerTrust(program: Command, deps: CliDbDeps = {}): void {
  const pki = program.commands.find((c) => c.name() === 'pki') ?? program.command('pki').description('national PKI and foreign trust');

  pki
    .command('import-csca')
    .description('import foreign CSCAs (PEM/DER, JSON {"csca": [base64…]}, or EU gateway entries of type CSCA)')
    .argument('<source>', 'file, directory or http(s) URL')
    .option('--json', 'print the results as JSON')
    .action(async (source: string, opts: { json?: boolean }) => {
      await withCliDb(deps, async ({ db }) => printImport(await importCscaList(db, source, { actor: cliActor() }), opts.json));
    });

  pki
    .command('import-trustlist')
    .description('import foreign DSCs (EU gateway trust list, PEM bundle, or JSON {"dsc": [base64…]}); each must chain to its country\'s CSCA')
    .argument('<source>', 'file, directory or http(s) URL')
    .option('--json', 'print the results as JSON')
    .action(async (source: string, opts: { json?: boolean }) => {
      await withCliDb(deps, async ({ db }) => printImport(await importTrustList(db, source, { actor: cliActor() }), opts.json));
    });

  pki
    .command('trustlist')
    .description('list the imported CSCAs and DSCs')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      await withCliDb(deps, async ({ db }) => {
        const rows = await listImportedTrust(db);
        if (opts.json) return out(JSON.stringify(rows, null, 2));
        for (const r of rows) out(`${r.type.padEnd(4)} ${r.country}  ${r.status ?? 'active'}  ${r.kid ? `kid ${r.kid}  ` : ''}${r.subject}  (${r.source})`);
        out(`${rows.filter((r) => r.type === 'CSCA').length} CSCA(s), ${rows.filter((r) => r.type === 'DSC').length} DSC(s)`);
      });
    });

  program
    .command('revoke')
    .description('revoke a certificate (its HC1 text, or its UVCI and the kid of the DSC that signed it)')
    .argument('[hc1]', 'the HC1: text')
    .option('--uvci <uvci>', 'the certificate identifier (with --kid)')
    .option('--kid <kid>', 'base64 kid of the signing DSC (with --uvci)')
    .option('--country <cc>', 'country of the certificate (default: from the UVCI)')
    .option('--expires <time>', "the certificate's expiry, ISO 8601 (with --uvci)")
    .requiredOption('--reason <reason>', REVOCATION_REASONS.join(' | '))
    .option('--actor <actor>', 'who revokes (default cli:<os user>)')
    .action(async (hc1: string | undefined, opts: { uvci?: string; kid?: string; country?: string; expires?: string; reason: string; actor?: string }) => {
      const request = revokeRequest(hc1, opts);
      await withCliDb(deps, async ({ db }) => {
        const r = await revokeCertificate(db, request);
        for (const e of r.entries) out(`${e.created ? 'revoked ' : 'already '} ${e.hashType.padEnd(14)} ${e.hash}`);
        out(`kid ${r.kid}, reason ${r.reason}, expires ${r.expiresAt ?? 'unknown'}`);
      });
    });

  program
    .command('revocation')
    .description('certificate revocation list')
    .command('export')
    .description('print the revocation list as JSON (as GET /trust/revocation serves it)')
    .option('--since <time>', 'only what was added since this ISO 8601 time')
    .action(async (opts: { since?: string }) => {
      const since = opts.since === undefined ? undefined : new Date(opts.since);
      if (since && Number.isNaN(since.getTime())) throw new AppError('USAGE', `--since is not an ISO 8601 time: ${opts.since}`);
      await withCliDb(deps, async ({ db }) => out(JSON.stringify(await listRevocations(db, since ? { since } : {}), null, 2)));
    });
}

function revokeRequest(hc1: string | undefined, o: { uvci?: string; kid?: string; country?: string; expires?: string; reason: string; actor?: string }): RevokeRequest {
  if (!(REVOCATION_REASONS as readonly string[]).includes(o.reason)) throw new AppError('USAGE', `--reason must be one of ${REVOCATION_REASONS.join(', ')}`);
  const common = { reason: o.reason as RevocationReason, actor: o.actor ?? cliActor() };
  if (hc1 !== undefined) {
    if (o.uvci !== undefined || o.kid !== undefined) throw new AppError('USAGE', 'give either the HC1 text or --uvci with --kid, not both');
    return { ...common, hc1 };
  }
  if (o.uvci === undefined || o.kid === undefined) throw new AppError('USAGE', 'give the HC1 text, or --uvci and --kid');
  const expiresAt = o.expires === undefined ? undefined : new Date(o.expires);
  if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new AppError('USAGE', `--expires is not an ISO 8601 time: ${o.expires}`);
  return { ...common, uvci: o.uvci, kid: o.kid, ...(o.country ? { country: o.country } : {}), ...(expiresAt ? { expiresAt } : {}) };
}
