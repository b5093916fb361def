/**
 * Child process of the registry bench: imports one CSV into a fresh SQLite file and prints
 * `{ rows, seconds, max_rss_kb }` as JSON, so the peak RSS is the import's alone (not the
 * generator's, nor the bench's). Usage: `node registry-import-child.js <csv> <sqlite-file>`.
 */
import { createDb, migrateToLatest } from '../db/index.js';
import { importFile } from '../registry/import/index.js';

const [file, dbFile] = process.argv.slice(2);
if (file === undefined || dbFile === undefined) throw new Error('usage: registry-import-child <csv> <sqlite-file>');
const h = createDb({ kind: 'sqlite', file: dbFile });
try {
  await migrateToLatest(h.db);
  await h.db.insertInto('facility').values({ code: 'BENCH', name: 'Bench', province_code: '01', type: 'hospital' }).execute();
  const s = await importFile(h.db, h.dialect, file, { facilityCode: 'BENCH', actor: 'bench', errorReport: null, today: '2026-11-25' });
  process.stdout.write(`${JSON.stringify({ rows: s.rows, imported: s.imported, seconds: s.seconds, max_rss_kb: process.resourceUsage().maxRSS })}\n`);
} finally {
  await h.close();
}
