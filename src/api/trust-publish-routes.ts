/**
 * Publishing our trust anchors (EU DCC gateway trust-list format, see
 * src/trust/pki/publish-trust-list.ts):
 *
 * - `GET /trust/dsc`: our DSCs (active and retired, not revoked or expired);
 * - `GET /trust/csca`: our CSCA;
 * - `GET /trust/signer`: PEM of the trust-list signer followed by the CSCA.
 *
 * Lists carry a strong `ETag` (If-None-Match → 304) and `X-Signature`: base64 of the DER ECDSA
 * (SHA-256) signature of the exact body by the trust-list signer.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Kysely } from 'kysely';
import type { Database } from '../db/index.js';
import { KeyCustody, TrustListPublisher, pkiOptionsFromEnv } from '../trust/pki/index.js';
import type { TrustListKind } from '../trust/pki/index.js';

/** Collaborators of {@link trustPublishRoutes}; defaults come from the environment. */
export interface TrustPublishDeps {
  /** Key custody for the trust-list signer (default: from VAXPASS_KEY_* env). */
  custody?: KeyCustody;
  /** A publisher to share (default: one per router). */
  publisher?: TrustListPublisher;
}

/**
 * Whether an `If-None-Match` header matches the ETag (RFC 9110 §13.1.2; weak comparison).
 * @param header - the request's If-None-Match
 * @param etag - the current strong ETag
 */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

/**
 * The trust-publishing routes, to mount with `app.route('/', trustPublishRoutes(db))`.
 * @param db - database holding our PKI
 * @param deps - key custody or a shared publisher
 */
export function trustPublishRoutes(db: Kysely<Database>, deps: TrustPublishDeps = {}): Hono {
  let publisher = deps.publisher;
  const pub = (): TrustListPublisher => (publisher ??= new TrustListPublisher(db, deps.custody ?? new KeyCustody(pkiOptionsFromEnv())));
  const app = new Hono();

  const list = async (c: Context, kind: TrustListKind): Promise<Response> => {
    const doc = await pub().document(kind);
    const headers = { etag: doc.etag, 'cache-control': 'public, max-age=300, must-revalidate', 'x-signature': doc.signature.toString('base64'), 'x-signature-alg': 'ecdsa-with-SHA256', link: '</trust/signer>; rel="signer"' };
    if (etagMatches(c.req.header('if-none-match'), doc.etag)) return c.body(null, 304, headers);
    return c.body(doc.body, 200, { ...headers, 'content-type': 'application/json' });
  };

  app.get('/trust/dsc', (c) => list(c, 'dsc'));
  app.get('/trust/csca', (c) => list(c, 'csca'));
  app.get('/trust/signer', async (c) => c.body(await pub().signerPem(), 200, { 'content-type': 'application/x-pem-file' }));
  return app;
}
