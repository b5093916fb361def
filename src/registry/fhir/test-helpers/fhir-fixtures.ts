/**
 * Test fixtures: canonical import rows and the person/document/dose/facility rows the registry
 * would hold for them, so tests can export them and read them back.
 */
import type { RawRecord } from '../../import/import-row.js';
import type { FhirDoseRow, FhirFacilityRow } from '../dose-to-immunization.js';
import type { FhirDocumentRow, FhirPersonRow } from '../person-to-patient.js';

/** One person and their doses, as canonical values. */
export interface Sample {
  readonly person: Omit<RawRecord, 'vaccine' | 'lot' | 'dose_date' | 'dose_number'>;
  readonly idKind?: 'CCCD' | 'CMND' | 'PASSPORT';
  readonly doses: readonly { vaccine: string; lot?: string; dose_date: string; dose_number: number }[];
}

export const SAMPLES: readonly Sample[] = [
  {
    person: { full_name: 'Nguyễn Văn An', dob: '1990-05-17', sex: 'M', id_number: '001090012345', phone: '0912345678', province_code: '01' },
    idKind: 'CCCD',
    doses: [
      { vaccine: 'astrazeneca', lot: 'ABV1234', dose_date: '2021-07-01', dose_number: 1 },
      { vaccine: 'astrazeneca', lot: 'ABV5678', dose_date: '2021-09-20', dose_number: 2 },
      { vaccine: 'comirnaty', lot: 'FK1234', dose_date: '2022-01-15', dose_number: 3 },
    ],
  },
  {
    person: { full_name: 'Trần Thị Bích Ngọc', dob: '1965', sex: 'F', id_number: '025123456', province_code: '79' },
    idKind: 'CMND',
    doses: [{ vaccine: 'vero_cell', lot: '202107A', dose_date: '2021-08-02', dose_number: 1 }],
  },
  {
    person: { full_name: 'Lê Minh', dob: '2015-03', sex: 'M' },
    doses: [{ vaccine: 'comirnaty_paediatric', dose_date: '2022-04-20', dose_number: 1 }],
  },
  {
    person: { full_name: 'John Smith', dob: '1980-12-01', sex: 'M', id_number: 'C1234567' },
    idKind: 'PASSPORT',
    doses: [{ vaccine: 'janssen', lot: 'XD955', dose_date: '2021-10-05', dose_number: 1 }],
  },
];

/** The registry rows a sample would be stored as (ids from 1 in sample order). */
export function sampleRows(samples: readonly Sample[] = SAMPLES): {
  person: FhirPersonRow;
  documents: FhirDocumentRow[];
  doses: FhirDoseRow[];
}[] {
  let doseId = 0;
  return samples.map((s, i) => ({
    person: {
      id: i + 1,
      full_name: String(s.person.full_name),
      dob: String(s.person.dob),
      sex: String(s.person.sex),
      nationality: s.idKind === 'PASSPORT' ? 'GBR' : 'VNM',
      phone: typeof s.person.phone === 'string' ? s.person.phone : null,
      province_code: typeof s.person.province_code === 'string' ? s.person.province_code : null,
      district_code: null,
      ward_code: null,
      version: 1,
      updated_at: '2022-04-30T01:02:03.456Z',
    },
    documents:
      s.idKind === undefined
        ? []
        : [{ kind: s.idKind, number: String(s.person.id_number), country: s.idKind === 'PASSPORT' ? 'GBR' : 'VNM', current: 1 }],
    doses: s.doses.map((d) => ({
      id: ++doseId,
      product_id: d.vaccine,
      lot: d.lot ?? null,
      dose_date: d.dose_date,
      dose_number: d.dose_number,
      dose_kind: d.dose_number > 2 ? 'booster' : 'primary',
      vaccinator: null,
      source: 'import',
      status: 'active',
      void_reason: null,
      version: 1,
      updated_at: '2022-04-30T01:02:03.456Z',
    })),
  }));
}

export const FACILITY: FhirFacilityRow = { code: '0100101', name: 'Trạm Y tế Phường Phúc Xá' };

/** The canonical record of each dose of the samples, in order. */
export function sampleRecords(samples: readonly Sample[] = SAMPLES): RawRecord[] {
  return samples.flatMap((s) => s.doses.map((d) => ({ ...s.person, ...d })));
}
