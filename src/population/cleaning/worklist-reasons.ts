/** The reasons shown on a worklist row, one per failing field, in English and Vietnamese. */
import type { IdentityField } from '../verifier.js';
import type { WorklistReason, WorklistStatus } from './cleaning-types.js';

const LABELS: Record<IdentityField, { en: string; vi: string }> = {
  id_number: { en: 'ID number', vi: 'Số định danh' },
  full_name: { en: 'full name', vi: 'Họ và tên' },
  dob: { en: 'date of birth', vi: 'Ngày sinh' },
  sex: { en: 'sex', vi: 'Giới tính' },
};

/**
 * Reasons of a non-verified result.
 * @param status - MISMATCH, NOT_FOUND or NOT_SENT
 * @param fields - the differing (MISMATCH) or missing (NOT_SENT) fields
 */
export function worklistReasons(status: WorklistStatus, fields: readonly IdentityField[]): WorklistReason[] {
  if (status === 'NOT_FOUND') {
    return [{ field: 'id_number', code: 'ID_NOT_IN_REGISTER', en: 'The ID number is not in the population register', vi: 'Số định danh không có trong Cơ sở dữ liệu quốc gia về dân cư' }];
  }
  return fields.map((field) => {
    const l = LABELS[field];
    return status === 'NOT_SENT'
      ? { field, code: 'FIELD_MISSING' as const, en: `Missing ${l.en}: the record could not be sent for verification`, vi: `Thiếu ${l.vi.toLowerCase()}: chưa gửi xác thực được` }
      : { field, code: 'FIELD_DIFFERS' as const, en: `The ${l.en} differs from the population register`, vi: `${l.vi} không khớp với Cơ sở dữ liệu quốc gia về dân cư` };
  });
}
