import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ChunkedWriter } from './chunked-writer.js';
import { Sfc32 } from './sfc32.js';
import type { SeedProvince } from './seed-types.js';
import { spellVaccineCsv } from './vaccine-spellings.js';
import { csvCell } from '../import/index.js';

/** Header of the ministry's vaccination-record import template, exactly as facilities receive it. */
export const RECORDS_HEADER = 'Họ và tên,Ngày sinh,Giới tính,Số CCCD/CMND,Số điện thoại,Mã tỉnh,Tên vắc xin,Số lô,Ngày tiêm,Mũi số';
/** Header of the register extract (the truth the population database holds). */
export const REGISTER_HEADER = 'id_number,full_name,dob,sex';
/** Header of the facilities file. */
export const FACILITIES_HEADER = 'code,name,province_code,district_code,type';
/** Header of the injected-errors answer key. */
export const INJECTED_HEADER = 'seq,id_number_truth,kind,field,real_mismatch';

/** Random stream the writers use for spelling choices and Excel damage. */
export const STREAM_WRITER = 3;

/** What a writer produced. */
export interface SeedFilesSummary {
  readonly people: number;
  /** Dose rows in records.csv (or the XLSX sheet). */
  readonly records: number;
  readonly injected: number;
  readonly facilities: number;
  readonly files: readonly string[];
}


/**
 * `yyyy-mm-dd` → `dd/mm/yyyy`; a year-only date stays `yyyy`.
 * @param iso - ISO date or year
 */
export function vnDate(iso: string): string {
  return iso.length === 10 ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso;
}

/**
 * Writes one province's seed files into `dir` (created if needed), all UTF-8 without BOM (a
 * legacy-encoded name is written as the Unicode text a cp1252 decode would have produced):
 * - `records.csv`: the ministry import template, one row per dose (dd/mm/yyyy, Nam/Nữ, vaccine
 *   names as people typed them);
 * - `register.csv`: everyone's current ID, NFC name, yyyy-mm-dd (or yyyy) DOB, M/F;
 * - `facilities.csv`; `injected.csv`: the answer key, one row per injected difference.
 * Deterministic: the same generator (province, seed, options) gives the same bytes.
 * @param gen - what generateProvince returned
 * @param dir - output folder
 */
export async function writeSeedCsv(gen: SeedProvince, dir: string): Promise<SeedFilesSummary> {
  await mkdir(dir, { recursive: true });
  const files = ['records.csv', 'register.csv', 'facilities.csv', 'injected.csv'].map((f) => join(dir, f));
  const [recordsPath, registerPath, facilitiesPath, injectedPath] = files as [string, string, string, string];

  const fac = new ChunkedWriter(facilitiesPath);
  fac.add(`${FACILITIES_HEADER}\n`);
  for (const f of gen.facilities) fac.add(`${f.code},${csvCell(f.name)},${f.provinceCode},${f.districtCode},${f.type}\n`);
  await fac.close();

  const rec = new ChunkedWriter(recordsPath);
  const reg = new ChunkedWriter(registerPath);
  const inj = new ChunkedWriter(injectedPath);
  rec.add(`${RECORDS_HEADER}\n`);
  reg.add(`${REGISTER_HEADER}\n`);
  inj.add(`${INJECTED_HEADER}\n`);
  const rng = new Sfc32(gen.seed, STREAM_WRITER);
  const province = gen.provinceCode;
  // Dates repeat (dose days span two years, birth days a century): each distinct one is converted once.
  const vnDates = new Map<string, string>();
  const vnDateOf = (iso: string): string => {
    let v = vnDates.get(iso);
    if (v === undefined) {
      v = vnDate(iso);
      vnDates.set(iso, v);
    }
    return v;
  };
  let people = 0;
  let records = 0;
  let injected = 0;
  for (const p of gen.persons()) {
    people++;
    const t = p.truth;
    reg.add(`${t.idNumber ?? ''},${csvCell(t.fullName)},${t.dob},${t.sex}\n`);
    if (p.doses.length > 0) {
      const r = p.recorded;
      // Everything before the vaccine column is the same on each of the person's rows.
      const head = `${csvCell(r.fullName)},${vnDateOf(r.dob)},${r.sex === 'M' ? 'Nam' : 'Nữ'},${r.idNumber ?? ''},${p.phone},${province},`;
      let rows = '';
      for (const d of p.doses) {
        rows += `${head}${spellVaccineCsv(rng, d.productId)},${d.lot},${vnDateOf(d.doseDate)},${d.doseNumber}\n`;
      }
      rec.add(rows);
      records += p.doses.length;
      for (const e of p.injected) {
        inj.add(`${p.seq},${t.idNumber ?? ''},${e.kind},${e.field},${e.realMismatch}\n`);
        injected++;
      }
    }
    if ((people & 127) === 0) {
      await rec.maybeFlush();
      await reg.maybeFlush();
      await inj.maybeFlush();
    }
  }
  await Promise.all([rec.close(), reg.close(), inj.close()]);
  return { people, records, injected, facilities: gen.facilities.length, files };
}
