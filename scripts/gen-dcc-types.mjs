// Generates, from the official EU DCC reference data (read in place from ../shared), four checked-in
// files under src/hcert/payload/:
//   dcc.generated.ts                               TypeScript types (DccPayload and its parts), from
//                                                  eu-dcc-schema release 1.3.3
//   generated/dcc-combined-schema.generated.ts     a copy of DCC.combined-schema.json, so the built
//                                                  service validates without ../shared at run time
//   generated/dcc-value-sets.generated.ts          a copy of the eu-dcc-valuesets 2.12.0 files that
//                                                  loadValueSets() reads (value sets + Annex A
//                                                  vaccine-encoding-instructions.json), so the built
//                                                  service checks codes without ../shared at run time
//   generated/dcc-schema-validator.generated.ts   that schema's ajv validator, compiled ahead of time
//                                                  (ajv standalone code), so no process compiles it
// Usage: node scripts/gen-dcc-types.mjs          write the files
//        node scripts/gen-dcc-types.mjs --check  exit 1 if a checked-in file is stale
// VAXPASS_SHARED_DIR points the script at another shared/ folder.
// Small purpose-built generator instead of json-schema-to-typescript: the DCC schema puts `required`
// inside oneOf/anyOf branches (exactly one of v/t/r; at least one of fnt/gnt), which generic tools
// turn into all-optional fields. Anything this script does not understand makes it fail loudly.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv2020 } from 'ajv/dist/2020.js';
import ajvFormats from 'ajv-formats';
import standalone from 'ajv/dist/standalone/index.js';
import { _ } from 'ajv';

const addFormats = ajvFormats.default;
const standaloneCode = standalone.default;

const EXPECTED_VERSION = '1.3.3';
const EXPECTED_VALUE_SETS_RELEASE = '2.12.0';
// Exactly the files src/hcert/payload/load-value-sets.ts reads (VALUE_SET_FILES + Annex A); a test
// checks the two lists agree. Annex A's table.tsv is not read (the JSON carries the same rows).
const VALUE_SET_FILES = [
  'country-2-codes.json',
  'disease-agent-targeted.json',
  'test-manf-example.json',
  'test-result.json',
  'test-type.json',
  'vaccine-encoding-instructions.json',
  'vaccine-mah-manf.json',
  'vaccine-medicinal-product.json',
  'vaccine-prophylaxis.json',
];
const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const shared = process.env.VAXPASS_SHARED_DIR?.trim()
  ? resolve(process.env.VAXPASS_SHARED_DIR)
  : join(repo, '..', 'shared');
const schemaDir = join(shared, 'reference', 'eu-dcc-schema');
const schemaFile = join(schemaDir, 'DCC.combined-schema.json');
const outDir = join(repo, 'src', 'hcert', 'payload');
const typesOut = join(outDir, 'dcc.generated.ts');
const schemaOut = join(outDir, 'generated', 'dcc-combined-schema.generated.ts');
const valueSetDir = join(shared, 'reference', 'eu-dcc-valuesets');
const valueSetsOut = join(outDir, 'generated', 'dcc-value-sets.generated.ts');
const validatorOut = join(outDir, 'generated', 'dcc-schema-validator.generated.ts');

const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
const version = /Schema version (\d+\.\d+\.\d+)/.exec(schema.$comment ?? '')?.[1];
if (version !== EXPECTED_VERSION) {
  throw new Error(`${schemaFile}: expected schema version ${EXPECTED_VERSION}, found ${version ?? 'none'}`);
}
const commit =
  /^Commit:\s*([0-9a-f]{40})/m.exec(readFileSync(join(schemaDir, 'PROVENANCE.txt'), 'utf8'))?.[1] ?? 'unknown';
const source = `ehn-dcc-development/eu-dcc-schema@${commit} DCC.combined-schema.json (release ${version}, Apache-2.0)`;
const header = [
  '// GENERATED FILE, DO NOT EDIT. Regenerate with `node scripts/gen-dcc-types.mjs`.',
  `// Source: ${source}`,
  '',
].join('\n');

/** 'disease-agent-targeted' -> 'DiseaseAgentTargeted' */
const pascal = (name) =>
  name
    .split(/[-_]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
const defName = (ref) => {
  const m = /^#\/\$defs\/(.+)$/.exec(ref);
  if (!m) throw new Error(`unsupported $ref ${ref}`);
  return pascal(m[1]);
};

/** JSDoc lines for a schema node: title, description and the constraints types cannot express. */
function doc(node, indent = '') {
  const lines = [];
  if (node.title) lines.push(node.title + (node.description ? '.' : ''));
  if (node.description) lines.push(node.description);
  if (node.pattern) lines.push(`Pattern: \`${node.pattern}\``);
  if (node.format) lines.push(`Format: ${node.format}`);
  if (node.maxLength !== undefined) lines.push(`Max length: ${node.maxLength}`);
  if (node.minimum !== undefined) lines.push(`Minimum: ${node.minimum}`);
  if (node['valueset-uri']) lines.push(`Value set: ${node['valueset-uri']}`);
  if (node.examples) lines.push(`Examples: ${node.examples.map((e) => JSON.stringify(e)).join(', ')}`);
  if (lines.length === 0) return '';
  const body = lines.map((l) => `${indent} * ${l.replace(/\*\//g, '*\\/')}`).join('\n');
  return `${indent}/**\n${body}\n${indent} */\n`;
}

function tsType(node) {
  if (node.$ref) return defName(node.$ref);
  switch (node.type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'array': {
      const item = tsType(node.items);
      if (node.minItems !== undefined && node.minItems === node.maxItems && node.maxItems <= 4) {
        return `[${Array.from({ length: node.maxItems }, () => item).join(', ')}]`;
      }
      return node.minItems >= 1 ? `[${item}, ...${item}[]]` : `${item}[]`;
    }
    default:
      throw new Error(`unsupported schema node ${JSON.stringify(node).slice(0, 120)}`);
  }
}

const KNOWN_OBJECT_KEYS = new Set([
  '$schema',
  '$id',
  '$comment',
  '$defs',
  'title',
  'description',
  'type',
  'properties',
  'required',
  'anyOf',
  'oneOf',
]);

/** An object schema: a `<Name>Fields` interface plus, for anyOf/oneOf of `required` lists, a union. */
function objectType(name, node) {
  for (const key of Object.keys(node)) {
    if (!KNOWN_OBJECT_KEYS.has(key)) throw new Error(`${name}: unsupported keyword ${key}`);
  }
  const combinator = node.oneOf ? 'oneOf' : node.anyOf ? 'anyOf' : undefined;
  const branches = combinator
    ? node[combinator].map((b) => {
        if (Object.keys(b).some((k) => k !== 'required'))
          throw new Error(`${name}: ${combinator} branch must only list required`);
        return b.required;
      })
    : [];
  const common = branches.length ? branches[0].filter((p) => branches.every((b) => b.includes(p))) : [];
  const required = new Set([...(node.required ?? []), ...common]);
  const fieldsName = combinator ? `${name}Fields` : name;
  const props = Object.entries(node.properties).map(
    ([key, prop]) => `${doc(prop, '  ')}  ${key}${required.has(key) ? '' : '?'}: ${tsType(prop)};`,
  );
  let out = '';
  if (combinator) {
    const alternatives = [...new Set(branches.flatMap((b) => b.filter((p) => !common.includes(p))))];
    const arms = branches.map((b) => {
      const own = b.filter((p) => !common.includes(p));
      const pick = `Required<Pick<${fieldsName}, ${own.map((p) => `'${p}'`).join(' | ')}>>`;
      // oneOf: the other alternatives must be absent, so the compiler rejects a payload with v and t.
      const others = alternatives.filter((p) => !own.includes(p));
      return combinator === 'oneOf' && others.length
        ? `(${pick} & { ${others.map((p) => `${p}?: never`).join('; ')} })`
        : pick;
    });
    const rule = combinator === 'oneOf' ? 'exactly one' : 'at least one';
    out += doc({
      ...node,
      description: `${node.description ?? name}. The schema requires ${rule} of: ${alternatives.join(', ')}.`,
      title: node.title,
    });
    out += `export type ${name} = ${fieldsName} & (\n  | ${arms.join('\n  | ')}\n);\n\n`;
    out += `/** The properties of {@link ${name}}; see there for which of them are required. */\n`;
  } else {
    out += doc(node);
  }
  out += `export interface ${fieldsName} {\n${props.join('\n')}\n}\n`;
  return out;
}

function generateTypes() {
  const parts = [
    header,
    '/**',
    ` * Types of the EU Digital COVID Certificate payload (HCERT claim -260 / 1), schema release ${version}.`,
    ' * Value-set fields are plain strings here; their codes are checked at run time by checkValueSets().',
    ' */',
    '',
    objectType('DccPayload', schema),
  ];
  for (const [key, def] of Object.entries(schema.$defs)) {
    if (def.type === 'object' || def.properties) parts.push(objectType(pascal(key), def));
    else parts.push(`${doc(def)}export type ${pascal(key)} = ${tsType(def)};\n`);
  }
  return parts.join('\n');
}

function generateSchemaModule() {
  return [
    header,
    '/**',
    ` * Verbatim copy of the EU DCC JSON schema, release ${version} (combined file, all $refs internal).`,
    ' * Why a copy: the deployed service must validate payloads without the sibling ../shared folder,',
    ' * which only developer and CI machines have. Older releases are still read from ../shared when',
    ' * present. A test asserts this copy equals ../shared, so it cannot drift silently.',
    ' * Licence: Apache-2.0, (c) the eHealth Network contributors to eu-dcc-schema.',
    ' */',
    `export const DCC_SCHEMA_VERSION = '${version}';`,
    '',
    `/** Where {@link dccCombinedSchema} was copied from. */`,
    `export const DCC_SCHEMA_SOURCE = '${source}';`,
    '',
    `/** The schema document, as parsed JSON. */`,
    `export const dccCombinedSchema: Readonly<Record<string, unknown>> = ${JSON.stringify(schema, null, 2)};`,
    '',
  ].join('\n');
}

function generateValueSetsModule() {
  const provenance = readFileSync(join(valueSetDir, 'PROVENANCE.txt'), 'utf8');
  const release = /\brelease (\d+\.\d+\.\d+)/.exec(provenance)?.[1];
  if (release !== EXPECTED_VALUE_SETS_RELEASE) {
    throw new Error(
      `${valueSetDir}/PROVENANCE.txt: expected value sets release ${EXPECTED_VALUE_SETS_RELEASE}, found ${release ?? 'none'}`,
    );
  }
  const vsCommit = /^Commit:\s*([0-9a-f]{40})/m.exec(provenance)?.[1] ?? 'unknown';
  const vsSource = `ehn-dcc-development/eu-dcc-valuesets@${vsCommit} (release ${release}, Apache-2.0)`;
  const files = Object.fromEntries(
    VALUE_SET_FILES.map((name) => [name, JSON.parse(readFileSync(join(valueSetDir, name), 'utf8'))]),
  );
  return [
    '// GENERATED FILE, DO NOT EDIT. Regenerate with `node scripts/gen-dcc-types.mjs`.',
    `// Source: ${vsSource}`,
    '',
    '/**',
    ` * Verbatim copies of the eHN value-set files (release ${release}) that loadValueSets() reads:`,
    ' * the value sets a DCC payload refers to and Annex A (vaccine-encoding-instructions.json).',
    ' * Why a copy: the deployed service must check codes without the sibling ../shared folder, which',
    ' * only developer and CI machines have. A test asserts these copies equal ../shared, so they',
    ' * cannot drift silently. Licence: Apache-2.0, (c) the eHealth Network contributors to eu-dcc-valuesets.',
    ' */',
    `export const VALUE_SETS_RELEASE = '${release}';`,
    '',
    '/** Where {@link dccValueSetFiles} were copied from. */',
    `export const VALUE_SETS_SOURCE = '${vsSource}';`,
    '',
    '/** The files by name (as in eu-dcc-valuesets), as parsed JSON. */',
    `export const dccValueSetFiles: Readonly<Record<string, unknown>> = ${JSON.stringify(files, null, 2)};`,
    '',
  ].join('\n');
}

// The bundled release's validator as ajv standalone code: compiling the schema costs ~150 ms
// of CPU per process or worker thread (the national issuance batch starts one per core), loading
// this module a few ms. Same options as schema-validators.ts; a test checks both agree.
function generateValidatorModule() {
  const ajv = new Ajv2020({ allErrors: true, verbose: true, code: { source: true, esm: true, formats: _`fmts` } });
  addFormats(ajv, ['date', 'date-time']);
  ajv.addKeyword({ keyword: 'valueset-uri', schemaType: 'string' });
  // ES modules are strict already; the directive would sit after the imports as a no-op.
  const code = standaloneCode(ajv, ajv.compile(schema)).replace(/^"use strict";/, '');
  // ajv emits require() for its runtime helpers even in ESM mode: turn them into imports.
  const helpers = new Map();
  const body = code.replace(/require\("(ajv\/dist\/runtime\/[a-z0-9]+)"\)/gi, (_m, mod) => {
    const name = `runtime_${mod.split('/').at(-1)}`;
    helpers.set(name, `${mod}.js`);
    return name;
  });
  if (/\brequire\(/.test(body)) throw new Error('ajv standalone code still calls require(): teach gen-dcc-types.mjs the new helper');
  return [
    '// GENERATED FILE, DO NOT EDIT. Regenerate with `node scripts/gen-dcc-types.mjs`.',
    `// Source: ${source}`,
    '/* eslint-disable */',
    '// @ts-nocheck',
    '/**',
    ` * The ajv validator of the bundled schema (release ${version}), compiled ahead of time`,
    ' * (ajv standalone code, allErrors + verbose, formats date and date-time of ajv-formats).',
    ' */',
    ...[...helpers].map(([name, mod]) => `import ${name} from '${mod}';`),
    "import ajvFormats from 'ajv-formats/dist/formats.js';",
    'const fmts = ajvFormats.fullFormats;',
    body,
    '',
  ].join('\n');
}

const outputs = [
  [typesOut, generateTypes()],
  [schemaOut, generateSchemaModule()],
  [valueSetsOut, generateValueSetsModule()],
  [validatorOut, generateValidatorModule()],
];
const check = process.argv.includes('--check');
let stale = 0;
for (const [file, text] of outputs) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing: stale in --check mode, written otherwise
  }
  if (current === text) continue;
  if (check) {
    console.error(`stale: ${relative(repo, file)} (run node scripts/gen-dcc-types.mjs)`);
    stale++;
  } else {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    console.log(`wrote ${relative(repo, file)}`);
  }
}
process.exit(stale ? 1 : 0);
