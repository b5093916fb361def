/**
 * The database layer's public door: open a database, migrate it, and the table types.
 * Only repositories should import this (see STYLE.md); everything else takes their functions.
 */
export { createDb } from './create-db.js';
export type { CreateDbOptions, DbHandle } from './create-db.js';
export { dialectOf } from './dialect-of.js';
export { NOW_ISO_SQL } from './now-iso.js';
export { sqliteHandleOf } from './sqlite-database.js';
export { DEFAULT_BENCH_PG, openScratchDb, pgStatement } from './scratch-db.js';
export type { DbDialect } from './dialect-of.js';
export type {
  AuditLogTable,
  Database,
  KeyUsageDailyTable,
  PkiCertificateTable,
  PkiKeyTable,
  RevocationEntryTable,
  TrustedCscaTable,
  TrustedDscTable,
} from './database.js';
export type {
  ApiTokenTable,
  DoseTable,
  FacilityTable,
  ImportJobTable,
  ImportQuarantineTable,
  PersonDocumentTable,
  PersonTable,
  ProvinceSigningTable,
} from './registry-tables.js';
export type { CitizenReportTable, IdentityCaseTable, NotificationOutboxTable } from './cleaning-tables.js';
export type { CertificateQrTable, CertificateTable, IssuanceOutboxTable } from './certificate-tables.js';
export { migrateToLatest } from './migrate-to-latest.js';
export type { MigrateResult } from './migrate-to-latest.js';
export { migrationStatus } from './migration-status.js';
export type { MigrationState } from './migration-status.js';
