import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import ExcelJS from 'exceljs';
import { benchSeed, generateProvince, INJECTED_HEADER, RECORDS_HEADER, REGISTER_HEADER, writeSeedCsv, writeSeedXlsx } from './index.js';
import { csvCell as csvField } from '../import/index.js';

const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const d = await mkdtemp(join(tmpdir(), 'vaxpass-seed-test-'));
  dirs.push(d);
  return d;
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

/** Minimal RFC 4180 reader (quoted fields, doubled quotes, LF line ends). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

async function readAll(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of ['records.csv', 'register.csv', 'facilities.csv', 'injected.csv']) out[f] = await readFile(join(dir, f), 'utf8');
  return out;
}

test('csvField quotes only what needs it and round-trips', () => {
  assert.equal(csvField('Nguyễn Văn An'), 'Nguyễn Văn An');
  const tricky = ['Lê, Thị "Bé"', 'a\nb', ''];
  assert.deepEqual(parseCsv(`${tricky.map(csvField).join(',')}\n`), [tricky]);
});

test('CSV files: deterministic bytes, parse back to the generated records', async () => {
  const opts = { provinceCode: '79', people: 3000, seed: 11 };
  const [d1, d2, d3] = [await tempDir(), await tempDir(), await tempDir()];
  const s1 = await writeSeedCsv(generateProvince(opts), d1);
  await writeSeedCsv(generateProvince(opts), d2);
  await writeSeedCsv(generateProvince({ ...opts, seed: 12 }), d3);
  const f1 = await readAll(d1);
  assert.deepEqual(f1, await readAll(d2));
  assert.notEqual(f1['records.csv'], (await readAll(d3))['records.csv']);

  const records = parseCsv(f1['records.csv'] ?? '');
  assert.equal(records[0]?.join(','), RECORDS_HEADER);
  assert.equal(records.length - 1, s1.records);
  const register = parseCsv(f1['register.csv'] ?? '');
  assert.equal(register[0]?.join(','), REGISTER_HEADER);
  assert.equal(register.length - 1, 3000);
  assert.equal(new Set(register.slice(1).map((r) => r[0])).size, 3000);
  const injected = parseCsv(f1['injected.csv'] ?? '');
  assert.equal(injected[0]?.join(','), INJECTED_HEADER);
  assert.equal(injected.length - 1, s1.injected);
  assert.ok(parseCsv(f1['facilities.csv'] ?? '').slice(1).some((r) => r[4] === 'cdc'));

  // Row by row against the generator.
  let i = 1;
  for (const p of generateProvince(opts).persons()) {
    const reg = register[p.seq + 1];
    assert.deepEqual(reg, [p.truth.idNumber, p.truth.fullName, p.truth.dob, p.truth.sex]);
    for (const d of p.doses) {
      const row = records[i++];
      assert.ok(row && row.length === 10, JSON.stringify(row));
      const [name, dob, sex, id, phone, prov, vaccine, lot, date, n] = row;
      assert.equal(name, p.recorded.fullName);
      assert.match(dob ?? '', /^(\d{2}\/\d{2}\/)?\d{4}$/);
      assert.equal(sex, p.recorded.sex === 'M' ? 'Nam' : 'Nữ');
      assert.equal(id, p.recorded.idNumber ?? '');
      assert.equal(phone, p.phone);
      assert.equal(prov, '79');
      assert.ok((vaccine ?? '').length > 1);
      assert.equal(lot, d.lot);
      assert.equal(date, `${d.doseDate.slice(8, 10)}/${d.doseDate.slice(5, 7)}/${d.doseDate.slice(0, 4)}`);
      assert.equal(n, String(d.doseNumber));
    }
  }
  assert.equal(i, records.length);
  // Legacy-encoded names are in the file as the Unicode text a cp1252 decode gives.
  assert.ok(injected.slice(1).some((r) => r[2] === 'name_tcvn3'));
  assert.match(f1['records.csv'] ?? '', /Nguy(Ô|eã|á»…)n/);
});

test('XLSX opens with exceljs: header, rows, IDs as numbers without the leading zero, real dates', async () => {
  const file = join(await tempDir(), 'records.xlsx');
  const s = await writeSeedXlsx(generateProvince({ provinceCode: '01', people: 600, seed: 2 }), file);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0];
  assert.ok(ws);
  assert.deepEqual((ws.getRow(1).values as unknown[]).slice(1), RECORDS_HEADER.split(','));
  assert.equal(ws.rowCount, s.records + 1);
  let numericIds = 0;
  let dates = 0;
  ws.eachRow((row, n) => {
    if (n === 1) return;
    const id = row.getCell(4).value;
    if (typeof id === 'number') {
      numericIds++;
      // CCCDs of 001–009 lose two zeros, 010–096 one; CMNDs with a 0 prefix one.
      assert.ok([8, 10, 11].includes(String(id).length), String(id));
    }
    if (row.getCell(9).value instanceof Date) dates++;
  });
  assert.ok(numericIds > 0 && dates > 0, `${numericIds} ${dates}`);
});

test('benchSeed reports a rate', async () => {
  const r = await benchSeed(2000);
  assert.equal(r.people, 2000);
  assert.ok(r.rows > 2000 && r.peoplePerSecond > 0);
});
