/**
 * `GET /openapi.json` (the document) and `GET /docs` (Swagger UI). Swagger UI's files come from
 * the locally installed `swagger-ui-dist` package (its directory is what the package's
 * `absolutePath()` returns) and are served by us: no CDN, nothing fetched from elsewhere.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { Hono } from 'hono';
import { AppError } from '../../errors/index.js';
import type { AuthEnv } from '../auth-middleware.js';
import type { OpenApiDocument } from './build-openapi.js';
import { mountRoute } from './mount-route.js';
import type { ApiSection, RouteSpec } from './route-spec.js';

/** The Swagger UI files we serve under /docs/, with their media types (nothing else is reachable). */
const ASSETS: Readonly<Record<string, string>> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'swagger-ui-standalone-preset.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
  'favicon-16x16.png': 'image/png',
};

/** Our initializer, served as a file (no inline script, so a strict CSP can apply). */
const INIT_JS = `window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: '/openapi.json',
    dom_id: '#swagger-ui',
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: 'StandaloneLayout',
  });
};
`;

const INDEX_HTML = `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>VaxPass API</title>
  <link rel="stylesheet" href="/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/docs/swagger-ui-bundle.js"></script>
  <script src="/docs/swagger-ui-standalone-preset.js"></script>
  <script src="/docs/init.js"></script>
</body>
</html>
`;

/**
 * The directory of the installed swagger-ui-dist. Its `absolutePath()` (absolute-path.js) is
 * loaded alone: the package's main module would load the whole 1.5 MB browser bundle into Node.
 */
export function swaggerUiDir(): string {
  const require = createRequire(import.meta.url);
  const absolutePath = require('swagger-ui-dist/absolute-path.js') as unknown;
  if (typeof absolutePath === 'function') {
    const dir = (absolutePath as () => unknown)();
    if (typeof dir === 'string') return dir;
  }
  return dirname(require.resolve('swagger-ui-dist/swagger-ui.css'));
}

const SPECS = {
  openapi: {
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApi',
    summary: 'This OpenAPI 3.1 document',
    tags: ['docs'],
    responses: { '200': { description: 'The document', schema: { type: 'object' } } },
  },
  docs: {
    method: 'get',
    path: '/docs',
    operationId: 'getDocs',
    summary: 'Swagger UI for this API',
    tags: ['docs'],
    responses: { '200': { description: 'HTML page', schema: { type: 'string' }, contentType: 'text/html' } },
  },
  asset: {
    method: 'get',
    path: '/docs/{asset}',
    operationId: 'getDocsAsset',
    summary: "Swagger UI's scripts, style sheet and icons (served locally)",
    tags: ['docs'],
    pathParams: { asset: { schema: { type: 'string' }, description: `one of ${[...Object.keys(ASSETS), 'init.js'].join(', ')}` } },
    responses: { '200': { description: 'The file', schema: { type: 'string' }, contentType: 'text/javascript' }, '404': { description: 'No such file', schema: { $ref: '#/components/schemas/Problem' }, contentType: 'application/problem+json' } },
  },
} satisfies Record<string, RouteSpec>;

/** The docs routes' section of the document. */
export const DOCS_SECTION: ApiSection = {
  tags: [{ name: 'docs', description: 'This documentation' }],
  specs: Object.values(SPECS),
};

/**
 * The docs router; mount with `app.route('/', docsRoutes(() => document))`.
 * @param document - gives the OpenAPI document (built once, on first request)
 */
export function docsRoutes(document: () => OpenApiDocument): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  let json: string | undefined;
  const cache = new Map<string, Uint8Array<ArrayBuffer>>();
  mountRoute(app, SPECS.openapi, (c) => c.body((json ??= JSON.stringify(document())), 200, { 'content-type': 'application/json' }));
  mountRoute(app, SPECS.docs, (c) => c.html(INDEX_HTML));
  mountRoute(app, SPECS.asset, async (c, { params }) => {
    const name = String(params.asset);
    if (name === 'init.js') return c.body(INIT_JS, 200, { 'content-type': 'text/javascript; charset=utf-8' });
    const type = ASSETS[name];
    if (type === undefined) throw new AppError('NOT_FOUND', `no docs file ${name}`, 404);
    let bytes = cache.get(name);
    if (!bytes) {
      bytes = new Uint8Array(await readFile(join(swaggerUiDir(), name)));
      cache.set(name, bytes);
    }
    return c.body(bytes, 200, { 'content-type': type, 'cache-control': 'public, max-age=86400' });
  });
  return app;
}
