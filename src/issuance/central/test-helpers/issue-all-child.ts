// Child process for issue-all.test.ts: runs the national batch on the database named by the
// environment (VAXPASS_CHILD_DIALECT, VAXPASS_CHILD_LOCATION = SQLite file or PostgreSQL schema,
// VAXPASS_TEST_PG) with the test PKI's key files, printing one `progress <done> <issued>` line per
// page, so the parent can kill it with SIGKILL in the middle.
import { createDb } from '../../../db/index.js';
import { KeyCustody } from '../../../trust/pki/index.js';
import { loadDscMaterial } from '../dsc-material.js';
import { issueAll } from '../issue-all.js';

const env = process.env;
const location = env.VAXPASS_CHILD_LOCATION ?? '';
const handle =
  env.VAXPASS_CHILD_DIALECT === 'postgres'
    ? createDb({ kind: 'postgres', url: env.VAXPASS_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test' }, { pgSchema: location })
    : createDb({ kind: 'sqlite', file: location });
const custody = new KeyCustody({ backend: 'file', keyDir: env.VAXPASS_KEY_DIR ?? '', secretFile: '/nonexistent', passphrase: env.VAXPASS_KEY_PASSPHRASE ?? '' });
const material = await loadDscMaterial(handle.db, custody);
await issueAll(handle.db, {
  material,
  actor: 'child',
  workers: 2,
  pageSize: Number(env.VAXPASS_CHILD_PAGE ?? '50'),
  chunk: 25,
  onProgress: (p) => process.stdout.write(`progress ${p.done} ${p.issued}\n`),
});
process.stdout.write('done\n');
await handle.close();
