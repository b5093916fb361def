/**
 * The payload checks of dgc-testdata (README "Code Generation" 1-2, "Code Validation" 6-8):
 * JSON against the schema, JSON → CBOR, COSE payload against CBOR and JSON, the whole chain from
 * PREFIX (or the picture) against JSON, and the decoded DCC against the schema.
 */
import { CWT_HCERT, cborDecode, cborEncode, decodeCwt, fromHc1, parseCose, validateSchema } from '../hcert/index.js';
import { no, ok } from './inputs.js';
import type { Read } from './inputs.js';
import { contentDifference } from './same-content.js';
import { attempt } from './vector-data.js';
import type { VectorData } from './vector-data.js';

/** The DCC inside a decoded CBOR item: the item itself, or claim -260/1 when it is a whole CWT. */
function dccOf(item: unknown): unknown {
  if (item instanceof Map && item.has(CWT_HCERT)) {
    const hcert: unknown = item.get(CWT_HCERT);
    return hcert instanceof Map ? hcert.get(1) : undefined;
  }
  return item;
}

function schemaVerdict(what: string, payload: unknown): Read<string> {
  const result = validateSchema(payload);
  if (result.ok) return ok(`${what} is valid against schema ${result.schemaVersion}`);
  const first = result.errors.slice(0, 3).map((e) => `${e.path || '/'} ${e.message}`);
  return no(`${what} fails schema ${result.schemaVersion}: ${first.join('; ')}${result.errors.length > 3 ? '; ...' : ''}`);
}

/**
 * EXPECTEDVALIDOBJECT: the JSON field is a DCC valid against the schema.
 * @param data - the vector's layers
 */
export function checkValidObject(data: VectorData): Read<string> {
  const json = data.json();
  return json.ok ? schemaVerdict('JSON', json.value) : json;
}

/**
 * EXPECTEDSCHEMAVALIDATION: the DCC decoded from the certificate (COSE, else the chain from
 * PREFIX; CBOR or JSON for vectors that carry only those) is valid against the schema.
 * @param data - the vector's layers
 */
export function checkSchema(data: VectorData): Read<string> {
  const f = data.vector.fields;
  if (f.COSE !== undefined || f.COMPRESSED !== undefined || f.BASE45 !== undefined || f.PREFIX !== undefined) {
    const payload = data.payload();
    return payload.ok ? schemaVerdict('the decoded DCC', payload.value.cwt.dcc) : payload;
  }
  if (f.CBOR !== undefined) {
    const cbor = data.cbor();
    return cbor.ok ? schemaVerdict('the CBOR DCC', dccOf(cbor.value)) : cbor;
  }
  return checkValidObject(data);
}

/**
 * EXPECTEDENCODE: CBOR made from JSON by our encoder has the content of the CBOR field.
 * @param data - the vector's layers
 */
export function checkEncode(data: VectorData): Read<string> {
  const json = data.json();
  if (!json.ok) return json;
  const cbor = data.cbor();
  if (!cbor.ok) return cbor;
  const ours = attempt('encode JSON as CBOR', () => cborDecode(cborEncode(json.value)));
  if (!ours.ok) return ours;
  const d = contentDifference(ours.value, dccOf(cbor.value));
  return d ? no(`CBOR encoded from JSON differs from CBOR: ${d}`) : ok('CBOR encoded from JSON has the content of CBOR');
}

/**
 * EXPECTEDDECODE: the COSE payload decodes as a CWT with a DCC, whose content equals the CBOR
 * field (whole claims when CBOR is a whole CWT) and the JSON field, where the vector has them.
 * @param data - the vector's layers
 */
export function checkDecode(data: VectorData): Read<string> {
  const payload = data.payload();
  if (!payload.ok) return payload;
  const compared: string[] = [];
  if (data.vector.fields.CBOR !== undefined) {
    const cbor = data.cbor();
    if (!cbor.ok) return cbor;
    const wholeCwt = cbor.value instanceof Map && cbor.value.has(CWT_HCERT);
    const d = contentDifference(wholeCwt ? payload.value.item : dccOf(payload.value.item), cbor.value);
    if (d) return no(`COSE payload differs from CBOR: ${d}`);
    compared.push('CBOR');
  }
  if (data.vector.fields.JSON !== undefined) {
    const d = contentDifference(payload.value.cwt.dcc, data.vector.fields.JSON);
    if (d) return no(`COSE payload differs from JSON: ${d}`);
    compared.push('JSON');
  }
  return ok(compared.length > 0 ? `COSE payload has the content of ${compared.join(' and ')}` : 'COSE payload decodes');
}

/**
 * EXPECTEDVALIDJSON: the whole chain from PREFIX (or, without PREFIX, the picture's text)
 * decodes to a DCC equal to the JSON field.
 * @param data - the vector's layers
 * @param pictureText - the QR text of the picture, for vectors without PREFIX
 */
export function checkValidJson(data: VectorData, pictureText?: string): Read<string> {
  const prefix = data.prefix();
  const text = prefix.ok ? prefix.value : pictureText;
  if (text === undefined) return no('vector has neither PREFIX nor a readable picture');
  const json = data.json();
  if (!json.ok) return json;
  const dcc = attempt('decode the chain', () => decodeCwt(parseCose(fromHc1(text).cose).payload).dcc);
  if (!dcc.ok) return dcc;
  const d = contentDifference(dcc.value, json.value);
  return d ? no(`DCC decoded from ${prefix.ok ? 'PREFIX' : 'the picture'} differs from JSON: ${d}`) : ok('the whole chain decodes to JSON');
}
