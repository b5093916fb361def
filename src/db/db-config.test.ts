// The database setting drives which engine createDb opens, so its parsing is tested here.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig, parseDbSetting } from '../config/index.js';
import { AppError } from '../errors/index.js';
import { createDb } from './create-db.js';

describe('VAXPASS_DB parsing', () => {
  for (const url of [
    'postgres://postgres@127.0.0.1:5432/test',
    'postgresql://user:pw@db.internal/vaxpass?sslmode=require',
    'POSTGRES://host/db',
  ]) {
    it(`reads ${url} as PostgreSQL`, () => {
      assert.deepEqual(parseDbSetting(url), { kind: 'postgres', url });
    });
  }

  for (const file of ['./data/vaxpass.db', '/var/lib/vaxpass/main.db', 'vaxpass.sqlite', ':memory:', 'C:\\data\\vp.db', 'postgres.db']) {
    it(`reads ${file} as a SQLite path`, () => {
      assert.deepEqual(parseDbSetting(file), { kind: 'sqlite', file });
    });
  }

  it('rejects an empty setting and a malformed URL', () => {
    assert.throws(() => parseDbSetting('  '), (e: unknown) => e instanceof AppError && e.code === 'CONFIG_INVALID');
    assert.throws(() => parseDbSetting('postgres://a b:c/'), (e: unknown) => e instanceof AppError && /PostgreSQL URL/.test(e.message));
  });

  it('defaults to ./data/vaxpass.db and returns a frozen setting', () => {
    const { db } = loadConfig({});
    assert.deepEqual(db, { kind: 'sqlite', file: './data/vaxpass.db' });
    assert.ok(Object.isFrozen(db));
  });

  it('createDb opens the engine the setting names', async () => {
    for (const [value, dialect] of [[':memory:', 'sqlite'], ['postgres://postgres@127.0.0.1:1/x', 'postgres']] as const) {
      const handle = createDb(loadConfig({ VAXPASS_DB: value }).db);
      assert.equal(handle.dialect, dialect);
      await handle.close();
    }
  });
});
