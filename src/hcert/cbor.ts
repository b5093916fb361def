/**
 * CBOR (RFC 8949) through cbor-x, configured for COSE peers: no record extension, no tag on byte
 * strings, no tag 259 on maps, definite-length maps. cbor-x's defaults emit CBOR that other COSE
 * implementations misread.
 */
import { Decoder, Encoder, Tag } from 'cbor-x';

// useTag259ForMaps is a real cbor-x option missing from its type declarations.
const encoder = new Encoder({
  useRecords: false,
  tagUint8Array: false,
  useTag259ForMaps: false,
  variableMapSize: true,
  mapsAsObjects: false,
} as ConstructorParameters<typeof Encoder>[0]);

// Maps stay Maps when decoding: COSE and CWT use integer keys, which objects would stringify.
const decoder = new Decoder({ useRecords: false, mapsAsObjects: false });

/**
 * Encodes a value as CBOR.
 * @param value - Maps, arrays, strings, numbers, byte arrays, plain objects
 */
export function cborEncode(value: unknown): Buffer {
  return encoder.encode(value);
}

/**
 * Decodes one CBOR item (throws on malformed input or trailing bytes).
 * @param bytes - CBOR data
 */
export function cborDecode(bytes: Uint8Array): unknown {
  return decoder.decode(bytes);
}

export { Tag };

/**
 * Converts decoded CBOR (Maps, tags, Dates, byte strings) into JSON-shaped data: what the DCC
 * payload is defined as. Tagged values keep their content; dates become ISO strings.
 * @param value - a decoded CBOR item
 */
export function cborToJson(value: unknown): unknown {
  if (value instanceof Map) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of value) o[String(k)] = cborToJson(v);
    return o;
  }
  if (Array.isArray(value)) return value.map(cborToJson);
  if (value instanceof Tag) return cborToJson(value.value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString().replace('.000Z', 'Z');
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  if (typeof value === 'bigint') return Number(value);
  if (value !== null && typeof value === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) o[k] = cborToJson(v);
    return o;
  }
  return value ?? null;
}
