/**
 * 0012: batch signing of dose records (src/issuance/signing/merkle.ts). A signing run signs one
 * Merkle root per batch of records; each `dose_signature` row keeps its leaf position, the
 * batch size and its inclusion proof, so it verifies on its own. Rows from before (all three
 * null) carry one signature per record and keep verifying as they did.
 */
import type { Kysely, Migration } from 'kysely';

/** Adds the three nullable columns. */
export const batchDoseSignatures: Migration = {
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('dose_signature').addColumn('merkle_index', 'integer').execute();
    await db.schema.alterTable('dose_signature').addColumn('merkle_size', 'integer').execute();
    await db.schema.alterTable('dose_signature').addColumn('merkle_proof', 'text').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('dose_signature').dropColumn('merkle_proof').execute();
    await db.schema.alterTable('dose_signature').dropColumn('merkle_size').execute();
    await db.schema.alterTable('dose_signature').dropColumn('merkle_index').execute();
  },
};
