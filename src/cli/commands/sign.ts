/**
 * Facility signing on the command line (issue 6, step 2), against the configured database
 * (`VAXPASS_DB`, migrated on open) with keys from VAXPASS_KEY_* (see `vaxpass pki`):
 *
 * - `vaxpass sign --facility CODE [--date YYYY-MM-DD] [--all] [--ensure-cert] [--json]` — sign
 *   the records the facility entered or changed that day (Viet Nam time; default today), or
 *   every unsigned one, with the key of its signing unit;
 * - `vaxpass sign verify --person ID | --dose ID [--json]` — the verdict on each dose
 *   (valid, unsigned, stale, invalid); exit 1 when any is invalid.
 */
import { InvalidArgumentError } from 'commander';
import type { Command } from 'commander';
import type { DbHandle } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import { signFacilityRecords, signedDosesFor, verifyDoseSignature } from '../../issuance/index.js';
import type { DoseSignatureVerdict, SignResult } from '../../issuance/index.js';
import { KeyCustody, pkiOptionsFromEnv } from '../../trust/pki/index.js';
import { cliActor, withCliDb } from './cli-db.js';

/** Seams for tests. */
export interface SignCommandDeps {
  /** Opens a migrated database; the command closes it when done. */
  openDb?: () => Promise<DbHandle>;
  /** Environment for the key options (default process.env). */
  env?: NodeJS.ProcessEnv;
}

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function id(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError('a whole number ≥ 1');
  return n;
}

function summary(r: SignResult): string {
  const what = r.date === null ? 'all unsigned records' : `records of ${r.date}`;
  const scope = r.facilityCodes.length === 1 ? r.facilityCode : `${r.facilityCodes.length} facilities of the province`;
  const cert = `certificate ${r.signer.certificateId} (kid ${r.signer.kid})${r.signer.certificateCreated ? ', issued now' : ''}`;
  return `signed ${r.signed} ${what} of ${scope} as ${r.signer.facilityCode} with ${cert}; ${r.alreadySigned} already signed, ${r.skipped} voided skipped (${r.ms} ms)`;
}

function verdictLine(v: DoseSignatureVerdict): string {
  return `${String(v.doseId).padStart(8)}  ${v.status.padEnd(8)} ${v.message}`;
}

/**
 * Registers `sign` and `sign verify`.
 * @param program - the root command
 * @param deps - test seams
 */
export function registerSign(program: Command, deps: SignCommandDeps = {}): void {
  const sign = program
    .command('sign')
    .description("sign a facility's dose records with its signing unit's key (the facility or its province's focal unit)")
    .option('--facility <code>', 'the facility (a focal unit signs every facility of its province)')
    .option('--date <yyyy-mm-dd>', 'records entered or changed that day, Viet Nam time (default today)')
    .option('--all', 'every unsigned record, whatever its day')
    .option('--ensure-cert', "issue the signing unit's data-signing certificate if it has none (development)")
    .option('--json', 'print JSON')
    .action(async (o: { facility?: string; date?: string; all?: boolean; ensureCert?: boolean; json?: boolean }) => {
      if (o.facility === undefined) throw new AppError('BAD_REQUEST', 'give --facility CODE (or use `vaxpass sign verify`)', 400);
      if (o.all && o.date !== undefined) throw new AppError('BAD_REQUEST', 'give --date or --all, not both', 400);
      const facilityCode = o.facility;
      const custody = new KeyCustody({ ...pkiOptionsFromEnv(deps.env ?? process.env), ...(o.json ? {} : { log: out }) });
      try {
        await withCliDb(deps, async ({ db }) => {
          const r = await signFacilityRecords(db, { custody, facilityCode, date: o.date, all: o.all, ensureCert: o.ensureCert, actor: cliActor() });
          out(o.json ? JSON.stringify(r, null, 2) : summary(r));
        });
      } finally {
        custody.close();
      }
    });

  sign
    .command('verify')
    .description("verify the facility signatures of a person's doses, or of one dose")
    .option('--person <id>', 'a person: each active dose', id)
    .option('--dose <id>', 'one dose', id)
    .option('--json', 'print JSON')
    .action(async (o: { person?: number; dose?: number; json?: boolean }) => {
      // The root program does not use positional options, so `sign` itself takes a `--json`
      // written after `verify`: honour it from either.
      const json = o.json === true || sign.opts<{ json?: boolean }>().json === true;
      if ((o.person === undefined) === (o.dose === undefined)) throw new AppError('BAD_REQUEST', 'give --person ID or --dose ID', 400);
      await withCliDb(deps, async ({ db }) => {
        const verdicts = o.dose !== undefined ? [await verifyDoseSignature(db, o.dose)] : await signedDosesFor(db, o.person ?? 0);
        if (json) out(JSON.stringify(verdicts, null, 2));
        else if (verdicts.length === 0) out(`person ${o.person ?? ''} has no active doses`);
        else for (const v of verdicts) out(verdictLine(v));
        if (verdicts.some((v) => v.status === 'invalid')) process.exitCode = 1;
      });
    });
}
