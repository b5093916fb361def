/**
 * Streaming CSV reader (RFC 4180: quotes, doubled quotes, CR/LF, newlines inside quotes) over
 * byte chunks, with the text decoding old Vietnamese Excel exports need.
 *
 * Hand-written because the import's goal is 100k rows/s end to end including validation and the
 * database: csv-parse 7 measured 310k rows/s alone on a 10-column file here (a third of the whole
 * budget), while this loop over whole decoded chunks does several times that. It keeps no more
 * than one chunk plus one partial record in memory.
 */
import { decodeWindows1252 } from '../text/index.js';

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One RFC 4180 field for writing: quoted only when it holds a comma, quote or line break.
 * @param s - field text
 */
export function csvCell(s: string): string {
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV record and the 1-based line of the file where it starts. */
export interface CsvRecord {
  readonly line: number;
  readonly cells: string[];
}

/** How the bytes were decoded, decided from the first chunk (see {@link readCsvRecords}). */
export type CsvEncoding = 'utf-8' | 'windows-1252';

/** Options of {@link readCsvRecords}. */
export interface CsvReadOptions {
  /** Field separator; default: sniffed from the first line (`,`, `;` or tab). */
  readonly delimiter?: string;
  /** Told once, as soon as the encoding is known. */
  readonly onEncoding?: (encoding: CsvEncoding) => void;
}

/** Bytes looked at to decide the encoding; UTF-8 multi-byte sequences cannot hide that long. */
const SNIFF_BYTES = 1 << 20;

/**
 * Decodes a byte stream to text. Files are UTF-8 unless the first MiB is not valid UTF-8, in
 * which case the whole file is read as Windows-1252: that is how TCVN3/VNI files saved by old
 * Excel arrive, and the per-column repair then turns them back into Unicode Vietnamese.
 */
async function* decodeChunks(source: AsyncIterable<Uint8Array>, onEncoding?: (e: CsvEncoding) => void): AsyncGenerator<string> {
  const pending: Uint8Array[] = [];
  let pendingBytes = 0;
  let decoder: { decode(b: Uint8Array, o?: { stream: boolean }): string } | undefined;
  const choose = (): { decode(b: Uint8Array, o?: { stream: boolean }): string } => {
    const head = concat(pending, pendingBytes);
    let encoding: CsvEncoding = 'utf-8';
    try {
      // `stream: true` so a multi-byte character cut at the sniff boundary is not an error.
      new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    } catch {
      encoding = 'windows-1252';
    }
    onEncoding?.(encoding);
    // Node 20's TextDecoder('windows-1252') is really Latin-1 (0x80–0x9F wrong), hence ours.
    return encoding === 'utf-8' ? new TextDecoder('utf-8', { ignoreBOM: false }) : { decode: (b: Uint8Array) => decodeWindows1252(b) };
  };
  for await (const chunk of source) {
    if (decoder === undefined) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      if (pendingBytes < SNIFF_BYTES) continue;
      decoder = choose();
      yield decoder.decode(concat(pending, pendingBytes), { stream: true });
      pending.length = 0;
      continue;
    }
    yield decoder.decode(chunk, { stream: true });
  }
  if (decoder === undefined) {
    decoder = choose();
    yield decoder.decode(concat(pending, pendingBytes), { stream: true });
  }
  yield decoder.decode(new Uint8Array(0));
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1 && parts[0] !== undefined) return parts[0];
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function sniffDelimiter(text: string): string {
  const end = text.indexOf('\n');
  const first = end < 0 ? text : text.slice(0, end);
  let best = ',';
  let bestCount = 0;
  for (const d of [',', ';', '\t']) {
    const count = first.split(d).length - 1;
    if (count > bestCount) {
      best = d;
      bestCount = count;
    }
  }
  return best;
}

const QUOTE = 34;
const CR = 13;
const LF = 10;

/**
 * Reads CSV records from a byte stream. Empty lines are skipped (they still count for line
 * numbers); a file ending inside a quoted field yields what was read.
 * @param source - the file's bytes, e.g. `createReadStream(path)`
 * @param options - delimiter, encoding callback
 */
export async function* readCsvRecords(source: AsyncIterable<Uint8Array>, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord> {
  for await (const records of readCsvRecordChunks(source, options)) for (const r of records) yield r;
}

/**
 * {@link readCsvRecords} one decoded chunk at a time (thousands of records per step): the
 * import's pipeline pays one async step per chunk instead of one per row and layer.
 * @param source - the file's bytes
 * @param options - delimiter, encoding callback
 */
export async function* readCsvRecordChunks(source: AsyncIterable<Uint8Array>, options: CsvReadOptions = {}): AsyncGenerator<CsvRecord[]> {
  let delimiter = options.delimiter;
  let sep = -1;
  let line = 1; // line of the next character
  let recordLine = 1;
  let cells: string[] = [];
  let field = '';
  let inQuotes = false;
  let afterQuote = false; // just saw a closing quote (a quote now means a literal quote)
  let lastWasCr = false;
  let first = true;

  let out: CsvRecord[] = [];
  for await (let text of decodeChunks(source, options.onEncoding)) {
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      delimiter ??= sniffDelimiter(text);
      sep = delimiter.charCodeAt(0);
      first = false;
    }
    const n = text.length;
    let start = 0; // start of the unconsumed plain run inside `field`
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (inQuotes) {
        if (c === QUOTE) {
          field += text.slice(start, i);
          start = i + 1;
          inQuotes = false;
          afterQuote = true;
        } else if (c === LF) {
          line++;
        }
        continue;
      }
      if (c === QUOTE) {
        field += text.slice(start, i);
        start = i + 1;
        if (afterQuote) field += '"'; // "" inside a quoted field
        inQuotes = true;
        afterQuote = false;
        continue;
      }
      afterQuote = false;
      if (c === sep) {
        cells.push(field + text.slice(start, i));
        field = '';
        start = i + 1;
        continue;
      }
      if (c === LF || c === CR) {
        if (c === LF && lastWasCr) {
          // second half of CRLF: the record already ended at CR
          lastWasCr = false;
          start = i + 1;
          continue;
        }
        lastWasCr = c === CR;
        cells.push(field + text.slice(start, i));
        field = '';
        start = i + 1;
        if (!(cells.length === 1 && cells[0] === '')) out.push({ line: recordLine, cells });
        cells = [];
        line++;
        recordLine = line;
        continue;
      }
      lastWasCr = false;
    }
    field += text.slice(start);
    if (out.length > 0) {
      yield out;
      out = [];
    }
  }
  if (field !== '' || cells.length > 0) {
    cells.push(field);
    if (!(cells.length === 1 && cells[0] === '')) yield [{ line: recordLine, cells }];
  }
}
