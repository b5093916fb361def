/**
 * A schema- and value-set-valid Vietnamese vaccination DCC (AstraZeneca, dose 2/2) of a
 * fictitious person: the fixed payload of tests and benchmarks.
 */
import type { DccPayload } from './payload/index.js';

/**
 * @param overrides - fields to replace in the first vaccination entry
 */
export function sampleDcc(overrides: Record<string, unknown> = {}): DccPayload {
  return {
    ver: '1.3.0',
    nam: { fn: 'Nguyễn', fnt: 'NGUYEN', gn: 'Văn An', gnt: 'VAN<AN' },
    dob: '1990-05-17',
    v: [
      {
        tg: '840539006',
        vp: 'J07BX03',
        mp: 'EU/1/21/1529',
        ma: 'ORG-100001699',
        dn: 2,
        sd: 2,
        dt: '2021-09-01',
        co: 'VN',
        is: 'Ministry of Health of Viet Nam',
        ci: 'URN:UVCI:01:VN:7QJ2K8ZD4M1XH5R9T3WB6N0PCV#L',
        ...overrides,
      },
    ],
  } as unknown as DccPayload;
}
