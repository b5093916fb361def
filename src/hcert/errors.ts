/**
 * Verification failure codes of the HC1 pipeline, one per step, stable for clients and logs.
 * Each step also has its own error class (name set), so stack traces say which step failed.
 */
import { AppError } from '../errors/index.js';

/** Every stable failure code the codec can report, in pipeline order. */
export const HCERT_CODES = [
  'HC1_TOO_LARGE', // input text above the size cap
  'HC1_PREFIX', // missing or wrong `HC1:` context identifier
  'HC1_BASE45', // not valid base45 (RFC 9285)
  'HC1_ZLIB', // not a valid zlib stream
  'HC1_INFLATE_LIMIT', // inflated size above the cap (zip bomb)
  'HC1_COSE', // not a COSE_Sign1 structure
  'HC1_CWT', // COSE payload is not a CWT with an hcert claim
  'HC1_ALG_UNSUPPORTED', // alg is neither ES256 nor PS256
  'HC1_KID_UNKNOWN', // no trusted certificate under this kid
  'HC1_SIGNATURE', // no certificate under the kid verifies the signature
  'HC1_DSC_REVOKED', // the signing certificate is revoked
  'HC1_REVOKED', // the certificate itself is on the revocation list
  'HC1_KEY_USAGE', // the signing certificate may not sign this kind of certificate
  'HC1_NOT_YET_VALID', // iat in the future, or signing certificate not yet valid
  'HC1_EXPIRED', // exp in the past
  'HC1_EXP_BEYOND_DSC', // exp after the signing certificate's notAfter
  'HC1_SCHEMA', // payload fails the EU DCC JSON schema
  'HC1_VALUESET', // payload uses a code outside the EU value sets
] as const;

/** A stable failure code of the HC1 pipeline. */
export type HcertCode = (typeof HCERT_CODES)[number];

/** Base class of every codec failure: an AppError with one of the HC1 codes. */
export class HcertError extends AppError {
  override readonly name: string = 'HcertError';
  /**
   * @param code - the failing step's code
   * @param message - precise reason
   * @param details - structured context
   */
  constructor(
    override readonly code: HcertCode,
    message: string,
    details?: Readonly<Record<string, unknown>>,
  ) {
    super(code, message, 422, details);
  }
}

function errorClass(code: HcertCode, name: string): new (message: string, details?: Readonly<Record<string, unknown>>) => HcertError {
  const C = class extends HcertError {
    override readonly name = name;
    constructor(message: string, details?: Readonly<Record<string, unknown>>) {
      super(code, message, details);
    }
  };
  Object.defineProperty(C, 'name', { value: name });
  return C;
}

export const InputTooLargeError = errorClass('HC1_TOO_LARGE', 'InputTooLargeError');
export const PrefixError = errorClass('HC1_PREFIX', 'PrefixError');
export const Base45DecodeError = errorClass('HC1_BASE45', 'Base45DecodeError');
export const ZlibError = errorClass('HC1_ZLIB', 'ZlibError');
export const InflateLimitError = errorClass('HC1_INFLATE_LIMIT', 'InflateLimitError');
export const CoseStructureError = errorClass('HC1_COSE', 'CoseStructureError');
export const CwtStructureError = errorClass('HC1_CWT', 'CwtStructureError');
export const AlgorithmError = errorClass('HC1_ALG_UNSUPPORTED', 'AlgorithmError');
