import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { testEachDialect } from '../../db/test-helpers/dialects.js';
import { MemoryTrustStore } from '../../hcert/index.js';
import { createApp } from '../app.js';
import { bodyValidator } from './request-validation.js';
import { openApiPath } from './route-spec.js';
import { swaggerUiDir } from './docs-routes.js';

type Doc = { openapi: string; paths: Record<string, Record<string, { security: unknown[]; responses: Record<string, unknown>; requestBody?: unknown }>>; components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> } };

/** Every METHOD path the Hono app answers (middleware entries collapse into their route). */
function appRoutes(app: ReturnType<typeof createApp>): Set<string> {
  return new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method.toLowerCase()} ${openApiPath(r.path)}`));
}

function docRoutes(doc: Doc): Set<string> {
  const out = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) for (const method of Object.keys(item)) out.add(`${method} ${path}`);
  return out;
}

testEachDialect('/openapi.json documents every route of the app and nothing else', async ({ db }) => {
  const app = createApp({ trust: new MemoryTrustStore(), db });
  const r = await app.request('/openapi.json');
  assert.equal(r.status, 200);
  const doc = (await r.json()) as Doc;
  assert.equal(doc.openapi, '3.1.0');
  assert.deepEqual([...docRoutes(doc)].sort(), [...appRoutes(app)].sort());
  for (const must of ['get /health', 'get /version', 'post /verify', 'get /trust/dsc', 'post /trust/revocation', 'post /api/v1/people', 'get /api/v1/facilities/{code}/doses', 'get /docs']) {
    assert.ok(docRoutes(doc).has(must), must);
  }
  assert.deepEqual(doc.components.securitySchemes.bearer, { type: 'http', scheme: 'bearer', bearerFormat: 'vp_ + base64url (API token)', description: 'An API token from `vaxpass token create`.' });
  const createPerson = doc.paths['/api/v1/people']?.post;
  assert.deepEqual(createPerson?.security, [{ bearer: [] }]);
  for (const s of ['400', '401', '403', '409', '422']) assert.ok(createPerson?.responses[s], `POST /api/v1/people documents ${s}`);
  assert.deepEqual(doc.paths['/health']?.get?.security, []);
  // Every $ref resolves.
  const refs = JSON.stringify(doc).match(/#\/components\/schemas\/\w+/g) ?? [];
  for (const ref of new Set(refs)) assert.ok(doc.components.schemas[ref.split('/').pop() ?? ''], ref);
  // Request schemas compile (strict ajv): the document and validation share them.
  for (const name of ['NewPerson', 'NewDose', 'NewFacility', 'DoseCorrection', 'PersonCorrection', 'VoidDose', 'ProvinceSigningInput']) {
    const schema = doc.components.schemas[name];
    assert.ok(schema, name);
    assert.equal(typeof bodyValidator(schema as Record<string, unknown>), 'function');
  }
});

test('without a database only the core and docs routes are mounted and documented', async () => {
  const app = createApp({ trust: new MemoryTrustStore() });
  const doc = (await (await app.request('/openapi.json')).json()) as Doc;
  assert.deepEqual([...docRoutes(doc)].sort(), [...appRoutes(app)].sort());
  assert.ok(!docRoutes(doc).has('post /api/v1/people'));
});

test('/docs serves Swagger UI from the installed swagger-ui-dist, no CDN', async () => {
  const app = createApp({ trust: new MemoryTrustStore() });
  assert.ok(existsSync(join(swaggerUiDir(), 'swagger-ui-bundle.js')));
  const page = await app.request('/docs');
  assert.equal(page.status, 200);
  const html = await page.text();
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  assert.doesNotMatch(html, /https?:\/\//, 'no external URLs');
  const assets = [...html.matchAll(/(?:src|href)="(\/docs\/[^"]+)"/g)].map((m) => m[1] ?? '');
  assert.ok(assets.includes('/docs/swagger-ui-bundle.js') && assets.includes('/docs/swagger-ui.css') && assets.includes('/docs/init.js'));
  for (const a of assets) {
    const r = await app.request(a);
    assert.equal(r.status, 200, a);
    const body = new Uint8Array(await r.arrayBuffer());
    assert.ok(body.length > 0, a);
    if (a.endsWith('.js')) assert.match(r.headers.get('content-type') ?? '', /javascript/);
    if (a.endsWith('.css')) assert.match(r.headers.get('content-type') ?? '', /text\/css/);
  }
  assert.match(await (await app.request('/docs/init.js')).text(), /url: '\/openapi\.json'/);
  assert.equal((await app.request('/docs/package.json')).status, 404);
  assert.equal((await app.request('/docs/..%2Fpackage.json')).status, 404);
});
