/**
 * `vaxpass start` (what `npm start` runs): migrates the database, assembles the trust store,
 * prints what it did one line per stage, and serves the API.
 */
import { inspect } from 'node:util';
import { serve } from '@hono/node-server';
import type { Command } from 'commander';
import { sql } from 'kysely';
import { createApp } from '../../api/index.js';
import { getConfig } from '../../config/index.js';
import { createDb, migrateToLatest } from '../../db/index.js';
import { issueHc1 } from '../../hcert/index.js';
import type { TrustedKey } from '../../hcert/index.js';
import { decodeQrImage } from '../../hcert/qr/index.js';
import { RevocationList, loadCertificates, loadDbTrustStore, makeDevSigner } from '../../trust/index.js';
import { demoDcc } from '../demo-dcc.js';

/** Registers `vaxpass start`. */
export function registerStart(program: Command): void {
  program
    .command('start')
    .description('migrate the database and serve the API (the embedded default: SQLite in ./data)')
    .option('--trust <dir>', 'directory of trusted DSC certificates (PEM/DER)', process.env.VAXPASS_TRUST_DIR ?? './data/trust')
    .option('--no-demo-signer', 'do not create the in-memory demo signer')
    .action(async (opts: { trust: string; demoSigner: boolean }) => {
      await start(opts);
    });
}

async function start(opts: { trust: string; demoSigner: boolean }): Promise<void> {
  const config = getConfig();
  const say = (line: string): void => void process.stdout.write(`${line}\n`);
  const t0 = performance.now();

  const handle = createDb(config.db);
  const migrated = await migrateToLatest(handle.db);
  if (migrated.error) throw migrated.error instanceof Error ? migrated.error : new Error(`migration failed: ${inspect(migrated.error)}`);
  say(`database   ${handle.dialect} ${config.db.kind === 'sqlite' ? config.db.file : '(postgres)'}: ${migrated.results.length} migration(s) applied`);

  const extra: TrustedKey[] = [];
  const loaded = loadCertificates(opts.trust);
  extra.push(...loaded.keys);
  for (const e of loaded.errors) say(`trust      skipped ${e.file}: ${e.reason}`);

  let sample: string | undefined;
  if (opts.demoSigner) {
    // A demo DSC whose private key exists only in this process, so the verify endpoint can be
    // tried at once. Real signing keys come from the PKI (vaxpass pki), never from here.
    const demo = await makeDevSigner('ES256', { cn: 'VaxPass demo DSC (in-memory, not for production)' });
    extra.push(demo.trusted);
    const iat = Math.floor(Date.now() / 1000);
    sample = issueHc1(demoDcc(), { signer: demo.signer, iss: 'VN', iat, exp: iat + 365 * 86400 });
    say(`demo       in-memory demo signer, kid ${Buffer.from(demo.signer.kid).toString('base64')}`);
  }

  const trust = await loadDbTrustStore(handle.db, { extra });
  const revocation = await RevocationList.fromDb(handle.db);
  say(`trust      ${trust.all().length} signing certificate(s): database + ${loaded.keys.length} from ${opts.trust}${opts.demoSigner ? ' + demo' : ''}`);

  const app = createApp({
    trust,
    revocation,
    db: handle.db,
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
  say(`serving    ${base}  (GET /health, GET /version, POST /verify) — ready in ${Math.round(performance.now() - t0)} ms`);
  if (sample) {
    say('');
    say('sample certificate (try it):');
    say(`  curl -s ${base}/verify -H 'content-type: text/plain' --data '${sample}'`);
  }
  const stop = (): void => {
    server.close();
    void handle.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await new Promise<void>(() => undefined);
}
