/**
 * Formats a trust list or CSCA list may come in, turned into entries to check one by one.
 *
 * 1. **EU DCC gateway** (DGCG `GET /trustList`): a JSON array of
 *    `{ kid, timestamp, country, certificateType, thumbprint, signature, rawData }` where
 *    `rawData` is the base64 DER certificate, `thumbprint` its hex SHA-256 and `kid` the base64
 *    of its first 8 bytes. Entries of another `certificateType` than the one imported (`DSC` for
 *    trust lists, `CSCA` for CSCA lists) are skipped with a reason. (`signature`, the gateway
 *    trust anchor's signature over the entry, is not checked here: see the report.)
 * 2. **Plain bundle**:
 *    - PEM text with one or more `CERTIFICATE` blocks (`.pem`/`.crt`), or one DER certificate;
 *    - JSON `{ "dsc": ["<base64 DER>", …] }` (trust lists) / `{ "csca": [...] }` (CSCA lists),
 *      or a bare JSON array of base64 DER strings. Array items may also be gateway objects.
 *    A bundle carries no country field: the country is the certificate subject's `C=`.
 */

/** What is being imported: foreign document signers, or the CSCAs they chain to. */
export type ListKind = 'dsc' | 'csca';

/** One entry to check: its certificate bytes, or why there are none, plus the list's claims. */
export interface ListEntry {
  /** Where it came from, for results: `file.json#2`, `bundle.pem#1`. */
  readonly label: string;
  readonly der?: Buffer;
  /** Set when the entry cannot even be read (the entry is rejected). */
  readonly error?: string;
  /** Set when the entry is of another certificate type (the entry is skipped). */
  readonly skip?: string;
  /** Claims of a gateway entry, checked against the certificate when present. */
  readonly kid?: string;
  readonly thumbprint?: string;
  readonly country?: string;
  readonly certificateType?: string;
}

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/g;
const BASE64 = /^[A-Za-z0-9+/=\s]+$/;

/**
 * Splits one file's bytes into entries; never throws.
 * @param name - file name or URL, for labels
 * @param bytes - the content
 * @param kind - `dsc` for a trust list, `csca` for a CSCA list
 */
export function parseListEntries(name: string, bytes: Buffer, kind: ListKind): ListEntry[] {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  const trimmed = text.trimStart();
  if (trimmed.startsWith('[') || trimmed.startsWith('{')) return parseJson(name, text, kind);
  const blocks = [...text.matchAll(PEM_BLOCK)];
  if (blocks.length > 0) return blocks.map((m, i) => ({ label: `${name}#${i + 1}`, der: Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64') }));
  if (text.trim() !== '' && BASE64.test(text.trim())) return [{ label: name, der: Buffer.from(text.trim(), 'base64') }];
  if (bytes.length > 0 && bytes[0] === 0x30) return [{ label: name, der: bytes }];
  return [{ label: name, error: 'not a certificate list: neither JSON, PEM nor DER' }];
}

function parseJson(name: string, text: string, kind: ListKind): ListEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return [{ label: name, error: `not valid JSON: ${(e as Error).message}` }];
  }
  let items: unknown[];
  if (Array.isArray(doc)) items = doc;
  else if (isObject(doc) && Array.isArray(doc[kind])) items = doc[kind] as unknown[];
  else if (isObject(doc) && typeof doc.rawData === 'string') items = [doc];
  else return [{ label: name, error: `JSON is neither an array nor an object with a "${kind}" array` }];
  return items.map((item, i) => jsonEntry(`${name}#${i + 1}`, item, kind));
}

function jsonEntry(label: string, item: unknown, kind: ListKind): ListEntry {
  if (typeof item === 'string') return base64Entry(label, item);
  if (!isObject(item)) return { label, error: 'entry is neither a base64 string nor an object' };
  const claims = {
    ...(typeof item.kid === 'string' ? { kid: item.kid } : {}),
    ...(typeof item.thumbprint === 'string' ? { thumbprint: item.thumbprint } : {}),
    ...(typeof item.country === 'string' ? { country: item.country } : {}),
    ...(typeof item.certificateType === 'string' ? { certificateType: item.certificateType } : {}),
  };
  const wanted = kind === 'dsc' ? 'DSC' : 'CSCA';
  if (claims.certificateType !== undefined && claims.certificateType.toUpperCase() !== wanted) {
    return { label, ...claims, skip: `certificateType ${claims.certificateType}, not ${wanted}` };
  }
  if (typeof item.rawData !== 'string') return { label, ...claims, error: 'no "rawData" (base64 DER certificate)' };
  return { ...base64Entry(label, item.rawData), ...claims };
}

function base64Entry(label: string, b64: string): ListEntry {
  if (!BASE64.test(b64) || b64.trim() === '') return { label, error: 'rawData is not base64' };
  return { label, der: Buffer.from(b64.replace(/\s+/g, ''), 'base64') };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
