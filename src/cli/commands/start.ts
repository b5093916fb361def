/**
 * `vaxpass start` (what `npm start` runs) on the embedded default or PostgreSQL: migrates the
 * database, creates the PKI on first start (CSCA, DSC, facility CA, trust-list signer; keys in
 * encrypted files or the HSM), assembles the trust store and revocation list, prints what it did
 * one line per stage with a sample certificate signed by the active DSC, and serves the API.
 */
import { inspect } from 'node:util';
import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { sql } from 'kysely';
import { createApp } from '../../api/index.js';
import { getConfig } from '../../config/index.js';
import { createDb, migrateToLatest } from '../../db/index.js';
import { issueHc1 } from '../../hcert/index.js';
import { decodeQrImage } from '../../hcert/qr/index.js';
import { KeyCustody, RevocationList, loadActiveDscSigner, loadDbTrustStore, pkiInit, pkiOptionsFromEnv, trustedKeysFromFiles } from '../../trust/index.js';
import { demoDcc } from '../demo-dcc.js';
import { deliverPending, notificationTransportFromEnv } from '../../notify/index.js';
import { runIssuanceWorker } from '../../issuance/index.js';
import { runStartStages } from './start-stages.js';

const YEAR_S = 365 * 86400;

/** Registers `vaxpass start`. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('migrate, create the PKI on first start, and serve the API (the embedded default: SQLite in ./data)')
    .option('--trust <dir>', 'extra trusted DSC certificates (PEM/DER files)', process.env.VAXPASS_TRUST_DIR ?? './data/trust')
    .action(async (opts: { trust: string }) => {
      await start(opts);
    });
}

async function start(opts: { trust: string }): Promise<void> {
  const config = getConfig();
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const t0 = performance.now();

  const handle = createDb(config.db);
  const migrated = await migrateToLatest(handle.db);
  if (migrated.error) throw migrated.error instanceof Error ? migrated.error : new Error(`migration failed: ${inspect(migrated.error)}`);
  say(`database   ${handle.dialect} ${config.db.kind === 'sqlite' ? config.db.file : '(postgres)'}: ${migrated.results.length} migration(s) applied`);

  const custody = new KeyCustody({ ...pkiOptionsFromEnv(), log: say });
  const pki = await pkiInit(handle.db, { custody });
  say(`pki        ${pki.created.length > 0 ? `created ${pki.created.join(', ')}` : 'reused'}: ${pki.certificates.length} certificate(s), keys in ${custody.opts.backend === 'file' ? 'encrypted files' : 'the HSM'}`);

  const stages = await runStartStages(handle, custody, config, say);

  const loaded = trustedKeysFromFiles(opts.trust);
  for (const e of loaded.errors) say(`trust      skipped ${e.entry}: ${e.reason}`);
  const trust = await loadDbTrustStore(handle.db, { extra: loaded.keys });
  const revocation = await RevocationList.fromDb(handle.db);
  say(`trust      ${trust.all().length} signing certificate(s) (ours and imported, + ${loaded.keys.length} from ${opts.trust})`);

  // A sample: a passport issued above, or (nothing seeded) a fictitious citizen's, signed by the active DSC.
  let sample = stages.sampleHc1;
  if (sample === undefined) {
    const signer = await loadActiveDscSigner(handle.db, { custody });
    const iat = Math.floor(Date.now() / 1000);
    const exp = Math.min(iat + YEAR_S, Math.floor((signer.notAfter?.getTime() ?? Infinity) / 1000));
    sample = issueHc1(demoDcc(), { signer, iss: 'VN', iat, exp });
    await signer.close();
  }

  const app = createApp({
    trust,
    revocation,
    trustProxy: config.trustProxy,
    db: handle.db,
    custody,
    refresh: async () => {
      await Promise.all([trust.reloadIfChanged(10_000), revocation.refreshIfStale(handle.db, 10_000)]);
    },
    onRevocationChange: async () => {
      await revocation.refreshFromDb(handle.db);
    },
    dbHealth: async () => {
      await sql`select 1`.execute(handle.db);
      return handle.dialect;
    },
    decodeImage: decodeQrImage,
  });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const base = `http://localhost:${config.port}`;
  say(`serving    ${base} — ready in ${Math.round(performance.now() - t0)} ms`);
  say('           GET /health /version /trust/dsc /trust/csca /trust/signer /trust/revocation · POST /verify /trust/revocation');
  say(`           registry /api/v1/… · API docs ${base}/docs`);
  say('');
  say('demo logins (Authorization: Bearer …; development only, kept in ./data/secrets/demo-tokens.json):');
  for (const tk of stages.tokens) say(`  ${tk.role.padEnd(9)}${(tk.scope ?? 'national').padEnd(10)} ${tk.secret}`);
  say('');
  say(stages.sampleHc1 === undefined ? 'sample certificate (a fictitious citizen), try it:' : 'sample passport (a synthetic citizen), try it:');
  say(`  curl -s ${base}/verify -H 'content-type: text/plain' --data '${sample}'`);
  // Citizen notifications (report updates, renewals) leave the outbox every few seconds.
  const transport = notificationTransportFromEnv(process.env);
  const deliver = setInterval(() => {
    deliverPending(handle.db, transport, { limit: 500 }).catch((e: unknown) => {
      process.stderr.write(`notify: ${(e as Error).message}\n`);
    });
  }, 5000);
  // Automatic issuance: verified people, newly signed doses and corrections get their passport
  // (or a re-issue, superseding/revoking the old one) within seconds.
  const issuing = new AbortController();
  const workerSigner = await loadActiveDscSigner(handle.db, { custody });
  void runIssuanceWorker(handle.db, {
    signer: workerSigner,
    actor: 'system:worker',
    signal: issuing.signal,
    onPass: (r) => {
      const issued = [...r.drained.outcomes, ...r.scanned.outcomes].filter((o) => o.status === 'issued').length;
      if (issued > 0) say(`issue      ${issued} passport(s) issued or re-issued automatically`);
    },
    onError: (e) => process.stderr.write(`issuance worker: ${(e as Error).message}\n`),
  });
  const stop = (): void => {
    issuing.abort();
    void workerSigner.close();
    clearInterval(deliver);
    server.close();
    custody.close();
    void handle.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise<void>(() => undefined);
}
