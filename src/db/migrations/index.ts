/**
 * Every migration, in order: a static list imported in code (no folder scanning), so it works
 * the same from `src/` under tsx and from compiled `dist/`.
 *
 * Rules for new migrations (one code path for SQLite and PostgreSQL):
 * - Append only: name `NNNN-what-it-does`, next number; never edit or rename a shipped one.
 * - Portable types: `text`, `integer` (0/1 for booleans), `double precision` for decimals
 *   (PostgreSQL's `real` is only 4 bytes). Timestamps are ISO-8601 UTC text (see `nowIsoDefault`),
 *   JSON is `text`. Use `autoIdType`/`autoId` for generated keys.
 * - Engine differences go through `./portable.ts` or `dialectOf(db)`, never a copied migration.
 * - The whole batch runs in one transaction on both engines; on SQLite use
 *   `PRAGMA defer_foreign_keys = ON` when rebuilding a table (`foreign_keys` can't change there).
 */
import type { Migration } from 'kysely';
import { createAuditLog } from './0001-create-audit-log.js';
import { createPkiAndTrust } from './0002-create-pki-and-trust.js';
import { createRegistry } from './0003-create-registry.js';
import { createPopulationRegister } from './0005-create-population-register.js';
import { createVerification } from './0006-create-verification.js';
import { createCleaningLoop } from './0007-create-cleaning-loop.js';
import { createDoseSigning } from './0008-create-dose-signing.js';
import { createCertificates } from './0009-create-certificates.js';
import { indexIssuanceScan } from './0010-index-issuance-scan.js';
import { protectAuditLog } from './0011-protect-audit-log.js';
import { batchDoseSignatures } from './0012-batch-dose-signatures.js';

/** Migrations by name; the Migrator applies them in name order. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  '0001-create-audit-log': createAuditLog,
  '0002-create-pki-and-trust': createPkiAndTrust,
  '0003-create-registry': createRegistry,
  '0005-create-population-register': createPopulationRegister,
  '0006-create-verification': createVerification,
  '0007-create-cleaning-loop': createCleaningLoop,
  '0008-create-dose-signing': createDoseSigning,
  '0009-create-certificates': createCertificates,
  '0010-index-issuance-scan': indexIssuanceScan,
  '0011-protect-audit-log': protectAuditLog,
  '0012-batch-dose-signatures': batchDoseSignatures,
});
