import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ErrorObject } from 'ajv/dist/2020.js';
import { DCC_SCHEMA_VERSION } from './generated/dcc-combined-schema.generated.js';
import { compileSchemaValidator, getSchemaValidator } from './schema-validators.js';
import { conformanceVectors, readSharedJsonDir } from './test-helpers/shared-data.js';

/** What callers read of an ajv error (validate-schema.ts uses all of these). */
const view = (e: ErrorObject): unknown => ({ instancePath: e.instancePath, schemaPath: e.schemaPath, keyword: e.keyword, params: e.params, message: e.message, schema: e.schema, data: e.data });

/** Payloads that break the schema in many ways, from a valid one. */
function mutations(p: Record<string, unknown>): unknown[] {
  const v = (p.v as Record<string, unknown>[] | undefined)?.[0] ?? {};
  return [
    { ...p, ver: 1 },
    { ...p, dob: '14.04.1990' },
    { ...p, dob: '1990-13-01' },
    { ...p, nam: {} },
    { ...p, nam: { fn: 'x'.repeat(81), fnt: 'lower case' } },
    { ...p, v: [{ ...v, dn: 0, sd: 'two' }] },
    { ...p, v: [{ ...v, dt: '2022-02-30T10:00:00Z' }] },
    { ...p, v: [] },
    { ...p, v: [v], t: [v] },
    Object.fromEntries(Object.entries(p).filter(([k]) => k !== 'v' && k !== 't' && k !== 'r')),
    [],
    null,
    'HC1:',
  ];
}

describe('precompiled schema validator', () => {
  it('is the one used for the bundled release', () => {
    assert.equal(getSchemaValidator(DCC_SCHEMA_VERSION), getSchemaValidator(DCC_SCHEMA_VERSION));
    assert.notEqual(getSchemaValidator(DCC_SCHEMA_VERSION), compileSchemaValidator(DCC_SCHEMA_VERSION));
  });

  it('gives the same verdicts and errors as ajv compiling the schema now, on every test payload and broken variants', () => {
    const pre = getSchemaValidator(DCC_SCHEMA_VERSION);
    const now = compileSchemaValidator(DCC_SCHEMA_VERSION);
    const payloads: unknown[] = [];
    for (const group of ['vaccination', 'test', 'recovery']) for (const [, p] of readSharedJsonDir('reference', 'eu-dcc-schema', 'examples', group)) payloads.push(p);
    for (const c of conformanceVectors()) payloads.push(c.payload);
    const base = payloads.find((p) => typeof p === 'object' && p !== null && 'v' in p) as Record<string, unknown>;
    payloads.push(...mutations(base));
    assert.ok(payloads.length > 300, `only ${payloads.length} payloads`);
    let failing = 0;
    for (const p of payloads) {
      const a = pre(structuredClone(p));
      const b = now(structuredClone(p));
      assert.equal(a, b, JSON.stringify(p));
      if (!a) failing++;
      assert.deepEqual((pre.errors ?? []).map(view), (now.errors ?? []).map(view), JSON.stringify(p));
    }
    assert.ok(failing >= 10, `only ${failing} invalid payloads compared`);
  });
});
