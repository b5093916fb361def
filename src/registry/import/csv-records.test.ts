import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';
import { readCsvRecordChunks, readCsvRecords } from './csv-records.js';
import type { CsvRecord } from './csv-records.js';

/** The text's bytes in pieces of `size` (cutting quoted fields, CRLFs and UTF-8 characters). */
function pieces(text: string, size: number): AsyncIterable<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  const out: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
  return Readable.from(out);
}

test('the chunked reader yields the records of the per-record reader, in order, with their lines', async () => {
  const text = 'Họ và tên,Ngày sinh\r\n"Nguyễn ""An""",01/01/1980\r\n\r\n"Trần\nBình",1990\nLê Văn C,1/2/1960';
  for (const size of [1, 3, 7, 1 << 20]) {
    const single: CsvRecord[] = [];
    for await (const r of readCsvRecords(pieces(text, size))) single.push(r);
    const chunked: CsvRecord[] = [];
    for await (const chunk of readCsvRecordChunks(pieces(text, size))) {
      assert.ok(chunk.length > 0);
      chunked.push(...chunk);
    }
    assert.deepEqual(chunked, single);
    assert.deepEqual(
      single.map((r) => [r.line, r.cells]),
      [
        [1, ['Họ và tên', 'Ngày sinh']],
        [2, ['Nguyễn "An"', '01/01/1980']],
        [4, ['Trần\nBình', '1990']],
        [6, ['Lê Văn C', '1/2/1960']],
      ],
    );
  }
});
