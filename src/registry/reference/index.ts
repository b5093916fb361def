/** Vietnamese reference data (provinces, districts, vaccines, names) bundled with VaxPass. */
export {
  DISTRICTS,
  NAME_DATA,
  PROVINCES,
  VACCINE_PRODUCTS,
  districtsOf,
  findDistrict,
  findProduct,
  findProvince,
  findProvinceByCccdCode,
} from './reference-data.js';
export type { District, NameData, Province, VaccineProduct } from './reference-data.js';
