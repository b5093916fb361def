/**
 * 0011: the audit trail becomes append-only in the database itself, not only by convention: an
 * UPDATE or DELETE of an `audit_log` row (and on PostgreSQL a TRUNCATE) fails with
 * `audit_log is append-only`, whoever sends it — a bug, a script or a compromised account with
 * the service's own credentials. Removing history takes a migration, which is itself reviewed.
 */
import { sql, type Kysely, type Migration } from 'kysely';
import { dialectOf } from '../dialect-of.js';

/** Installs the guards. */
export const protectAuditLog: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    if (dialectOf(db) === 'postgres') {
      // The function lives in the same schema as the table (the connection's search_path).
      await sql`create function audit_log_append_only() returns trigger language plpgsql as $$
        begin raise exception 'audit_log is append-only (% refused)', tg_op using errcode = 'insufficient_privilege'; end $$`.execute(db);
      await sql`create trigger audit_log_no_change before update or delete on audit_log for each row execute function audit_log_append_only()`.execute(db);
      await sql`create trigger audit_log_no_truncate before truncate on audit_log for each statement execute function audit_log_append_only()`.execute(db);
      return;
    }
    await sql`create trigger audit_log_no_update before update on audit_log begin select raise(abort, 'audit_log is append-only (UPDATE refused)'); end`.execute(db);
    await sql`create trigger audit_log_no_delete before delete on audit_log begin select raise(abort, 'audit_log is append-only (DELETE refused)'); end`.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    if (dialectOf(db) === 'postgres') {
      await sql`drop trigger if exists audit_log_no_truncate on audit_log`.execute(db);
      await sql`drop trigger if exists audit_log_no_change on audit_log`.execute(db);
      await sql`drop function if exists audit_log_append_only()`.execute(db);
      return;
    }
    await sql`drop trigger if exists audit_log_no_update`.execute(db);
    await sql`drop trigger if exists audit_log_no_delete`.execute(db);
  },
};
