/** API access: tokens, principals (role + scope) and the permission policy. */
export { ROLES, actorOf, isRole } from './principal.js';
export type { Principal, Role } from './principal.js';
export { TOKEN_PREFIX, createToken, listTokens, resolveToken, revokeToken } from './token-service.js';
export type { ApiToken, NewToken } from './token-service.js';
export { authorize, can, forbidden } from './authorize.js';
export type { Permission } from './authorize.js';
