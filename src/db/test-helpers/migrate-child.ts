// Child process for migrate-lock.test.ts: migrates the SQLite file in argv[2] once and prints
// the outcome as JSON, so several real processes can race on one file.
import { inspect } from 'node:util';
import { createDb } from '../create-db.js';
import { migrateToLatest } from '../migrate-to-latest.js';

const file = process.argv[2];
if (file === undefined) throw new Error('usage: migrate-child <sqlite file>');
const handle = createDb({ kind: 'sqlite', file });
const { error, results } = await migrateToLatest(handle.db);
await handle.close();
process.stdout.write(JSON.stringify({ error: error === undefined ? null : inspect(error), applied: results.length }));
