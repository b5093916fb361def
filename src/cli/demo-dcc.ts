/** The payload of the demo certificate `vaxpass start` prints: a fictitious citizen, no ID number. */
import { generateUvci, toIcao } from '../hcert/index.js';
import type { DccPayload } from '../hcert/index.js';

/** A schema- and value-set-valid Vietnamese vaccination DCC for a fictitious person. */
export function demoDcc(): DccPayload {
  const fn = 'Trần';
  const gn = 'Thị Hoà';
  return {
    ver: '1.3.0',
    nam: { fn, fnt: toIcao(fn), gn, gnt: toIcao(gn) },
    dob: '1985-03-12',
    v: [
      {
        tg: '840539006',
        vp: 'J07BX03',
        mp: 'EU/1/20/1528',
        ma: 'ORG-100030215',
        dn: 3,
        sd: 3,
        dt: '2022-03-15',
        co: 'VN',
        is: 'Ministry of Health of Viet Nam',
        ci: generateUvci(),
      },
    ],
  };
}
