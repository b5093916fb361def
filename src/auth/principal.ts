/**
 * Who calls the API: an API token's principal, with a role and a scope (least privilege).
 *
 * | role       | scope          | may                                                               |
 * |------------|----------------|-------------------------------------------------------------------|
 * | `admin`    | none           | everything                                                        |
 * | `ministry` | none           | read everything nationally; revoke certificates                   |
 * | `province` | province code  | read its province; manage its facilities and signing              |
 * | `facility` | facility code  | write people and its own doses/imports; find people by ID number  |
 * | `police`   | province code  | reserved (identity checks, later)                                 |
 * | `partner`  | optional       | reserved (read certificates, later)                               |
 */

export const ROLES = ['admin', 'ministry', 'province', 'facility', 'police', 'partner'] as const;
export type Role = (typeof ROLES)[number];

/** The authenticated caller. */
export interface Principal {
  readonly tokenId: number;
  readonly name: string;
  readonly role: Role;
  /** Facility code (`facility`), province code (`province`, `police`); null = national. */
  readonly scope: string | null;
}

/**
 * Whether `value` is a known role.
 * @param value - text to check
 */
export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/**
 * The `actor` written to the audit trail for changes made by `p`: `token:<id>:<name>`.
 * @param p - the principal
 */
export function actorOf(p: Principal): string {
  return `token:${p.tokenId}:${p.name}`;
}
