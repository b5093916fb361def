import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AppError } from '../errors/index.js';
import { loadConfig } from './config.js';

describe('config', () => {
  it('defaults to the embedded SQLite file and port 3000, frozen', () => {
    const c = loadConfig({});
    assert.deepEqual(c.db, { kind: 'sqlite', file: './data/vaxpass.db' });
    assert.equal(c.port, 3000);
    assert.ok(Object.isFrozen(c));
    assert.ok(Object.isFrozen(c.db));
  });

  it('takes a postgres URL or a path', () => {
    assert.equal(loadConfig({ VAXPASS_DB: 'postgres://u@h:5432/d' }).db.kind, 'postgres');
    assert.equal(loadConfig({ VAXPASS_DB: 'postgresql://u@h/d' }).db.kind, 'postgres');
    assert.deepEqual(loadConfig({ VAXPASS_DB: '/tmp/x.db', PORT: '8080' }).db, { kind: 'sqlite', file: '/tmp/x.db' });
  });

  it('trusts a proxy only when told to', () => {
    assert.equal(loadConfig({}).trustProxy, false);
    assert.equal(loadConfig({ VAXPASS_TRUST_PROXY: 'true' }).trustProxy, true);
    assert.equal(loadConfig({ VAXPASS_TRUST_PROXY: '0' }).trustProxy, false);
  });

  it('lists every problem at once', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty', VAXPASS_LOG_LEVEL: 'loud', VAXPASS_DB: '', VAXPASS_TRUST_PROXY: 'maybe' }),
      (e: AppError) => e.code === 'CONFIG_INVALID' && /PORT/.test(e.message) && /VAXPASS_LOG_LEVEL/.test(e.message) && /VAXPASS_DB/.test(e.message) && /VAXPASS_TRUST_PROXY/.test(e.message),
    );
  });
});
