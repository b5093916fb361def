import type { PopulationVerifier, RegisterLookup, VerifyBatchOptions, VerifyRecord, VerifyResult } from '../verifier.js';
import { matchBatch } from './match-batch.js';

/**
 * The register called in-process: `verifyBatch` is `matchBatch` over any RegisterLookup (a
 * MemoryRegister loaded from the seeded truth by default, or database tables).
 */
export class LocalVerifier implements PopulationVerifier {
  /**
   * @param lookup - the register
   */
  constructor(private readonly lookup: RegisterLookup) {}

  /** {@inheritDoc PopulationVerifier.verifyBatch} */
  async verifyBatch(records: readonly VerifyRecord[], options: VerifyBatchOptions = {}): Promise<VerifyResult[]> {
    options.signal?.throwIfAborted();
    // In-process the answer is a pure function of the register, so an idempotency key needs no record.
    return matchBatch(records, this.lookup);
  }
}
