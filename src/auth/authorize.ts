/**
 * What each role may do (the table in ./principal.ts), as one function per question so routes
 * and services ask the same policy. Denials are AppError FORBIDDEN (403) naming the role and
 * scope that would have been allowed.
 */
import { AppError } from '../errors/index.js';
import type { Principal, Role } from './principal.js';

/** An action on a target, as the policy sees it. */
export type Permission =
  /** Add or change facilities of a province, set its signing mode. */
  | { readonly action: 'facility.manage'; readonly provinceCode: string }
  /** Read a facility and its doses. */
  | { readonly action: 'facility.read'; readonly facilityCode: string; readonly provinceCode: string }
  /** Record, correct or void the facility's doses; create people for it; import its files. */
  | { readonly action: 'facility.write'; readonly facilityCode: string }
  /** Read any facility list (province tokens see their province only; enforce via filter). */
  | { readonly action: 'facility.list' }
  /** Find a person by exact ID number, read a person by id. */
  | { readonly action: 'person.read' }
  /** Search people by name and date of birth (broader: national and provincial roles). */
  | { readonly action: 'person.search' }
  /** Correct a person; `facilityCodes` are the facilities linked to the person (its doses). */
  | { readonly action: 'person.write'; readonly facilityCodes: readonly string[]; readonly createdBy: string; readonly actor: string }
  /** Revoke issued certificates. */
  | { readonly action: 'certificate.revoke' };

/** Who may do what, for messages: roles and (when scoped) the scope needed. */
function requirement(p: Permission): { roles: readonly Role[]; scope?: string } {
  switch (p.action) {
    case 'facility.manage':
      return { roles: ['admin', 'province'], scope: `province ${p.provinceCode}` };
    case 'facility.read':
      return { roles: ['admin', 'ministry', 'province', 'facility'], scope: `province ${p.provinceCode} or facility ${p.facilityCode}` };
    case 'facility.write':
      return { roles: ['admin', 'facility'], scope: `facility ${p.facilityCode}` };
    case 'facility.list':
      return { roles: ['admin', 'ministry', 'province'] };
    case 'person.read':
      return { roles: ['admin', 'ministry', 'province', 'facility'] };
    case 'person.search':
      return { roles: ['admin', 'ministry', 'province'] };
    case 'person.write':
      return { roles: ['admin', 'facility'], scope: p.facilityCodes.length > 0 ? `facility ${p.facilityCodes.join(' or ')}` : 'the token that created the person' };
    case 'certificate.revoke':
      return { roles: ['admin', 'ministry'] };
  }
}

/**
 * Whether `principal` may do `permission`.
 * @param principal - the caller
 * @param permission - the action and its target
 */
export function can(principal: Principal, permission: Permission): boolean {
  const { role, scope } = principal;
  if (role === 'admin') return true;
  switch (permission.action) {
    case 'facility.manage':
      return role === 'province' && scope === permission.provinceCode;
    case 'facility.read':
      return role === 'ministry' || (role === 'province' && scope === permission.provinceCode) || (role === 'facility' && scope === permission.facilityCode);
    case 'facility.write':
      return role === 'facility' && scope === permission.facilityCode;
    case 'facility.list':
      return role === 'ministry' || role === 'province';
    case 'person.read':
      return role === 'ministry' || role === 'province' || role === 'facility';
    case 'person.search':
      return role === 'ministry' || role === 'province';
    case 'person.write':
      return role === 'facility' && ((scope !== null && permission.facilityCodes.includes(scope)) || permission.createdBy === permission.actor);
    case 'certificate.revoke':
      return role === 'ministry';
  }
}

/**
 * The 403 for a denied permission, naming what would be allowed.
 * @param principal - the caller
 * @param permission - what was denied
 */
export function forbidden(principal: Principal, permission: Permission): AppError {
  const need = requirement(permission);
  const scope = need.scope === undefined ? '' : ` (scope: ${need.scope})`;
  return new AppError(
    'FORBIDDEN',
    `${permission.action} needs role ${need.roles.join(' or ')}${scope}; this token has role ${principal.role}${principal.scope === null ? '' : ` with scope ${principal.scope}`}`,
    403,
    { requiredRoles: [...need.roles], ...(need.scope === undefined ? {} : { requiredScope: need.scope }) },
  );
}

/**
 * Throws FORBIDDEN (403) unless `principal` may do `permission`.
 * @param principal - the caller
 * @param permission - the action and its target
 */
export function authorize(principal: Principal, permission: Permission): void {
  if (!can(principal, permission)) throw forbidden(principal, permission);
}
