/**
 * The active DSC as a `Signer` for the HC1 issuer, counting every signature per kid and UTC day.
 * Counting costs no database write per signature: counts are kept in memory and added to
 * `key_usage_daily` (an upsert that adds up) on flush(), on close() and every `flushEveryMs`.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../db/index.js';
import { AppError } from '../../errors/index.js';
import type { CoseAlg, Signer } from '../../hcert/index.js';
import type { KeyCustody } from './key-custody.js';
import { addKeyUsage, findCertificates, selectKeyUsage } from './pki-repository.js';
import { certificateOf, issuerOf } from './pki-service.js';

type Db = Kysely<Database>;

/** A Signer whose signatures are counted; flush() writes the counts, close() flushes and stops. */
export interface CountingSigner extends Signer {
  /** The DSC's certificate id. */
  readonly certificateId: number;
  /** Signatures counted but not yet written. */
  pending(): number;
  flush(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Wraps a signer so that each signature is counted per UTC day and written on flush.
 * @param db - database receiving the counts
 * @param signer - the signer to count
 * @param opts - flush period (0 = only on flush()/close()), clock
 */
export function countingSigner(db: Db, signer: Signer, opts: { flushEveryMs?: number; certificateId?: number; clock?: () => Date } = {}): CountingSigner {
  const kid = Buffer.from(signer.kid).toString('base64');
  const clock = opts.clock ?? ((): Date => new Date());
  let counts = new Map<string, number>();
  let total = 0;
  let closed = false;
  let flushing: Promise<void> = Promise.resolve();

  const flushNow = async (): Promise<void> => {
    if (counts.size === 0) return;
    const batch = counts;
    counts = new Map();
    total = 0;
    try {
      await addKeyUsage(db, [...batch].map(([day, count]) => ({ kid, day, count })));
    } catch (err) {
      // Put the counts back so the next flush retries them.
      for (const [day, n] of batch) counts.set(day, (counts.get(day) ?? 0) + n);
      total += [...batch.values()].reduce((a, b) => a + b, 0);
      throw err;
    }
  };
  // Flushes are chained so two never write the same counts.
  const flush = (): Promise<void> => (flushing = flushing.catch(() => undefined).then(flushNow));
  const timer = opts.flushEveryMs ? setInterval(() => void flush().catch((e: unknown) => console.error(`key usage flush failed: ${(e as Error).message}`)), opts.flushEveryMs) : undefined;
  timer?.unref();

  return {
    kid: signer.kid,
    alg: signer.alg,
    ...(signer.notAfter ? { notAfter: signer.notAfter } : {}),
    certificateId: opts.certificateId ?? 0,
    sign(data: Uint8Array): Uint8Array {
      if (closed) throw new AppError('SIGNER_CLOSED', 'this signer was closed', 500);
      const sig = signer.sign(data);
      const day = clock().toISOString().slice(0, 10);
      counts.set(day, (counts.get(day) ?? 0) + 1);
      total++;
      return sig;
    },
    pending: () => total,
    flush,
    async close(): Promise<void> {
      closed = true;
      if (timer) clearInterval(timer);
      await flush();
    },
  };
}

/**
 * A counting Signer over the newest active DSC (of `alg`, if given). Its `notAfter` is the
 * DSC's, so the issuer refuses an `exp` beyond it.
 * @param db - database
 * @param opts - key custody, algorithm, flush period (default 10 s)
 */
export async function loadActiveDscSigner(db: Db, opts: { custody: KeyCustody; alg?: CoseAlg; flushEveryMs?: number }): Promise<CountingSigner> {
  const active = (await findCertificates(db, { roles: ['dsc'], statuses: ['active'] })).filter((r) => !opts.alg || r.alg === opts.alg);
  const row = active.at(-1);
  if (!row) throw new AppError('PKI_NO_ACTIVE_DSC', `no active${opts.alg ? ` ${opts.alg}` : ''} DSC: run \`vaxpass pki init\` or \`vaxpass pki rotate\``, 409);
  const cert = certificateOf(row);
  const { sign } = await issuerOf(db, opts.custody, row);
  const signer: Signer = { kid: Buffer.from(row.kid, 'base64'), alg: row.alg as CoseAlg, notAfter: new Date(cert.validTo), sign };
  return countingSigner(db, signer, { flushEveryMs: opts.flushEveryMs ?? 10_000, certificateId: row.id });
}

/** Signature counts of one key on one day. */
export interface KeyUsageRow {
  kid: string;
  day: string;
  count: number;
}

/**
 * How many signatures keys made, per day, and in total.
 * @param db - database
 * @param filter - kid (base64), first and last UTC day (`YYYY-MM-DD`, inclusive)
 */
export async function keyUsage(db: Db, filter: { kid?: string; from?: string; to?: string } = {}): Promise<{ rows: KeyUsageRow[]; total: number }> {
  const rows = await selectKeyUsage(db, filter);
  return { rows, total: rows.reduce((a, r) => a + r.count, 0) };
}
