/**
 * Small structural checks for untrusted FHIR JSON: the few element types the reader needs,
 * with the regular expressions of the FHIR R4 datatypes page.
 */

/** A JSON object (not an array, not null). */
export type JsonObject = Record<string, unknown>;

/**
 * True for a plain JSON object.
 * @param v - any parsed JSON value
 */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** FHIR `id`: 1–64 of `A-Z a-z 0-9 - .`. */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;

/** FHIR `date`: `yyyy`, `yyyy-mm` or `yyyy-mm-dd` (the calendar check is the pipeline's). */
export const FHIR_DATE = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

/** FHIR `dateTime`: a `date`, or a full date with a time AND a zone. */
export const FHIR_DATE_TIME =
  /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d{1,9})?(Z|[+-]((0\d|1[0-3]):[0-5]\d|14:00)))?)?)?$/;

const HCM_OFFSET_MS = 7 * 3600 * 1000;

/**
 * The calendar date in Asia/Ho_Chi_Minh (UTC+7, no daylight saving since 1975) of a FHIR
 * dateTime; a date without a time is returned as is.
 * @param dateTime - a string matching {@link FHIR_DATE_TIME}
 */
export function hoChiMinhDate(dateTime: string): string {
  if (dateTime.length <= 10 || dateTime.endsWith('+07:00')) return dateTime.slice(0, 10);
  const ms = Date.parse(dateTime);
  // Unparseable (e.g. 31 February): keep the written date and let the pipeline reject it.
  if (Number.isNaN(ms)) return dateTime.slice(0, 10);
  return new Date(ms + HCM_OFFSET_MS).toISOString().slice(0, 10);
}
