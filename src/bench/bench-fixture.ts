/**
 * What every measurement shares: one realistic Vietnamese vaccination DCC, an ES256 and a PS256
 * (RSA 2048) signing certificate made for this run, a trust store holding both, and one
 * certificate issued with each key, checked to verify before anything is timed.
 */
import { MemoryTrustStore, issueHc1, sampleDcc, verifyHc1 } from '../hcert/index.js';
import type { CoseAlg, DccPayload, IssueOptions, VerifyOptions } from '../hcert/index.js';
import { makeDevSigner } from '../trust/index.js';
import type { DevSigner } from '../trust/index.js';

/** One algorithm's key material and a certificate issued with it. */
export interface AlgFixture {
  dev: DevSigner;
  issue: IssueOptions;
  /** `HC1:` text issued with this key, verified valid. */
  hc1: string;
}

export interface BenchFixture {
  dcc: DccPayload;
  es256: AlgFixture;
  ps256: AlgFixture;
  /** Verifier options with schema and value-set checks on, as a verifier runs them. */
  verify: VerifyOptions;
  /** Same, payload checks off: decode + signature + times only. */
  verifyNoChecks: VerifyOptions;
}

/** A schema- and value-set-valid vaccination certificate (AstraZeneca, dose 2/2). */
export function benchDcc(): DccPayload {
  return sampleDcc();
}

/**
 * Makes the keys, issues one certificate per algorithm and checks that it verifies.
 * @param now - issuing and verification time
 */
export async function makeBenchFixture(now = new Date()): Promise<BenchFixture> {
  const dcc = benchDcc();
  const iat = Math.floor(now.getTime() / 1000);
  const exp = iat + 365 * 86400;
  const [es, ps] = await Promise.all([makeDevSigner('ES256', { cn: 'VaxPass bench ES256' }), makeDevSigner('PS256', { cn: 'VaxPass bench PS256' })]);
  const trust = new MemoryTrustStore([es.trusted, ps.trusted]);
  const verify: VerifyOptions = { trust, now, schema: true, valueSets: true };
  const one = (dev: DevSigner): AlgFixture => {
    const issue: IssueOptions = { signer: dev.signer, iss: 'VN', iat, exp };
    const hc1 = issueHc1(dcc, issue);
    const r = verifyHc1(hc1, verify);
    if (!r.valid) throw new Error(`bench fixture: a freshly issued ${dev.signer.alg} certificate does not verify: ${r.code ?? '?'} ${r.message}`);
    return { dev, issue, hc1 };
  };
  return { dcc, es256: one(es), ps256: one(ps), verify, verifyNoChecks: { ...verify, schema: false, valueSets: false } };
}

/**
 * The fixture of one algorithm.
 * @param f - the fixture
 * @param alg - ES256 or PS256
 */
export function algFixture(f: BenchFixture, alg: CoseAlg): AlgFixture {
  return alg === 'ES256' ? f.es256 : f.ps256;
}
