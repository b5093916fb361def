/**
 * Validates a person's fields through the shared field parsers (the same ones the importer
 * uses), collecting every issue rather than stopping at the first.
 */
import { findDistrict } from '../reference/index.js';
import { foldName, normalizeName, repairVietnamese } from '../text/index.js';
import { parseDob, parseFullName, parseIdNumber, parsePhone, parseProvinceCode, parseSex } from '../validate/index.js';
import type { FieldIssue, IdNumber, PartialDate } from '../validate/index.js';
import { customIssue } from '../common/index.js';
import type { NewPerson } from './person-types.js';

/** The clean values of a valid person. */
export interface CleanPerson {
  readonly fullNameRaw: string;
  readonly fullName: string;
  readonly nameFold: string;
  readonly dob: PartialDate;
  readonly sex: 'M' | 'F';
  /** Null when none was given (a warning). */
  readonly document: { kind: IdNumber['kind']; number: string; country: string } | null;
  readonly nationality: string;
  readonly phone: string | null;
  readonly provinceCode: string | null;
  readonly districtCode: string | null;
  readonly wardCode: string | null;
}

const ALPHA3 = /^[A-Z]{3}$/;
const WARD = /^\d{5}$/;

/** Clean name forms of a name as entered: legacy encodings repaired, normalised, folded. */
export function nameForms(raw: string): { text: string; issues: readonly FieldIssue[]; fullName: string; nameFold: string } {
  const repaired = repairVietnamese(raw.trim()).text;
  const r = parseFullName(repaired);
  if (!r.ok) return { text: repaired, issues: r.issues, fullName: '', nameFold: '' };
  const fullName = normalizeName(r.value);
  return { text: repaired, issues: r.warnings, fullName, nameFold: foldName(fullName) };
}

function blank(v: string | null | undefined): boolean {
  return v === null || v === undefined || v.trim() === '';
}

/**
 * Validates every field of `input`.
 * @param input - the person as entered
 * @param options - `today` (yyyy-mm-dd) for date checks
 * @returns the clean person, or undefined with the issues; warnings in both cases
 */
export function validatePerson(input: NewPerson, options: { today?: string } = {}): { clean: CleanPerson | undefined; issues: FieldIssue[] } {
  const issues: FieldIssue[] = [];
  const take = <T>(r: { ok: true; value: T; warnings: readonly FieldIssue[] } | { ok: false; issues: readonly FieldIssue[] }): T | undefined => {
    if (r.ok) {
      issues.push(...r.warnings);
      return r.value;
    }
    issues.push(...r.issues);
    return undefined;
  };
  const name = nameForms(input.fullName);
  issues.push(...name.issues);
  const dob = take(parseDob(input.dob, options.today === undefined ? {} : { today: options.today }));
  const sex = take(parseSex(input.sex));
  const ctx = { ...(dob ? { dob } : {}), ...(sex ? { sex } : {}), ...(options.today === undefined ? {} : { today: options.today }) };
  // An empty or placeholder ID gives null with an ID_MISSING warning (old records lack IDs).
  const id = take(parseIdNumber(input.idNumber ?? null, ctx));
  const nationality = (input.nationality ?? 'VNM').trim().toUpperCase() || 'VNM';
  if (!ALPHA3.test(nationality)) issues.push(customIssue('nationality', 'NATIONALITY_INVALID', `Nationality "${nationality}" must be an ISO 3166 alpha-3 code such as VNM`, `Quốc tịch "${nationality}" phải là mã ISO 3166 gồm 3 chữ cái, ví dụ VNM`));
  const idCountry = (input.idCountry ?? '').trim().toUpperCase();
  if (idCountry !== '' && !ALPHA3.test(idCountry)) issues.push(customIssue('id_country', 'COUNTRY_INVALID', `Issuing country "${idCountry}" must be an ISO 3166 alpha-3 code`, `Nước cấp "${idCountry}" phải là mã ISO 3166 gồm 3 chữ cái`));
  // The importer keeps a row whose phone is unreadable (warning, phone dropped); a person entered
  // directly should fix it instead, so here it is an error and nothing typed is lost.
  const phoneR = blank(input.phone) ? undefined : parsePhone(input.phone);
  const phone = phoneR === undefined ? null : take(phoneR.ok && phoneR.value === null ? { ok: false, issues: phoneR.warnings.map((w) => ({ ...w, severity: 'error' as const })) } : phoneR);
  const provinceCode = blank(input.provinceCode) ? null : take(parseProvinceCode(input.provinceCode));
  const districtCode = blank(input.districtCode) ? null : (input.districtCode ?? '').trim();
  if (districtCode !== null) {
    const d = findDistrict(districtCode);
    if (!d) issues.push(customIssue('district_code', 'DISTRICT_UNKNOWN', `District code "${districtCode}" does not exist`, `Mã quận/huyện "${districtCode}" không tồn tại`));
    else if (provinceCode === null || d.provinceCode !== provinceCode) {
      issues.push(customIssue('district_code', 'DISTRICT_NOT_IN_PROVINCE', `District "${districtCode}" (${d.name}) is in province ${d.provinceCode}, not ${provinceCode ?? '(none given)'}`, `Quận/huyện "${districtCode}" (${d.name}) thuộc tỉnh ${d.provinceCode}, không phải ${provinceCode ?? '(chưa nhập)'}`));
    }
  }
  const wardCode = blank(input.wardCode) ? null : (input.wardCode ?? '').trim();
  if (wardCode !== null && !WARD.test(wardCode)) issues.push(customIssue('ward_code', 'WARD_INVALID', `Ward code "${wardCode}" must be 5 digits`, `Mã phường/xã "${wardCode}" phải gồm 5 chữ số`));
  if (issues.some((i) => i.severity === 'error') || dob === undefined || sex === undefined || name.fullName === '') return { clean: undefined, issues };
  const document = id ? { kind: id.kind, number: id.number, country: id.kind === 'PASSPORT' ? idCountry || nationality : 'VNM' } : null;
  return {
    clean: { fullNameRaw: input.fullName, fullName: name.fullName, nameFold: name.nameFold, dob, sex, document, nationality, phone: phone ?? null, provinceCode: provinceCode ?? null, districtCode, wardCode },
    issues,
  };
}
