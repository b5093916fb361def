/**
 * Every issue code the field validators can report, with its severity and its English and
 * Vietnamese message templates. Codes are stable API (the importer, the REST API and reports
 * key on them); the wording may improve. `{name}` placeholders are filled by `makeIssue`;
 * `{field}` is filled with the field's label in the message's language.
 */
export interface IssueTemplate {
  readonly severity: 'error' | 'warning';
  readonly en: string;
  readonly vi: string;
}

export const ISSUE_CODES = {
  // ── any field ───────────────────────────────────────────────────────────────
  FIELD_REQUIRED: {
    severity: 'error',
    en: '{field} is empty',
    vi: '{field} đang để trống',
  },

  // ── id_number ───────────────────────────────────────────────────────────────
  ID_MISSING: {
    severity: 'warning',
    en: 'No ID number (CCCD/CMND/passport): the record is kept but cannot be verified against the National Population Database',
    vi: 'Không có số CCCD/CMND/hộ chiếu: bản ghi vẫn được giữ nhưng không thể đối chiếu với Cơ sở dữ liệu quốc gia về dân cư',
  },
  ID_PLACEHOLDER: {
    severity: 'warning',
    en: 'ID number "{value}" is a placeholder, not a number; treated as missing',
    vi: 'Số định danh "{value}" chỉ là giá trị điền tạm, không phải số thật; coi như không có số định danh',
  },
  ID_INVALID_CHARACTER: {
    severity: 'error',
    en: 'ID number "{value}" contains {char} at position {pos}; a CCCD/CMND number has digits only',
    vi: 'Số CCCD/CMND "{value}" chứa ký tự {char} ở vị trí {pos}; số CCCD/CMND chỉ gồm chữ số',
  },
  ID_NOT_INTEGER: {
    severity: 'error',
    en: 'ID number {value} arrived as a decimal number; the spreadsheet cell is damaged, format the column as Text and re-enter it',
    vi: 'Số CCCD/CMND {value} được lưu dưới dạng số thập phân; ô trong bảng tính đã bị hỏng, hãy định dạng cột là Văn bản (Text) và nhập lại',
  },
  ID_LENGTH: {
    severity: 'error',
    en: 'ID number "{value}" has {digits} digits; a CCCD has 12 digits and a CMND 9',
    vi: 'Số CCCD/CMND "{value}" có {digits} chữ số; số CCCD phải có 12 chữ số, số CMND có 9 chữ số',
  },
  ID_SCIENTIFIC_LOST: {
    severity: 'error',
    en: 'ID number "{value}" is in scientific notation (Excel shortened it): only {kept} of its {total} digits survive and the rest cannot be recovered; format the column as Text and re-export',
    vi: 'Số CCCD/CMND "{value}" đã bị Excel chuyển sang dạng số mũ: chỉ còn {kept} trên {total} chữ số, không thể khôi phục phần còn lại; hãy định dạng cột là Văn bản (Text) rồi xuất lại tệp',
  },
  ID_SCIENTIFIC_RECOVERED: {
    severity: 'warning',
    en: 'ID number "{value}" was in scientific notation but kept all its digits; read as {number}',
    vi: 'Số CCCD/CMND "{value}" bị Excel chuyển sang dạng số mũ nhưng vẫn đủ chữ số; đã đọc lại thành {number}',
  },
  ID_LEADING_ZERO_RESTORED: {
    severity: 'warning',
    en: 'ID number "{value}" has {digits} digits: the leading zero(s) were lost (typically by Excel) and were restored as {number}',
    vi: 'Số CCCD/CMND "{value}" chỉ có {digits} chữ số: (các) số 0 ở đầu đã bị mất (thường do Excel) và được thêm lại thành {number}',
  },
  ID_PROVINCE_UNKNOWN: {
    severity: 'warning',
    en: 'CCCD {number}: digits 1–3 ({code}) are not one of the 63 province codes (possibly a country code for a birth registered abroad); check it manually',
    vi: 'Số CCCD {number}: 3 chữ số đầu ({code}) không thuộc 63 mã tỉnh/thành phố (có thể là mã quốc gia nếu đăng ký khai sinh ở nước ngoài); cần kiểm tra lại',
  },
  ID_BIRTH_YEAR_FUTURE: {
    severity: 'error',
    en: 'CCCD {number}: digits 4–6 ({digits}) mean birth year {year}, which is in the future',
    vi: 'Số CCCD {number}: chữ số thứ 4–6 ({digits}) ứng với năm sinh {year}, là năm trong tương lai',
  },
  ID_SEX_MISMATCH: {
    severity: 'error',
    en: 'CCCD {number}: digit 4 (century/sex) is {digit} = {idSex} born {from}–{to}, but sex is {sex}',
    vi: 'Số CCCD {number}: chữ số thứ 4 (thế kỷ/giới tính) là {digit} = {idSexVi} sinh năm {from}–{to}, nhưng giới tính là {sexVi}',
  },
  ID_CENTURY_MISMATCH: {
    severity: 'error',
    en: 'CCCD {number}: digit 4 (century/sex) is {digit} = {idSex} born {from}–{to}, but the date of birth is in {year}',
    vi: 'Số CCCD {number}: chữ số thứ 4 (thế kỷ/giới tính) là {digit} = {idSexVi} sinh năm {from}–{to}, nhưng năm sinh là {year}',
  },
  ID_BIRTH_YEAR_MISMATCH: {
    severity: 'error',
    en: 'CCCD {number}: digits 5–6 (birth year) are {yy}, but the date of birth is in {year} (expected {expected})',
    vi: 'Số CCCD {number}: chữ số thứ 5–6 (năm sinh) là {yy}, nhưng năm sinh là {year} (lẽ ra phải là {expected})',
  },
  ID_PASSPORT_FORMAT: {
    severity: 'error',
    en: 'Passport number "{value}" is not a passport number: expected a letter then 5–8 letters or digits, at least one of them a digit',
    vi: 'Số hộ chiếu "{value}" không đúng dạng: cần một chữ cái, tiếp theo là 5–8 chữ cái hoặc chữ số, trong đó có ít nhất một chữ số',
  },

  // ── dates (dob, dose_date) ─────────────────────────────────────────────────
  DATE_FORMAT: {
    severity: 'error',
    en: '{field} "{value}" is not a date in an accepted format (dd/mm/yyyy, yyyy-mm-dd, dd-mm-yyyy, dd.mm.yyyy or an Excel date number)',
    vi: '{field} "{value}" không phải là ngày theo định dạng được chấp nhận (dd/mm/yyyy, yyyy-mm-dd, dd-mm-yyyy, dd.mm.yyyy hoặc số ngày của Excel)',
  },
  DATE_INCOMPLETE: {
    severity: 'error',
    en: '{field} "{value}" is not a full date: day, month and year are needed',
    vi: '{field} "{value}" chưa phải là ngày đầy đủ: cần có ngày, tháng và năm',
  },
  DATE_INVALID_MONTH: {
    severity: 'error',
    en: '{field} "{value}": month {month} does not exist (months are 1–12; dates are read as day/month/year)',
    vi: '{field} "{value}": không có tháng {month} (tháng chỉ từ 1 đến 12; ngày được đọc theo thứ tự ngày/tháng/năm)',
  },
  DATE_INVALID_DAY: {
    severity: 'error',
    en: '{field} "{value}": day {day} does not exist, {monthEn} {year} has {days} days',
    vi: '{field} "{value}": không có ngày {day}, tháng {month}/{year} chỉ có {days} ngày',
  },
  DATE_YEAR_RANGE: {
    severity: 'error',
    en: '{field} "{value}": year {year} is outside 1900–2099',
    vi: '{field} "{value}": năm {year} nằm ngoài khoảng 1900–2099',
  },
  DATE_SERIAL_RANGE: {
    severity: 'error',
    en: '{field} {value} looks like an Excel date number but is outside the accepted range {min}–{max} ({from} to {to})',
    vi: '{field} {value} có vẻ là số ngày của Excel nhưng nằm ngoài khoảng chấp nhận {min}–{max} (từ {from} đến {to})',
  },
  DATE_EXCEL_1900_02_29: {
    severity: 'error',
    en: '{field} {value}: Excel day number 60 is the non-existent 29 February 1900 (a Lotus 1-2-3 bug Excel keeps)',
    vi: '{field} {value}: số ngày 60 của Excel là ngày 29/02/1900 không có thật (lỗi kế thừa từ Lotus 1-2-3)',
  },
  DATE_TWO_DIGIT_YEAR: {
    severity: 'warning',
    en: '{field} "{value}": two-digit year {yy} was read as {year}',
    vi: '{field} "{value}": năm viết tắt 2 chữ số {yy} được hiểu là năm {year}',
  },

  // ── dob ─────────────────────────────────────────────────────────────────────
  DOB_IN_FUTURE: {
    severity: 'error',
    en: 'Date of birth {value} is after today ({today})',
    vi: 'Ngày sinh {value} sau ngày hôm nay ({today})',
  },
  DOB_BEFORE_1900: {
    severity: 'error',
    en: 'Date of birth {value} is before 1900',
    vi: 'Ngày sinh {value} trước năm 1900',
  },
  DOB_ZERO_PARTS: {
    severity: 'warning',
    en: 'Date of birth "{value}" has 00 for an unknown day or month; stored as the partial date {text} (the EU DCC allows year or year-month)',
    vi: 'Ngày sinh "{value}" ghi 00 cho ngày hoặc tháng không rõ; được lưu thành ngày không đầy đủ {text} (EU DCC cho phép chỉ năm hoặc năm-tháng)',
  },

  // ── dose_date ───────────────────────────────────────────────────────────────
  DOSE_DATE_IN_FUTURE: {
    severity: 'error',
    en: 'Dose date {value} is after today ({today})',
    vi: 'Ngày tiêm {value} sau ngày hôm nay ({today})',
  },
  DOSE_DATE_BEFORE_CAMPAIGN: {
    severity: 'error',
    en: 'Dose date {value} is before {min}: no COVID-19 vaccine was given in Viet Nam before then',
    vi: 'Ngày tiêm {value} trước ngày {min}: trước thời điểm này Việt Nam chưa tiêm vắc xin COVID-19',
  },
  DOSE_DATE_BEFORE_PRODUCT: {
    severity: 'error',
    en: 'Dose date {value} is before {product} was available in Viet Nam ({from})',
    vi: 'Ngày tiêm {value} trước thời điểm vắc xin {product} có tại Việt Nam ({from})',
  },
  DOSE_DATE_BEFORE_DOB: {
    severity: 'error',
    en: 'Dose date {value} is before the date of birth ({dob})',
    vi: 'Ngày tiêm {value} trước ngày sinh ({dob})',
  },

  // ── sex ─────────────────────────────────────────────────────────────────────
  SEX_UNKNOWN: {
    severity: 'error',
    en: 'Sex "{value}" is not recognised; write Nam or Nữ (M/F and Male/Female are also accepted)',
    vi: 'Giới tính "{value}" không hợp lệ; hãy ghi Nam hoặc Nữ (cũng chấp nhận M/F, Male/Female)',
  },
  SEX_NUMERIC_CODE: {
    severity: 'error',
    en: 'Sex "{value}" is a numeric code, and 0/1/2 mean different things in different systems; write Nam or Nữ, or tell the importer which code system the file uses',
    vi: 'Giới tính "{value}" là mã số, mà 0/1/2 mang nghĩa khác nhau tùy hệ thống; hãy ghi Nam hoặc Nữ, hoặc khai báo bảng mã mà tệp sử dụng',
  },

  // ── phone ───────────────────────────────────────────────────────────────────
  PHONE_INVALID: {
    severity: 'warning',
    en: 'Phone "{value}" is not a Vietnamese phone number ({reason}); the phone was left empty',
    vi: 'Số điện thoại "{value}" không phải số điện thoại Việt Nam ({reasonVi}); số điện thoại được để trống',
  },
  PHONE_OLD_PREFIX: {
    severity: 'warning',
    en: 'Phone "{value}" uses the 11-digit mobile prefix {old}, retired in 2018; converted to {number}',
    vi: 'Số điện thoại "{value}" dùng đầu số 11 số {old} đã chuyển đổi năm 2018; đã đổi thành {number}',
  },

  // ── province_code ───────────────────────────────────────────────────────────
  PROVINCE_UNKNOWN: {
    severity: 'error',
    en: 'Province "{value}" is neither a 2-digit province code (e.g. 01 Hà Nội, 79 Hồ Chí Minh; codes skip some numbers) nor a province name',
    vi: 'Tỉnh/thành phố "{value}" không phải mã tỉnh 2 chữ số (ví dụ 01 Hà Nội, 79 Hồ Chí Minh; mã không liên tục) cũng không phải tên tỉnh/thành phố',
  },

  // ── vaccine ─────────────────────────────────────────────────────────────────
  VACCINE_UNKNOWN: {
    severity: 'error',
    en: 'Vaccine "{value}" is not recognised; accepted names: {accepted}',
    vi: 'Vắc xin "{value}" không xác định được; các tên được chấp nhận: {accepted}',
  },
  VACCINE_NOT_LICENSED: {
    severity: 'error',
    en: 'Vaccine "{value}" ({product}) was never licensed in Viet Nam, so no dose of it can be recorded',
    vi: 'Vắc xin "{value}" ({product}) chưa từng được cấp phép tại Việt Nam nên không thể ghi nhận mũi tiêm',
  },
  VACCINE_AGE_MISMATCH: {
    severity: 'warning',
    en: 'Vaccine "{value}" is the Pfizer product for children aged 5–11, but the person was {age} years old',
    vi: 'Vắc xin "{value}" là vắc xin Pfizer dành cho trẻ 5–11 tuổi, nhưng người được tiêm {age} tuổi',
  },

  // ── lot ─────────────────────────────────────────────────────────────────────
  LOT_INVALID: {
    severity: 'warning',
    en: 'Lot "{value}" looks wrong: {reason}',
    vi: 'Số lô "{value}" có vẻ sai: {reasonVi}',
  },

  // ── dose_number ─────────────────────────────────────────────────────────────
  DOSE_NUMBER_INVALID: {
    severity: 'error',
    en: 'Dose number "{value}" is not a whole number (write 1, 2, 3… or "Mũi 1")',
    vi: 'Mũi tiêm "{value}" không phải số nguyên (hãy ghi 1, 2, 3… hoặc "Mũi 1")',
  },
  DOSE_NUMBER_RANGE: {
    severity: 'error',
    en: 'Dose number {value} is outside 1–9',
    vi: 'Mũi tiêm số {value} nằm ngoài khoảng 1–9',
  },

  // ── dose series (checkDoseSeries) ───────────────────────────────────────────
  DOSE_DUPLICATE: {
    severity: 'warning',
    en: 'Dose of {product} on {date} is already recorded (dose {existing}); counted as a duplicate',
    vi: 'Mũi tiêm {product} ngày {date} đã được ghi nhận (mũi {existing}); tính là bản ghi trùng',
  },
  DOSE_SAME_DAY: {
    severity: 'error',
    en: 'Dose {dose} ({product}) on {date}: dose {other} ({otherProduct}) is already recorded on the same day',
    vi: 'Mũi {dose} ({product}) ngày {date}: đã có mũi {other} ({otherProduct}) được ghi nhận cùng ngày',
  },
  DOSE_NUMBER_CONFLICT: {
    severity: 'error',
    en: 'Dose {dose} on {date}: dose {dose} is already recorded on {otherDate} ({otherProduct})',
    vi: 'Mũi {dose} ngày {date}: mũi {dose} đã được ghi nhận ngày {otherDate} ({otherProduct})',
  },
  DOSE_ORDER: {
    severity: 'error',
    en: 'Dose {dose} on {date} is out of order: dose {other} is on {otherDate}',
    vi: 'Mũi {dose} ngày {date} sai thứ tự: mũi {other} là ngày {otherDate}',
  },
  DOSE_INTERVAL_SHORT: {
    severity: 'warning',
    en: 'Doses {first} ({firstDate}) and {second} ({secondDate}) are {days} days apart; the minimum for {product} is {min} days',
    vi: 'Mũi {first} ({firstDate}) và mũi {second} ({secondDate}) cách nhau {days} ngày; khoảng cách tối thiểu với {product} là {min} ngày',
  },
  DOSE_BOOSTER_TOO_EARLY: {
    severity: 'warning',
    en: 'Booster dose {dose} on {date} is {days} days after the last primary dose ({lastDate}); MoH guidance (2022-03): booster at least 3 months ({min} days) after the primary series',
    vi: 'Mũi nhắc {dose} ngày {date} chỉ cách mũi cơ bản cuối ({lastDate}) {days} ngày; theo hướng dẫn của Bộ Y tế (03/2022): mũi nhắc cách mũi cơ bản cuối ít nhất 3 tháng ({min} ngày)',
  },
  DOSE_PRODUCT_UNKNOWN: {
    severity: 'error',
    en: 'Vaccine product id "{value}" is not in the reference data',
    vi: 'Mã vắc xin "{value}" không có trong dữ liệu tham chiếu',
  },

  // ── full_name ───────────────────────────────────────────────────────────────
  NAME_TOO_LONG: {
    severity: 'error',
    en: 'Full name has {length} characters; at most {max} are allowed',
    vi: 'Họ và tên dài {length} ký tự; tối đa {max} ký tự',
  },
  NAME_ONE_WORD: {
    severity: 'error',
    en: 'Full name "{value}" has a single word; family name and given name are needed',
    vi: 'Họ và tên "{value}" chỉ có một từ; cần có cả họ và tên',
  },
  NAME_INVALID_CHARACTER: {
    severity: 'error',
    en: 'Full name "{value}" contains {char}{hint} at position {pos}; only letters, spaces, hyphens and apostrophes are allowed',
    vi: 'Họ và tên "{value}" chứa ký tự {char}{hintVi} ở vị trí {pos}; chỉ được dùng chữ cái, dấu cách, dấu gạch nối và dấu nháy đơn',
  },
} as const satisfies Record<string, IssueTemplate>;

/** A stable issue code, e.g. `ID_SEX_MISMATCH`. */
export type IssueCode = keyof typeof ISSUE_CODES;

type Placeholders<S extends string> = S extends `${string}{${infer K}}${infer Rest}` ? K | Placeholders<Rest> : never;

/** The values a code's templates need (`field` is filled in by `makeIssue`). */
export type IssueParams<C extends IssueCode> = Readonly<
  Record<Exclude<Placeholders<(typeof ISSUE_CODES)[C]['en']> | Placeholders<(typeof ISSUE_CODES)[C]['vi']>, 'field'>, string | number>
>;
