/**
 * The HTTP API (Hono). Errors leave as RFC 9457 problem+json with a stable `code`; verification
 * verdicts are data (200 with `valid: false`), not HTTP errors.
 */
import { Hono } from 'hono';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { AppError, toProblem } from '../errors/index.js';
import { verifyHc1 } from '../hcert/index.js';
import type { TrustStore } from '../hcert/index.js';
import type { Kysely } from 'kysely';
import { dialectOf } from '../db/index.js';
import type { Database } from '../db/index.js';
import type { RevocationCheck } from '../hcert/index.js';
import { VERSION } from '../version.js';
import type { KeyCustody } from '../trust/pki/index.js';
import type { PopulationVerifier } from '../population/index.js';
import { CORE_SECTION, DOCS_SECTION, TRUST_SECTION, buildOpenApiDocument, docsRoutes } from './openapi/index.js';
import type { ApiSection } from './openapi/index.js';
import { CERTIFICATE_SECTION, certificateRoutes } from './certificate-routes.js';
import { CLEANING_SECTION, cleaningRoutes } from './cleaning-routes.js';
import { FHIR_SECTION, fhirRoutes } from './fhir-routes.js';
import { IMPORT_SECTION, importRoutes } from './import-routes.js';
import { POPULATION_SECTION, populationRoutes } from './population-routes.js';
import { REGISTRY_SECTION, registryRoutes } from './registry-routes.js';
import { revocationRoutes } from './revocation-routes.js';
import { SIGNING_SECTION, signingRoutes } from './signing-routes.js';
import { trustPublishRoutes } from './trust-publish-routes.js';

export interface AppDeps {
  trust: TrustStore;
  /** Health probe of the database; resolves to the dialect name or throws. */
  dbHealth?: () => Promise<string>;
  /** Finds QR texts in a PNG/JPEG picture. */
  decodeImage?: (bytes: Uint8Array) => Promise<string[]>;
  /** The database: mounts the published trust lists (GET /trust/dsc, /trust/csca, /trust/signer), revocation routes and the registry API (/api/v1). */
  db?: Kysely<Database>;
  /** Key custody for the trust-list signer (default: from VAXPASS_KEY_* env). */
  custody?: KeyCustody;
  /** Offline certificate revocation list used by /verify. */
  revocation?: RevocationCheck;
  /** Picks up trust/revocation changes before each verification (throttled by the callee). */
  refresh?: () => Promise<void>;
  /** Called after a revocation made through this instance, so it applies at once. */
  onRevocationChange?: () => Promise<void>;
  /** Where uploaded imports' error reports are kept (default `./data/import-reports`). */
  importReportDir?: string;
  /** Largest import upload in bytes (default 200 MB). */
  maxUploadBytes?: number;
  /** The population verifier: verification runs, and immediate re-verification after cleaning-loop corrections (default: `populationVerifierFromEnv`). */
  populationVerifier?: PopulationVerifier;
  /** Days a facility has to handle a citizen report (default 7). */
  reportSlaDays?: number;
  /** Behind a reverse proxy: trust X-Forwarded-For for client addresses (default false). */
  trustProxy?: boolean;
}

const MAX_BODY = 4 * 1024 * 1024;

/**
 * Builds the application.
 * @param deps - trust store and optional collaborators
 */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  // What /openapi.json documents: push a section wherever its routes are mounted.
  const sections: ApiSection[] = [CORE_SECTION, DOCS_SECTION];

  app.onError((err, c) => problem(c, err));
  app.notFound((c) => problem(c, new AppError('NOT_FOUND', `no route for ${c.req.method} ${c.req.path}`, 404)));

  app.get('/health', async (c) => {
    try {
      const db = deps.dbHealth ? await deps.dbHealth() : 'none';
      return c.json({ status: 'ok', db });
    } catch (e) {
      return c.json({ status: 'unavailable', reason: (e as Error).message }, 503);
    }
  });

  app.get('/version', (c) => c.json({ name: 'vaxpass', version: VERSION, node: process.version }));

  if (deps.db) {
    app.route('/', trustPublishRoutes(deps.db, deps.custody ? { custody: deps.custody } : {}));
    app.route('/', revocationRoutes(deps.db, { trust: () => deps.trust, ...(deps.onRevocationChange ? { onChange: deps.onRevocationChange } : {}) }));
    sections.push(TRUST_SECTION);
    app.route('/', registryRoutes(deps.db));
    sections.push(REGISTRY_SECTION);
    app.route('/', signingRoutes(deps.db, deps.custody ? { custody: deps.custody } : {}));
    sections.push(SIGNING_SECTION);
    const importOptions = { dialect: dialectOf(deps.db), ...(deps.importReportDir === undefined ? {} : { reportDir: deps.importReportDir }), ...(deps.maxUploadBytes === undefined ? {} : { maxUploadBytes: deps.maxUploadBytes }) };
    app.route('/', importRoutes(deps.db, importOptions));
    sections.push(IMPORT_SECTION);
    app.route('/', fhirRoutes(deps.db, importOptions));
    sections.push(FHIR_SECTION);
    app.route('/', certificateRoutes(deps.db, deps.onRevocationChange ? { onRevocationChange: deps.onRevocationChange } : {}));
    sections.push(CERTIFICATE_SECTION);
    app.route('/', cleaningRoutes(deps.db, { verifier: deps.populationVerifier, slaDays: deps.reportSlaDays, trustProxy: deps.trustProxy }));
    sections.push(CLEANING_SECTION);
    app.route('/', populationRoutes(deps.db, { dialect: dialectOf(deps.db), ...(deps.populationVerifier === undefined ? {} : { verifier: deps.populationVerifier }) }));
    sections.push(POPULATION_SECTION);
  }

  app.post(
    '/verify',
    bodyLimit({ maxSize: MAX_BODY, onError: (c) => problem(c, new AppError('BODY_TOO_LARGE', `request body above ${MAX_BODY} bytes`, 413)) }),
    async (c) => {
      const { text, at } = await readVerifyInput(c, deps);
      const now = at === undefined ? new Date() : parseTime(at);
      if (deps.refresh) await deps.refresh();
      return c.json(verifyHc1(text, { trust: deps.trust, now, ...(deps.revocation ? { revocation: deps.revocation } : {}) }));
    },
  );

  app.route('/', docsRoutes(() => buildOpenApiDocument(sections)));

  return app;
}

async function readVerifyInput(c: Context, deps: AppDeps): Promise<{ text: string; at?: string }> {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  const at = c.req.query('at');
  if (type === 'image/png' || type === 'image/jpeg') {
    if (!deps.decodeImage) throw new AppError('UNSUPPORTED_MEDIA_TYPE', 'image decoding is not available', 415);
    const texts = await deps.decodeImage(new Uint8Array(await c.req.arrayBuffer()));
    const hc1 = texts.find((t) => t.startsWith('HC1:')) ?? texts[0];
    if (hc1 === undefined) throw new AppError('QR_NOT_FOUND', 'no QR code found in the picture', 422);
    return { text: hc1, ...(at ? { at } : {}) };
  }
  if (type === 'text/plain') return { text: await c.req.text(), ...(at ? { at } : {}) };
  if (type === 'application/json') {
    let body: unknown;
    try {
      body = await c.req.json();
    } catch {
      throw new AppError('BAD_REQUEST', 'body is not valid JSON', 400);
    }
    const b = body as { hc1?: unknown; at?: unknown };
    if (typeof b.hc1 !== 'string') throw new AppError('BAD_REQUEST', 'field "hc1" (string) is required', 400, { field: 'hc1' });
    if (b.at !== undefined && typeof b.at !== 'string') throw new AppError('BAD_REQUEST', 'field "at" must be an ISO 8601 time', 400, { field: 'at' });
    const when = typeof b.at === 'string' ? b.at : at;
    return { text: b.hc1, ...(when ? { at: when } : {}) };
  }
  throw new AppError('UNSUPPORTED_MEDIA_TYPE', `send application/json {"hc1": "HC1:…"}, text/plain, image/png or image/jpeg (got "${type || 'none'}")`, 415);
}

function parseTime(at: string): Date {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) throw new AppError('BAD_REQUEST', `"at" is not an ISO 8601 time: ${at}`, 400, { field: 'at' });
  return d;
}

function problem(c: Context, err: unknown): Response {
  const p = toProblem(err);
  if (p.status >= 500) console.error(err);
  return c.body(JSON.stringify(p), p.status as 500, { 'content-type': 'application/problem+json' });
}
