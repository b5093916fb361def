/**
 * `vaxpass pki …`: our national PKI on the configured database (VAXPASS_DB, migrated on the
 * fly so a fresh SQLite file works) with keys in VAXPASS_KEY_BACKEND (`file`: encrypted key files
 * in VAXPASS_KEY_DIR, passphrase from VAXPASS_KEY_PASSPHRASE(_FILE) or the generated dev secret;
 * `pkcs11`: VAXPASS_PKCS11_*).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { InvalidArgumentError, Option } from 'commander';
import type { Command } from 'commander';
import { getConfig } from '../../config/index.js';
import { createDb, migrateToLatest } from '../../db/index.js';
import type { DbHandle } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import type { CoseAlg } from '../../hcert/index.js';
import {
  KeyCustody,
  TrustListPublisher,
  certificateOf,
  issueDsc,
  issueFacilityCert,
  keyUsage,
  listCertificates,
  pkiInit,
  pkiOptionsFromEnv,
  revokeDsc,
  rotateDsc,
} from '../../trust/pki/index.js';
import type { PkiCertificate } from '../../trust/pki/index.js';
import { cliActor } from './cli-db.js';

/** Seams for tests: which database and environment the commands use. */
export interface PkiCommandDeps {
  /** Opens the database (default: createDb(getConfig().db)). */
  openDb?: () => DbHandle;
  /** Environment for the key options (default process.env). */
  env?: NodeJS.ProcessEnv;
}

type Db = DbHandle['db'];

function out(line: string): void {
  process.stdout.write(`${line}\n`);
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1) throw new InvalidArgumentError('a whole number ≥ 1');
  return n;
}

function rsaBits(value: string): 2048 | 3072 {
  if (value !== '2048' && value !== '3072') throw new InvalidArgumentError('2048 or 3072');
  return Number(value) as 2048 | 3072;
}

const algOption = (): Option => new Option('--alg <alg>', 'DSC algorithm').choices(['ES256', 'PS256']).default('ES256');
const daysOption = (): Option => new Option('--dsc-days <n>', 'DSC validity in days').argParser(positiveInt).default(730);
const bitsOption = (): Option => new Option('--rsa-bits <n>', 'RSA modulus for PS256 (2048 or 3072)').argParser(rsaBits).default(3072);

function line(c: PkiCertificate): string {
  const backend = c.keyBackend ? ` [${c.keyBackend}]` : '';
  return `${String(c.id).padStart(4)}  ${c.role.padEnd(11)} ${c.status.padEnd(8)} ${c.alg}  kid ${c.kid}  ${c.notBefore.slice(0, 10)} → ${c.notAfter.slice(0, 10)}${backend}  ${c.subject}`;
}

/**
 * Registers `vaxpass pki …` (reusing a `pki` command another module created).
 * @param program - the root command
 * @param deps - test seams
 */
export function registerPki(program: Command, deps: PkiCommandDeps = {}): void {
  const withPki = async <T>(work: (db: Db, custody: KeyCustody) => Promise<T>): Promise<T> => {
    const handle = deps.openDb ? deps.openDb() : createDb(getConfig().db);
    const custody = new KeyCustody({ ...pkiOptionsFromEnv(deps.env ?? process.env), log: out });
    try {
      const { error } = await migrateToLatest(handle.db);
      if (error !== undefined) throw new AppError('DB_MIGRATION_FAILED', `migrating the database failed: ${error instanceof Error ? error.message : inspect(error)}`, 500);
      return await work(handle.db, custody);
    } finally {
      custody.close();
      await handle.close();
    }
  };

  const pki = program.commands.find((c) => c.name() === 'pki') ?? program.command('pki');
  if (!pki.description()) pki.description('national PKI: CSCA, DSCs, facility certificates, trust lists, key usage');

  pki
    .command('init')
    .description('create the CSCA, a DSC, the facility CA and the trust-list signer (idempotent)')
    .addOption(algOption())
    .addOption(daysOption())
    .addOption(bitsOption())
    .action((o: { alg: CoseAlg; dscDays: number; rsaBits: 2048 | 3072 }) =>
      withPki(async (db, custody) => {
        const r = await pkiInit(db, { custody, alg: o.alg, validityDays: o.dscDays, modulusLength: o.rsaBits });
        for (const role of ['csca', 'dsc', 'facility_ca', 'trustlist']) {
          const c = r.certificates.filter((x) => x.role === role && x.status === 'active').at(-1);
          if (c) out(`${r.created.includes(role) ? 'created ' : 'exists  '} ${line(c)}`);
        }
        out(r.created.length === 0 ? 'PKI already initialised: nothing changed' : `created ${r.created.join(', ')} (keys: ${custody.opts.backend})`);
      }),
    );

  pki
    .command('issue-dsc')
    .description('issue an additional active DSC under the CSCA')
    .addOption(algOption())
    .addOption(daysOption())
    .addOption(bitsOption())
    .action((o: { alg: CoseAlg; dscDays: number; rsaBits: 2048 | 3072 }) =>
      withPki(async (db, custody) => out(`issued   ${line(await issueDsc(db, { custody, alg: o.alg, validityDays: o.dscDays, modulusLength: o.rsaBits }))}`)),
    );

  pki
    .command('issue-facility-cert')
    .description('issue a data-signing certificate for a vaccination facility or province (facility CA)')
    .requiredOption('--owner <code>', 'facility or province code')
    .addOption(new Option('--kind <kind>', 'owner kind').choices(['facility', 'province']).default('facility'))
    .action((o: { owner: string; kind: 'facility' | 'province' }) =>
      withPki(async (db, custody) => out(`issued   ${line(await issueFacilityCert(db, { custody, owner: o.owner, kind: o.kind }))}`)),
    );

  pki
    .command('list')
    .description('list our certificates')
    .option('--json', 'print JSON')
    .action((o: { json?: boolean }) =>
      withPki(async (db) => {
        const all = await listCertificates(db);
        if (o.json) out(JSON.stringify(all, null, 2));
        else for (const c of all) out(line(c));
        if (!o.json && all.length === 0) out('no certificates: run `vaxpass pki init`');
      }),
    );

  pki
    .command('rotate')
    .description('issue a new DSC that becomes the active signer; the old one is retired (verifies until its notAfter)')
    .addOption(algOption())
    .addOption(daysOption())
    .addOption(bitsOption())
    .action((o: { alg: CoseAlg; dscDays: number; rsaBits: 2048 | 3072 }) =>
      withPki(async (db, custody) => {
        const r = await rotateDsc(db, { custody, alg: o.alg, validityDays: o.dscDays, modulusLength: o.rsaBits, actor: cliActor() });
        out(`issued   ${line(r.issued)}`);
        for (const c of r.retired) out(`retired  ${line(c)}`);
      }),
    );

  pki
    .command('revoke-dsc')
    .description('revoke a DSC (audited); its certificates then fail with HC1_DSC_REVOKED')
    .argument('<id>', 'certificate id (see `pki list`)', positiveInt)
    .requiredOption('--reason <text>', 'why (e.g. key compromise)')
    .action((id: number, o: { reason: string }) => withPki(async (db) => out(`revoked  ${line(await revokeDsc(db, id, o.reason, cliActor()))}`)));

  pki
    .command('export-trustlist')
    .description('write the signed trust lists: dsc.json, csca.json, their .sig (DER ECDSA), signer.pem, csca.pem')
    .option('--out <dir>', 'output directory', './data/trustlist')
    .action((o: { out: string }) =>
      withPki(async (db, custody) => {
        const pub = new TrustListPublisher(db, custody);
        await mkdir(o.out, { recursive: true });
        for (const kind of ['dsc', 'csca'] as const) {
          const doc = await pub.document(kind);
          await writeFile(join(o.out, `${kind}.json`), doc.body);
          await writeFile(join(o.out, `${kind}.json.sig`), doc.signature);
          out(`wrote    ${join(o.out, `${kind}.json`)} (${(JSON.parse(doc.body) as unknown[]).length} certificate(s), ETag ${doc.etag}) and .sig`);
        }
        const pem = await pub.signerPem();
        await writeFile(join(o.out, 'signer.pem'), pem);
        const csca = (await listCertificates(db)).find((c) => c.role === 'csca' && c.status === 'active');
        if (csca) {
          const row = await db.selectFrom('pki_certificate').select('der').where('id', '=', csca.id).executeTakeFirstOrThrow();
          await writeFile(join(o.out, 'csca.pem'), certificateOf(row).toString());
        }
        out(`wrote    ${join(o.out, 'signer.pem')} and csca.pem  (check: openssl dgst -sha256 -verify <(openssl x509 -in signer.pem -pubkey -noout) -signature dsc.json.sig dsc.json)`);
      }),
    );

  pki
    .command('key-usage')
    .description('signatures made per key and UTC day')
    .option('--kid <kid>', 'one key (base64 kid)')
    .option('--from <day>', 'first day, YYYY-MM-DD')
    .option('--to <day>', 'last day, YYYY-MM-DD')
    .option('--json', 'print JSON')
    .action((o: { kid?: string; from?: string; to?: string; json?: boolean }) =>
      withPki(async (db) => {
        const u = await keyUsage(db, { ...(o.kid ? { kid: o.kid } : {}), ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) });
        if (o.json) {
          out(JSON.stringify(u, null, 2));
          return;
        }
        for (const r of u.rows) out(`${r.day}  ${r.kid}  ${r.count}`);
        out(`total ${u.total}`);
      }),
    );
}
