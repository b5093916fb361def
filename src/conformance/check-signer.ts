/**
 * The checks that need the signer's certificate (dgc-testdata README "Code Validation" 4-5 and
 * EXPECTEDKEYUSAGE). They run our production verifier, verifyHc1, with TESTCTX.CERTIFICATE as the
 * only trusted key and TESTCTX.VALIDATIONCLOCK as the time, and read its stable problem codes:
 * the suite then tests the decisions a VaxPass verifier makes, not a re-implementation of them.
 */
import { toHc1, trustedKeyFromCertificate, verifyHc1, MemoryTrustStore } from '../hcert/index.js';
import type { HcertCode, TrustedKey, VerifyResult } from '../hcert/index.js';
import { no, ok, parseInstant } from './inputs.js';
import type { Read } from './inputs.js';
import type { VectorData } from './vector-data.js';

// After the signature, HC1_CWT only means a missing iat or exp: a time check that cannot pass.
const TIME_CODES: ReadonlySet<HcertCode> = new Set(['HC1_CWT', 'HC1_NOT_YET_VALID', 'HC1_EXPIRED', 'HC1_EXP_BEYOND_DSC']);

// One verifier run per vector serves VERIFY, KEYUSAGE and EXPIRATIONCHECK.
const verdicts = new WeakMap<VectorData, Read<VerifyResult>>();

/** What verifyHc1 said about a vector, or why it could not be asked (computed once). */
function verdict(data: VectorData): Read<VerifyResult> {
  let r = verdicts.get(data);
  if (!r) {
    r = askVerifier(data);
    verdicts.set(data, r);
  }
  return r;
}

function askVerifier(data: VectorData): Read<VerifyResult> {
  const cert = data.certificate();
  if (!cert.ok) return cert;
  // The COSE field is what these checks are defined on; PREFIX (or BASE45...) only when it is absent.
  let text: string;
  if (data.vector.fields.COSE !== undefined) {
    const cose = data.cose();
    if (!cose.ok) return cose;
    text = toHc1(cose.value);
  } else {
    const prefix = data.prefix();
    if (!prefix.ok) return no('vector has neither COSE nor PREFIX');
    text = prefix.value;
  }
  let key: TrustedKey;
  if (cert.value.certificate) {
    key = trustedKeyFromCertificate(cert.value.certificate);
  } else {
    // A bare public key has no kid of its own: trust it under whatever kid the COSE names.
    const sign1 = data.coseSign1();
    key = { kid: sign1.ok && sign1.value.kid ? sign1.value.kid : new Uint8Array(8), publicKey: cert.value.publicKey };
  }
  let now = new Date();
  if (data.vector.context.validationClock !== undefined) {
    const clock = parseInstant(data.vector.context.validationClock);
    if (!clock.ok) return clock;
    now = new Date(clock.value);
  }
  return ok(verifyHc1(text, { trust: new MemoryTrustStore([key]), now, schema: false, valueSets: false }));
}

/** Fails unless the signature verified: the later checks of verifyHc1 only run after it. */
function verified(data: VectorData, what: string): Read<VerifyResult> {
  const r = verdict(data);
  if (!r.ok || r.value.signatureVerified) return r;
  return no(`verifier stopped at ${r.value.code ?? 'an unknown step'} before checking ${what}: ${r.value.message}`);
}

/**
 * EXPECTEDVERIFY: the COSE signature verifies with the certificate's key, under the kid the COSE
 * names (protected header first, as the spec requires).
 * @param data - the vector's layers
 */
export function checkVerify(data: VectorData): Read<string> {
  const r = verdict(data);
  if (!r.ok) return r;
  return r.value.signatureVerified ? ok(`signature verified (${r.value.alg ?? '?'}, kid ${r.value.kid ?? '?'})`) : no(`${r.value.code ?? '?'}: ${r.value.message}`);
}

/**
 * EXPECTEDKEYUSAGE: the certificate's EU DCC extended key usage allows the payload's type.
 * @param data - the vector's layers
 */
export function checkKeyUsage(data: VectorData): Read<string> {
  const r = verified(data, 'key usage');
  if (!r.ok) return r;
  const payload = (r.value.payload ?? {}) as unknown as Record<string, unknown>;
  const groups = ['v', 't', 'r'].filter((g) => payload[g] !== undefined && payload[g] !== null);
  if (groups.length !== 1) return no(`payload holds ${groups.length} certificate types (${groups.join(', ')}); key usage needs exactly one`);
  const problem = r.value.problems.find((p) => p.code === 'HC1_KEY_USAGE');
  return problem ? no(problem.message) : ok(`certificate may sign type "${groups[0]!}"`);
}

/**
 * EXPECTEDEXPIRATIONCHECK: at VALIDATIONCLOCK the certificate is issued (iat) and not expired
 * (exp), and iat..exp lies inside the signing certificate's validity.
 * @param data - the vector's layers
 */
export function checkExpiration(data: VectorData): Read<string> {
  const r = verified(data, 'the validity times');
  if (!r.ok) return r;
  const problems = r.value.problems.filter((p) => TIME_CODES.has(p.code));
  if (problems.length > 0) return no(problems.map((p) => `${p.code}: ${p.message}`).join('; '));
  const { iat, exp } = r.value.claims ?? {};
  return ok(`valid at the clock (iat ${String(iat)}, exp ${String(exp)})`);
}
