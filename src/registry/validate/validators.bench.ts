/**
 * Throughput of a full field check of one clean row (every parser plus the dose-series rules),
 * single-threaded. Run: `npx tsx src/registry/validate/validators.bench.ts`.
 */
import { checkDoseSeries } from './check-dose-series.js';
import type { DoseFact } from './check-dose-series.js';
import { generateCccd } from './parse-id-number.js';
import { parseDob } from './parse-dob.js';
import { parseDoseDate } from './parse-dose-date.js';
import { parseDoseNumber } from './parse-dose-number.js';
import { parseFullName } from './parse-full-name.js';
import { parseIdNumber } from './parse-id-number.js';
import { parseLot } from './parse-lot.js';
import { parsePhone } from './parse-phone.js';
import { parseProvinceCode } from './parse-province-code.js';
import { parseSex } from './parse-sex.js';
import { resolveVaccine } from './resolve-vaccine.js';

const today = '2022-04-15';
const names = ['Nguyễn Văn An', 'Trần Thị Bích Ngọc', 'Lê Hoàng Minh', 'Phạm Thị Hương', 'Hoàng Đức Anh', 'Võ Thị Thu Trang'];
const vaccines = ['AstraZeneca', 'Pfizer', 'Vero Cell', 'Moderna'];
const rows = Array.from({ length: 10_000 }, (_, i) => {
  const year = 1940 + (i % 70);
  const sex = i % 2 === 0 ? 'M' : 'F';
  return {
    full_name: names[i % names.length]!,
    dob: `${String((i % 28) + 1).padStart(2, '0')}/${String((i % 12) + 1).padStart(2, '0')}/${year}`,
    sex: sex === 'M' ? 'Nam' : 'Nữ',
    id_number: generateCccd(['001', '079', '031', '048'][i % 4]!, year, sex, i),
    phone: `09${String(10_000_000 + i).slice(0, 8)}`,
    province_code: ['01', '79', '31', '48'][i % 4]!,
    vaccine: vaccines[i % vaccines.length]!,
    lot: `ABV${5000 + (i % 900)}`,
    dose_date: `${String((i % 28) + 1).padStart(2, '0')}/10/2021`,
    dose_number: '2',
  };
});

const NO_CTX = { today };
const existing = new Map<string, readonly DoseFact[]>();

function checkRow(r: (typeof rows)[number]): number {
  let errors = 0;
  if (!parseFullName(r.full_name).ok) errors++;
  const dob = parseDob(r.dob, NO_CTX);
  const sex = parseSex(r.sex);
  const id = parseIdNumber(r.id_number, { dob: dob.ok ? dob.value : undefined, sex: sex.ok ? sex.value : undefined, today });
  if (!dob.ok || !sex.ok || !id.ok) errors++;
  if (!parsePhone(r.phone).ok) errors++;
  if (!parseProvinceCode(r.province_code).ok) errors++;
  if (!parseLot(r.lot).ok) errors++;
  const vac = resolveVaccine(r.vaccine, { ageYears: 40 });
  const date = parseDoseDate(r.dose_date, { today, product: vac.ok ? vac.value : undefined });
  const num = parseDoseNumber(r.dose_number);
  if (!vac.ok || !date.ok || !num.ok) return errors + 1;
  let prior = existing.get(vac.value.id);
  if (prior === undefined) existing.set(vac.value.id, (prior = [{ productId: vac.value.id, date: '2021-07-01', doseNumber: 1 }]));
  return errors + checkDoseSeries(prior, { productId: vac.value.id, date: date.value, doseNumber: num.value }).length;
}

let bad = 0;
for (const r of rows) bad += checkRow(r); // warm-up
if (bad !== 0) throw new Error(`benchmark rows are not clean: ${bad} issues`);
const N = 2_000_000;
const t0 = process.hrtime.bigint();
for (let i = 0; i < N; i++) bad += checkRow(rows[i % rows.length]!);
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`full row check: ${Math.round(N / secs).toLocaleString('en')} rows/s (${((secs / N) * 1e9).toFixed(0)} ns/row, ${N} rows, issues ${bad})`);
