/**
 * Issuing an HC1 certificate as a chain of small pure steps:
 * encodeCwt → signCose → zlib → base45 → prefix (eu-dcc-hcert-spec §3–4).
 */
import { signCose } from './cose.js';
import { encodeCwt } from './cwt.js';
import { HcertError } from './errors.js';
import type { DccPayload } from './payload/index.js';
import type { Signer } from './signer.js';
import { toHc1 } from './transport.js';

/** What to sign besides the payload; times in seconds since the epoch. */
export interface IssueOptions {
  signer: Signer;
  /** Issuing country, ISO 3166 alpha-2 (CWT `iss`). */
  iss?: string;
  iat: number;
  exp: number;
}

/**
 * Signs a DCC payload and returns the `HC1:` text. Refuses `exp` beyond the signing certificate.
 * @param dcc - the EU DCC payload (validated by the caller)
 * @param opts - signer and CWT times
 */
export function issueHc1(dcc: DccPayload, opts: IssueOptions): string {
  return toHc1(issueCose(dcc, opts));
}

/**
 * Signs a DCC payload into a COSE_Sign1 (no transport encoding).
 * @param dcc - the EU DCC payload
 * @param opts - signer and CWT times
 */
export function issueCose(dcc: DccPayload, opts: IssueOptions): Buffer {
  const { signer, iat, exp } = opts;
  if (!Number.isInteger(iat) || !Number.isInteger(exp) || exp <= iat) {
    throw new HcertError('HC1_CWT', `iat (${iat}) and exp (${exp}) must be integer seconds with exp after iat`);
  }
  if (signer.notAfter && exp * 1000 > signer.notAfter.getTime()) {
    throw new HcertError(
      'HC1_EXP_BEYOND_DSC',
      `exp ${new Date(exp * 1000).toISOString()} is after the signing certificate's notAfter ${signer.notAfter.toISOString()}`,
    );
  }
  return signCose(encodeCwt({ iss: opts.iss, iat, exp, dcc }), signer);
}
