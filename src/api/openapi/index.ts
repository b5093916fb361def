/**
 * The OpenAPI module: routes are described once as RouteSpecs, mounted with `mountRoute`
 * (authentication, request validation) and documented by `buildOpenApiDocument` from the
 * sections the app mounts. A route file exports its ApiSection and a router built with mountRoute.
 */
export { buildOpenApiDocument } from './build-openapi.js';
export type { OpenApiDocument } from './build-openapi.js';
export { CORE_SECTION, TRUST_SECTION } from './core-sections.js';
export { DOCS_SECTION, docsRoutes, swaggerUiDir } from './docs-routes.js';
export { MAX_JSON_BODY, mountRoute } from './mount-route.js';
export type { MountOptions, RouteHandler, RouteInput } from './mount-route.js';
export { PROBLEM_SCHEMAS } from './problem-schemas.js';
export { badRequest, issuesFromAjv } from './request-validation.js';
export { honoPath, openApiPath, ref } from './route-spec.js';
export type { ApiSection, HttpMethod, JsonBodySpec, JsonSchema, ParamSpec, RawBodySpec, ResponseSpec, RouteSpec } from './route-spec.js';
