import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { DCC_SCHEMA_VERSION, dccCombinedSchema } from './generated/dcc-combined-schema.generated.js';
import type { DccPayload } from './dcc.generated.js';
import { sharedDir, sharedPath } from './shared-path.js';
import { readSharedJson } from './test-helpers/shared-data.js';

describe('generated files', () => {
  it('the bundled schema is exactly ../shared DCC.combined-schema.json and releases/1.3.3', () => {
    assert.equal(DCC_SCHEMA_VERSION, '1.3.3');
    assert.deepEqual(dccCombinedSchema, readSharedJson('reference', 'eu-dcc-schema', 'DCC.combined-schema.json'));
    assert.deepEqual(
      dccCombinedSchema,
      readSharedJson('reference', 'eu-dcc-schema', 'releases', '1.3.3', 'DCC.combined-schema.json'),
    );
  });

  it('dcc.generated.ts and the schema copy are up to date (gen-dcc-types.mjs --check)', () => {
    const r = spawnSync(process.execPath, ['scripts/gen-dcc-types.mjs', '--check'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
  });

  it('DccPayload accepts exactly one certificate group (compile-time)', () => {
    const nam = { fnt: 'NGUYEN' };
    const entry = {
      tg: '840539006',
      fr: '2022-01-01',
      co: 'VN',
      is: 'MoH',
      df: '2022-01-12',
      du: '2022-07-01',
      ci: 'X',
    };
    const ok: DccPayload = { ver: '1.3.3', nam, dob: '1990', r: [entry] };
    // @ts-expect-error: fnt or gnt is required
    const noName: DccPayload = { ver: '1.3.3', nam: { fn: 'Nguyễn' }, dob: '', r: [entry] };
    // @ts-expect-error: a DCC holds one certificate, not two groups
    const twoGroups: DccPayload = { ver: '1.3.3', nam, dob: '', r: [entry], t: [] };
    assert.ok(ok && noName && twoGroups);
  });
});

describe('sharedDir', () => {
  it('finds ../shared beside the repository', () => {
    assert.ok(existsSync(sharedPath('reference', 'eu-dcc-schema')), sharedDir());
    assert.equal(join(sharedDir(), 'x'), sharedPath('x'));
  });

  it('is overridden by VAXPASS_SHARED_DIR', () => {
    assert.equal(sharedDir({ VAXPASS_SHARED_DIR: '/srv/vaxpass-reference' }), '/srv/vaxpass-reference');
    assert.notEqual(sharedDir({ VAXPASS_SHARED_DIR: '  ' }), '');
  });
});
