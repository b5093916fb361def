/**
 * Facilities on the command line, against the configured database (`VAXPASS_DB`):
 *
 * - `vaxpass facility add CODE --name NAME --province CODE [--district CODE] [--type TYPE]`
 * - `vaxpass facility list [--province CODE] [--json]`
 * - `vaxpass facility signing PROVINCE --mode facility|focal_unit [--focal CODE]`
 */
import type { Command } from 'commander';
import { addFacility, FACILITY_TYPES, listFacilities, setProvinceSigning } from '../../registry/index.js';
import type { Facility } from '../../registry/index.js';
import { cliActor, withCliDb } from './cli-db.js';
import type { CliDbDeps } from './cli-db.js';

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function line(f: Facility): string {
  return `${f.code.padEnd(16)} ${f.provinceCode} ${(f.districtCode ?? '---').padEnd(3)} ${f.type.padEnd(14)} ${f.active ? '' : '(inactive) '}${f.name}`;
}

/**
 * Registers `facility add|list|signing`.
 * @param program - the root command
 * @param deps - how to open the database
 */
export function registerFacility(program: Command, deps: CliDbDeps = {}): void {
  const facility = program.command('facility').description('vaccination facilities and who signs their data');

  facility
    .command('add')
    .description('add a facility')
    .argument('<code>', 'facility code (letters, digits, . _ -)')
    .requiredOption('--name <name>', 'facility name')
    .requiredOption('--province <code>', '2-digit province code, e.g. 01')
    .option('--district <code>', '3-digit district code')
    .option('--type <type>', FACILITY_TYPES.join(' | '), 'health_station')
    .action(async (code: string, opts: { name: string; province: string; district?: string; type: string }) => {
      await withCliDb(deps, async ({ db }) => {
        const f = await addFacility(db, { code, name: opts.name, provinceCode: opts.province, districtCode: opts.district, type: opts.type }, cliActor());
        out(`added ${line(f)}`);
      });
    });

  facility
    .command('list')
    .description('list facilities')
    .option('--province <code>', 'only this province')
    .option('--json', 'print JSON')
    .action(async (opts: { province?: string; json?: boolean }) => {
      await withCliDb(deps, async ({ db }) => {
        const rows = await listFacilities(db, { provinceCode: opts.province });
        if (opts.json) return out(JSON.stringify(rows, null, 2));
        for (const f of rows) out(line(f));
        out(`${rows.length} facilit${rows.length === 1 ? 'y' : 'ies'}`);
      });
    });

  facility
    .command('signing')
    .description("choose who signs a province's vaccination data: each facility, or one focal unit (so_y_te or cdc)")
    .argument('<province>', '2-digit province code')
    .requiredOption('--mode <mode>', 'facility | focal_unit')
    .option('--focal <code>', 'the focal unit (with --mode focal_unit)')
    .action(async (province: string, opts: { mode: string; focal?: string }) => {
      await withCliDb(deps, async ({ db }) => {
        const s = await setProvinceSigning(db, province, { mode: opts.mode, focalFacilityCode: opts.focal }, cliActor());
        out(`province ${s.provinceCode}: ${s.mode === 'focal_unit' ? `signed by focal unit ${s.focalFacilityCode ?? '?'}` : 'each facility signs its own data'}`);
      });
    });
}
