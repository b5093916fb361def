/**
 * Field parsers and validators for vaccination records (bulk CSV/XLSX import, facility REST API,
 * FHIR import). Pure and synchronous; every parser returns `Parsed<T>` and never throws for bad
 * input. Issue codes and their en/vi templates are in `ISSUE_CODES`.
 */
export { ISSUE_CODES } from './issue-codes.js';
export type { IssueCode, IssueParams, IssueTemplate } from './issue-codes.js';
export { FIELD_LABELS, makeIssue } from './field-issue.js';
export type { Cell, FieldIssue, FieldName, Parsed } from './field-issue.js';
export { todayInVietnam } from './calendar.js';
export { cccdCenturySexDigit, decodeCccd, generateCccd, parseIdNumber } from './parse-id-number.js';
export type { CccdInfo, IdContext, IdNumber } from './parse-id-number.js';
export { EXCEL_SERIAL_MAX, EXCEL_SERIAL_MIN, isoToExcelSerial, parseDate } from './parse-date.js';
export type { DateKind, ParseDateOptions } from './parse-date.js';
export { parseDob } from './parse-dob.js';
export type { ParseDobOptions, PartialDate } from './parse-dob.js';
export { CAMPAIGN_START, parseDoseDate } from './parse-dose-date.js';
export type { ParseDoseDateOptions } from './parse-dose-date.js';
export { parseSex } from './parse-sex.js';
export type { ParseSexOptions } from './parse-sex.js';
export { parsePhone } from './parse-phone.js';
export { parseProvinceCode } from './parse-province-code.js';
export { ACCEPTED_VACCINE_NAMES, productLabel, resolveVaccine } from './resolve-vaccine.js';
export type { ResolveVaccineOptions } from './resolve-vaccine.js';
export { parseDoseNumber } from './parse-dose-number.js';
export { BOOSTER_MIN_DAYS, checkDoseSeries, classifyDose, isDuplicateDose } from './check-dose-series.js';
export type { DoseFact, ProductLookup } from './check-dose-series.js';
export { FULL_NAME_MAX, parseFullName } from './parse-full-name.js';
export { LOT_MAX, parseLot } from './parse-lot.js';
