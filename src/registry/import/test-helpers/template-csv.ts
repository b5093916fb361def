/**
 * Test helper: a CSV file in the ministry import template (its header, then the rows, CRLF line
 * ends, cells quoted only where CSV needs it).
 */
import { TEMPLATE_HEADERS, csvCell } from '../index.js';

/**
 * The file's text.
 * @param rows - cells in template column order
 */
export function templateCsv(rows: readonly (readonly (string | number)[])[]): string {
  return [TEMPLATE_HEADERS, ...rows].map((r) => r.map((c) => csvCell(String(c))).join(',')).join('\r\n') + '\r\n';
}
