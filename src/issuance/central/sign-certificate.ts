/**
 * One certificate from one person's data: payload → checks → HC1. Pure CPU work with no
 * database, so the national batch runs it in worker threads and everything else on the main thread.
 */
import { AppError } from '../../errors/index.js';
import { issueHc1 } from '../../hcert/index.js';
import type { Signer } from '../../hcert/index.js';
import { assertIssuable, buildVaccinationDcc, latestDose, payloadSha256 } from './build-vaccination-dcc.js';
import type { DccDose, DccPerson } from './build-vaccination-dcc.js';

/** Months a certificate is valid (Decision 5772/QĐ-BYT: 12 months), unless its DSC ends earlier. */
export const VALIDITY_MONTHS = 12;

/** What signing one certificate needs: the person and their signed active doses. */
export interface CertificateWork extends DccPerson {
  readonly personId: number;
  readonly doses: readonly DccDose[];
}

/** A signed certificate, not yet stored. */
export interface SignedCertificate {
  readonly personId: number;
  readonly uvci: string;
  readonly hc1: string;
  readonly payloadSha256: string;
  /** The dose described. */
  readonly doseId: number;
}

/** iat/exp in seconds since the epoch. */
export interface CertificateTimes {
  readonly iat: number;
  readonly exp: number;
}

/**
 * `iat` now, `exp` = min(iat + 12 months, the DSC's notAfter).
 * @param now - issuing time
 * @param dscNotAfter - the signing certificate's end (if known)
 * @throws AppError ISSUE_DSC_EXPIRED (409) when the DSC ends before `now`
 */
export function certificateTimes(now: Date, dscNotAfter?: Date): CertificateTimes {
  const iat = Math.floor(now.getTime() / 1000);
  const end = new Date(iat * 1000);
  end.setUTCMonth(end.getUTCMonth() + VALIDITY_MONTHS);
  let exp = Math.floor(end.getTime() / 1000);
  if (dscNotAfter) exp = Math.min(exp, Math.floor(dscNotAfter.getTime() / 1000));
  if (exp <= iat) throw new AppError('ISSUE_DSC_EXPIRED', `the active DSC ended at ${dscNotAfter?.toISOString() ?? '?'}: rotate it (\`vaxpass pki rotate\`)`, 409);
  return { iat, exp };
}

/**
 * Builds, checks and signs one certificate.
 * @param work - person and signed doses
 * @param signer - the DSC
 * @param times - iat and exp
 * @throws AppError from {@link buildVaccinationDcc} / assertIssuable (422), or the codec's HcertError
 */
export function signCertificate(work: CertificateWork, signer: Signer, times: CertificateTimes): SignedCertificate {
  const dcc = buildVaccinationDcc(work, work.doses);
  assertIssuable(dcc);
  const last = latestDose(work.doses);
  const hc1 = issueHc1(dcc, { signer, iss: 'VN', iat: times.iat, exp: times.exp });
  return { personId: work.personId, uvci: dcc.v?.[0]?.ci ?? '', hc1, payloadSha256: payloadSha256(dcc), doseId: last?.id ?? 0 };
}
