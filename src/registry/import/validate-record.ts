/**
 * Turns one raw record (a file row, a FHIR pair, a corrected quarantine row) into clean person
 * and dose values, or the full list of what is wrong with it. Field rules live in `../validate`;
 * this file only sequences them (the dose date needs the product, the product the age…) and
 * repairs legacy-encoded text first. Dose-series rules need the person's other doses, so the
 * writer applies them (see `bulk-writer.ts`).
 */
import { createHash } from 'node:crypto';
import { foldName, isVietnameseSyllable, nameMatchKey, normalizeName, repairText, repairVietnamese } from '../text/index.js';
import type { LegacyEncoding } from '../text/index.js';
import {
  classifyDose,
  parseDob,
  parseDoseDate,
  parseDoseNumber,
  parseFullName,
  parseIdNumber,
  parsePhone,
  parseProvinceCode,
  parseSex,
  resolveVaccine,
} from '../validate/index.js';
import type { FieldIssue, PartialDate } from '../validate/index.js';
import type { VaccineProduct } from '../reference/index.js';
import type { RawRecord, RawValue } from './import-row.js';

/** Identity values of a valid record, ready for the `person` and `person_document` tables. */
export interface PersonValues {
  readonly idKind: 'CCCD' | 'CMND' | 'PASSPORT' | null;
  readonly idNumber: string | null;
  /** As read (before any encoding repair). */
  readonly fullNameRaw: string;
  readonly fullName: string;
  readonly nameFold: string;
  readonly nameKey: string;
  readonly dob: string;
  readonly sex: 'M' | 'F';
  readonly phone: string | null;
  readonly provinceCode: string | null;
  /** Set when there is no ID number: finds the same person again on a re-import. */
  readonly dedupKey: string | null;
}

/** Dose values of a valid record, ready for the `dose` table. */
export interface DoseValues {
  readonly productId: string;
  readonly doseDate: string;
  readonly doseNumber: number;
  readonly doseKind: 'primary' | 'booster';
  readonly lot: string | null;
}

export interface ValidRecord {
  readonly person: PersonValues;
  readonly dose: DoseValues;
}

export type RecordCheck = { ok: true; record: ValidRecord; warnings: readonly FieldIssue[] } | { ok: false; issues: readonly FieldIssue[] };

/** Context of {@link validateRecord}. */
export interface ValidateContext {
  /** Today's date (yyyy-mm-dd) in Viet Nam: nothing may be dated after it. */
  readonly today: string;
  /** Per text column, the legacy encoding the importer detected for it (absent = Unicode). */
  readonly encodings?: Readonly<Partial<Record<'full_name' | 'lot', LegacyEncoding>>>;
}

function text(v: RawValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  return typeof v === 'string' ? v : String(v);
}

function ageAt(dob: PartialDate, date: string): number {
  const y = Number(date.slice(0, 4));
  const md = date.slice(5);
  const dobMd = `${String(dob.month ?? 1).padStart(2, '0')}-${String(dob.day ?? 1).padStart(2, '0')}`;
  return y - dob.year - (md < dobMd ? 1 : 0);
}

/** Every word of the NFC name is a possible Vietnamese syllable (ethnic-minority names may not be: they are then only re-checked, never changed unless a legacy reading is plausible). */
function plausibleName(name: string): boolean {
  for (const word of name.normalize('NFC').trim().split(/[\s-]+/)) if (word !== '' && !isVietnameseSyllable(word)) return false;
  return true;
}

/** Entries kept per memo before it is cleared (bounds memory on huge files). */
const MEMO_MAX = 20_000;

/**
 * A bounded memo of a pure function of one string. The previous argument is checked first: a
 * person's rows follow each other and repeat its name, date of birth, phone…, and comparing two
 * short strings is cheaper than hashing a freshly read one into a 20k-entry map (the memo's
 * map work was ~14 % of the import worker's time in a profile).
 */
function memo<T>(fn: (raw: string) => T): (raw: string) => T {
  const cache = new Map<string, T>();
  let lastRaw: string | undefined;
  let lastValue: T | undefined;
  return (raw) => {
    if (raw === lastRaw) return lastValue as T;
    let v = cache.get(raw);
    if (v === undefined) {
      if (cache.size >= MEMO_MAX) cache.clear();
      v = fn(raw);
      cache.set(raw, v);
    }
    lastRaw = raw;
    lastValue = v;
    return v;
  };
}

interface NameForms {
  readonly parsed: ReturnType<typeof parseFullName>;
  readonly display: string;
  readonly key: string;
  readonly fold: string;
}

/**
 * Makes a record validator for one import (one `today`, one set of column encodings).
 * Names, dates and product names repeat across millions of rows (every dose of a person repeats
 * the person; a day's list repeats the date), so the pure per-field results are memoised by raw
 * text: a row then costs a few map lookups instead of full Unicode normalisation and parsing.
 * @param ctx - today and the detected column encodings
 * @returns the validator; every failing field is reported, not only the first
 */
export function createRecordValidator(ctx: ValidateContext): (values: RawRecord) => RecordCheck {
  const nameEncoding = ctx.encodings?.full_name;
  const lotEncoding = ctx.encodings?.lot;
  const today = ctx.today;
  const names = memo((raw): NameForms => {
    let repaired = nameEncoding === undefined ? raw : repairText(raw, nameEncoding);
    let repairedFrom: string | undefined;
    // A column read as Unicode can still hold a few legacy-encoded cells (lists merged from
    // several old files). A name whose words are not all Vietnamese syllables gets a per-value
    // guess; a repair is reported as a warning and the raw text is kept in full_name_raw.
    if (nameEncoding === undefined && !plausibleName(repaired)) {
      const guess = repairVietnamese(repaired);
      if (guess.encoding !== 'unicode' && guess.text !== repaired && plausibleName(guess.text)) {
        repairedFrom = guess.encoding;
        repaired = guess.text;
      }
    }
    const parsed = parseFullName(repaired);
    if (!parsed.ok) return { parsed, display: '', key: '', fold: '' };
    const display = normalizeName(parsed.value);
    const forms = { display, key: nameMatchKey(display), fold: foldName(display) };
    if (repairedFrom === undefined) return { parsed, ...forms };
    const warning: FieldIssue = {
      field: 'full_name',
      code: 'NAME_ENCODING_REPAIRED',
      severity: 'warning',
      en: `Full name "${raw}" was written in a legacy encoding (${repairedFrom}) and was repaired to "${display}"; the original is kept`,
      vi: `Họ và tên "${raw}" được gõ bằng bảng mã cũ (${repairedFrom}) và đã được sửa thành "${display}"; bản gốc vẫn được lưu`,
    };
    return { parsed: { ok: true, value: parsed.value, warnings: [...parsed.warnings, warning] }, ...forms };
  });
  const dobs = memo((raw) => parseDob(raw, { today }));
  const eventDates = memo((raw) => parseDoseDate(raw, { today }));
  const sexes = memo((raw) => parseSex(raw));
  const phones = memo((raw) => parsePhone(raw));
  const provinces = memo((raw) => parseProvinceCode(raw));
  const doseNumbers = memo((raw) => parseDoseNumber(raw));
  const vaccines = memo((key) => {
    const bar = key.lastIndexOf('|');
    const age = key.slice(bar + 1);
    return resolveVaccine(key.slice(0, bar), age === '' ? {} : { ageYears: Number(age) });
  });
  const cell = <T>(v: RawValue, m: (raw: string) => T, direct: (v: Date | number | null) => T): T =>
    typeof v === 'string' ? m(v) : direct(v === undefined ? null : v);

  return (values) => {
    const issues: FieldIssue[] = [];
    const warnings: FieldIssue[] = [];
    const take = <T>(r: { ok: true; value: T; warnings: readonly FieldIssue[] } | { ok: false; issues: readonly FieldIssue[] }): T | undefined => {
      if (r.ok) {
        if (r.warnings.length > 0) warnings.push(...r.warnings);
        return r.value;
      }
      issues.push(...r.issues);
      return undefined;
    };

    const rawName = text(values.full_name);
    const name = names(rawName);
    const fullName = take(name.parsed);
    const dob = take(cell(values.dob, dobs, (v) => parseDob(v, { today })));
    const sex = take(cell(values.sex, sexes, (v) => parseSex(v)));
    const id = take(parseIdNumber(values.id_number ?? '', { dob, sex }));
    const phoneRaw = text(values.phone).trim();
    const phone = phoneRaw === '' ? null : take(phones(phoneRaw));
    const provinceRaw = text(values.province_code).trim();
    const provinceCode = provinceRaw === '' ? null : take(provinces(provinceRaw));
    const doseNumber = take(cell(values.dose_number, doseNumbers, (v) => parseDoseNumber(v)));
    // The dose date tells a child's Pfizer from an adult's, so it is parsed (memoised, without
    // the product) before the product is resolved, then checked against the product and dob.
    const probe = cell(values.dose_date, eventDates, (v) => parseDoseDate(v, { today }));
    const ageYears = dob && probe.ok ? ageAt(dob, probe.value) : undefined;
    const product: VaccineProduct | undefined = take(vaccines(`${text(values.vaccine)}|${ageYears === undefined ? '' : String(ageYears)}`));
    const doseDate = take(probe.ok ? parseDoseDate(probe.value, { today, product, dob }) : probe);
    const lotRaw = text(values.lot).trim();
    const lot = lotRaw === '' ? null : lotEncoding === undefined ? lotRaw : repairText(lotRaw, lotEncoding);

    if (issues.length > 0 || fullName === undefined || dob === undefined || sex === undefined || id === undefined || doseDate === undefined || doseNumber === undefined || product === undefined) {
      return { ok: false, issues: [...issues, ...warnings] };
    }
    const dedupKey =
      id === null ? createHash('sha256').update(`${name.key}|${dob.text}|${sex}|${phone ?? ''}`).digest('base64url').slice(0, 22) : null;
    return {
      ok: true,
      warnings,
      record: {
        person: {
          idKind: id?.kind ?? null,
          idNumber: id?.number ?? null,
          fullNameRaw: rawName,
          fullName: name.display,
          nameFold: name.fold,
          nameKey: name.key,
          dob: dob.text,
          sex,
          phone: phone ?? null,
          provinceCode: provinceCode ?? null,
          dedupKey,
        },
        dose: {
          productId: product.id,
          doseDate,
          doseNumber,
          doseKind: classifyDose(doseNumber, product),
          lot,
        },
      },
    };
  };
}

/**
 * Validates one record (a validator made for this call; use {@link createRecordValidator} for many).
 * @param values - raw values by canonical field
 * @param ctx - today and the detected column encodings
 */
export function validateRecord(values: RawRecord, ctx: ValidateContext): RecordCheck {
  return createRecordValidator(ctx)(values);
}
