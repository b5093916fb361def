/**
 * The canonical form of a dose record, as a facility (or its province's focal unit) signs it:
 * RFC 8785 JSON Canonicalization Scheme (JCS) of this object, encoded in UTF-8:
 *
 * ```
 * {
 *   "form": "vaxpass.dose/1",          // what these bytes are (never valid as anything else)
 *   "signer": "<signing unit code>",   // facility code of the unit whose key signs
 *   "signed_at": "<ISO-8601 UTC>",     // when; bound so it cannot be back-dated
 *   "dose": {
 *     "id", "version", "status",       // dose.id, dose.version, dose.status (active|voided)
 *     "product_id", "eu_mp",           // our product id, its EU DCC `mp` code (null if none)
 *     "lot", "dose_date",              // lot (null if unknown), YYYY-MM-DD
 *     "dose_number", "dose_kind",      // 1, 2, 3…; primary|booster
 *     "facility_code"                  // the facility that recorded the dose
 *   },
 *   "person": {
 *     "id", "version",                 // person.id, person.version (bumped on identity changes)
 *     "full_name", "dob", "sex",       // as the certificate will show them
 *     "document": {"kind", "number", "country"} | null   // the current identity document
 *   }
 * }
 * ```
 * The data is what the facility vouches for: who was vaccinated (identity snapshot) with what
 * and when. Vaccinator, source and timestamps are not signed.
 *
 * Why not a generic JCS library? The shape is fixed, so its JCS text is written directly: keys
 * in their sorted (UTF-16) order, strings and integers as JSON.stringify writes them, which is
 * exactly what RFC 8785 prescribes for them (§3.2.2). That is 3-5× faster than sorting keys per
 * record, and signing runs over whole provinces. The test checks the output byte for byte
 * against `canonicalize` (the RFC author's implementation) on varied records. One deliberate
 * difference: a lone surrogate (never in validated registry text) is escaped as \uXXXX instead
 * of refused, so one odd record cannot stop a signing run; signer and verifier agree either way.
 */
import { findProduct } from '../../registry/reference/index.js';

/** Tag of the signed form; a new layout gets a new tag, old signatures keep theirs. */
export const DOSE_FORM = 'vaxpass.dose/1';

/** The facts of one dose record that are signed (see the module comment). */
export interface DoseFacts {
  readonly doseId: number;
  readonly doseVersion: number;
  readonly status: string;
  readonly productId: string;
  readonly lot: string | null;
  readonly doseDate: string;
  readonly doseNumber: number;
  readonly doseKind: string;
  readonly facilityCode: string;
  readonly personId: number;
  readonly personVersion: number;
  readonly fullName: string;
  readonly dob: string;
  readonly sex: string;
  readonly document: { readonly kind: string; readonly number: string; readonly country: string } | null;
}

/** Who signs and when: part of the signed bytes. */
export interface SignedAttributes {
  /** Facility code of the signing unit. */
  readonly signer: string;
  /** ISO-8601 UTC. */
  readonly signedAt: string;
}

/**
 * The canonical JSON text (RFC 8785) of a dose record with its signed attributes.
 * @param f - the record's facts
 * @param attrs - signer and signing time
 */
export function canonicalDose(f: DoseFacts, attrs: SignedAttributes): string {
  const doc = f.document;
  return (
    `{"dose":{"dose_date":${str(f.doseDate)},"dose_kind":${str(f.doseKind)},"dose_number":${int(f.doseNumber)},"eu_mp":${optStr(findProduct(f.productId)?.mp ?? null)},` +
    `"facility_code":${str(f.facilityCode)},"id":${int(f.doseId)},"lot":${optStr(f.lot)},"product_id":${str(f.productId)},"status":${str(f.status)},"version":${int(f.doseVersion)}},` +
    `"form":${str(DOSE_FORM)},` +
    `"person":{"dob":${str(f.dob)},"document":${doc ? `{"country":${str(doc.country)},"kind":${str(doc.kind)},"number":${str(doc.number)}}` : 'null'},` +
    `"full_name":${str(f.fullName)},"id":${int(f.personId)},"sex":${str(f.sex)},"version":${int(f.personVersion)}},` +
    `"signed_at":${str(attrs.signedAt)},"signer":${str(attrs.signer)}}`
  );
}

/** Tag of a signed batch root (see merkle.ts): the bytes a batch signature covers. */
export const DOSE_BATCH_FORM = 'vaxpass.dose-batch/1';

/** What a batch signature covers besides the root. */
export interface BatchAttributes extends SignedAttributes {
  /** Leaves (records) in the batch: bound, so a proof cannot be replayed in another tree size. */
  readonly size: number;
}

/**
 * The canonical JSON text (RFC 8785) a batch signature covers:
 * `{"form":"vaxpass.dose-batch/1","root":"<hex>","signed_at":…,"signer":…,"size":n}`. Each
 * record of the batch is a leaf (the SHA-256 of its {@link canonicalDose} bytes), so the
 * record's signer and time are signed twice over: in the leaf and here.
 * @param rootHex - the Merkle tree hash, lowercase hex
 * @param attrs - signer, signing time, number of leaves
 */
export function canonicalBatch(rootHex: string, attrs: BatchAttributes): string {
  return `{"form":${str(DOSE_BATCH_FORM)},"root":${str(rootHex)},"signed_at":${str(attrs.signedAt)},"signer":${str(attrs.signer)},"size":${int(attrs.size)}}`;
}

/** A JSON string as RFC 8785 writes it (the ECMAScript JSON.stringify escaping). */
const str = (v: string): string => JSON.stringify(v);
const optStr = (v: string | null): string => (v === null ? 'null' : JSON.stringify(v));

/** An integer as RFC 8785 writes it; the database gives only safe integers here. */
function int(v: number): string {
  if (!Number.isSafeInteger(v)) throw new Error(`canonical dose: ${v} is not a safe integer`);
  return String(v);
}
