import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { base45Encode, cborEncode, issueCose, zlibDeflate } from '../hcert/index.js';
import { sharedPath } from '../hcert/payload/shared-path.js';
import { renderPng } from '../hcert/qr/index.js';
import { sampleDcc } from '../hcert/test-helpers/sample-dcc.js';
import { makeDevSigner } from '../trust/index.js';
import { DEFAULT_DEVIATIONS_FILE, formatJson, formatText, loadDeviations, parseDeviations, runConformance } from './index.js';
import type { CheckResult, ConformanceReport } from './index.js';

describe('conformance: EU dgc-testdata (read in place from ../shared)', () => {
  let report: ConformanceReport;
  let deviationLines: number;

  before(async () => {
    const deviations = await loadDeviations(DEFAULT_DEVIATIONS_FILE);
    deviationLines = deviations.length;
    report = await runConformance(sharedPath('conformance', 'dgc-testdata'), { deviations });
  });

  it('runs every vector file', () => {
    assert.ok(report.files >= 390, `only ${report.files} vector files found`);
    assert.equal(report.results.filter((r) => r.check === 'LOAD').length, 0);
  });

  it('fails no check', () => {
    const failures = report.results.filter((r) => r.status === 'failed').map((r) => `${r.file} ${r.check} ${r.reason}`);
    assert.deepEqual(failures, []);
    assert.equal(report.failed, 0);
  });

  it('skips only what the deviations file explains, one line per skip at most', () => {
    assert.ok(report.skipped <= deviationLines, `${report.skipped} skipped, but only ${deviationLines} deviation lines`);
    assert.deepEqual(report.unusedDeviations, [], 'deviation lines that cover no failure must be removed');
  });

  it('ends the text report with the exact summary line', () => {
    const lines = formatText(report).trimEnd().split('\n');
    assert.equal(lines.at(-1), `${report.passed} passed, 0 failed, ${report.skipped} skipped`);
  });
});

/** A synthetic vector with every field and every flag, signed by a throw-away DSC. */
async function syntheticVector(): Promise<{ vector: Record<string, unknown>; spkiBase64: string; certPem: string }> {
  const eku = ['1.3.6.1.4.1.1847.2021.1.2'];
  const dev = await makeDevSigner('ES256', { notBefore: new Date('2021-01-01T00:00:00Z'), notAfter: new Date('2031-01-01T00:00:00Z'), eku });
  const dcc = sampleDcc();
  const iat = Date.parse('2022-01-01T00:00:00Z') / 1000;
  const cose = issueCose(dcc, { signer: dev.signer, iat, exp: iat + 365 * 86400 });
  const compressed = zlibDeflate(cose);
  const base45 = base45Encode(compressed);
  const prefix = `HC1:${base45}`;
  const vector = {
    JSON: dcc,
    CBOR: cborEncode(dcc).toString('hex'),
    COSE: cose.toString('hex'),
    COMPRESSED: compressed.toString('hex'),
    BASE45: base45,
    PREFIX: prefix,
    '2DCODE': renderPng(prefix).toString('base64'),
    TESTCTX: {
      VERSION: 1,
      SCHEMA: '1.3.0',
      CERTIFICATE: dev.certificate.raw.toString('base64'),
      VALIDATIONCLOCK: '2022-06-01T12:00:00Z',
      DESCRIPTION: 'synthetic',
    },
    EXPECTEDRESULTS: Object.fromEntries(
      ['VALIDOBJECT', 'SCHEMAVALIDATION', 'ENCODE', 'DECODE', 'VERIFY', 'UNPREFIX', 'VALIDJSON', 'COMPRESSION', 'B45DECODE', 'PICTUREDECODE', 'EXPIRATIONCHECK', 'KEYUSAGE'].map((c) => [`EXPECTED${c}`, true]),
    ),
  };
  const spkiBase64 = dev.certificate.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  return { vector, spkiBase64, certPem: dev.certificate.toString() };
}

describe('conformance: quirks of hand-written vectors (synthetic, in a temp dir)', () => {
  let dir: string;
  let report: ConformanceReport;
  const of = (file: string): CheckResult[] => report.results.filter((r) => r.file === file);
  const failures = (file: string): string[] => of(file).filter((r) => r.status !== 'passed').map((r) => `${r.check}: ${r.reason}`);

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'vaxpass-conformance-'));
    const { vector, spkiBase64, certPem } = await syntheticVector();
    const put = async (file: string, content: string | Buffer): Promise<void> => {
      await mkdir(dirname(join(dir, file)), { recursive: true });
      await writeFile(join(dir, file), content);
    };
    const ctx = vector.TESTCTX as Record<string, unknown>;
    const expected = vector.EXPECTEDRESULTS as Record<string, boolean>;

    await put('XX/2DCode/raw/plain.json', JSON.stringify(vector));

    // BOM, `_2DCODE`, misspelled and nested flags, upper-case hex, PEM certificate, odd clock.
    const omit = <T extends object>(o: T, ...keys: string[]): Partial<T> =>
      Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k))) as Partial<T>;
    const quirky = {
      ...omit(vector, '2DCODE', 'EXPECTEDRESULTS'),
      COSE: String(vector.COSE).toUpperCase(),
      _2DCODE: vector['2DCODE'],
      TESTCTX: { ...ctx, CERTIFICATE: certPem, VALIDATIONCLOCK: undefined, validationClockInstant: '2022-06-01T14:00:00.1234567+0200' },
      EXPECTEDRESULTS: { ...omit(expected, 'EXPECTEDEXPIRATIONCHECK', 'EXPECTEDVALIDJSON'), EXPECTEDRESULTS: { EXPTECTEDEXPIRED: true, expectedValidJson: 'true' } },
    };
    await put('XX/2DCode/raw/quirky.json', `\uFEFF${JSON.stringify(quirky, null, 2)}`);

    // A bare public key instead of a certificate, in a folder spelled `Raw`, saved as UTF-16.
    const bare = { ...vector, TESTCTX: { ...ctx, CERTIFICATE: spkiBase64 }, EXPECTEDRESULTS: { EXPECTEDVERIFY: true } };
    await put('YY/2DCode/Raw/bare-key.json', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify(bare), 'utf16le')]));

    // Wrong expectations, an unknown flag, and a file that is not JSON.
    const wrong = { ...vector, EXPECTEDRESULTS: { EXPECTEDVERIFY: false, EXPECTEDCOMPRESSION: false, EXPECTEDFROBNICATE: true } };
    await put('XX/2DCode/raw/wrong.json', JSON.stringify(wrong));
    await put('XX/2DCode/raw/broken.json', '{"PREFIX": "HC1:');
    await put('XX/2DCode/raw/no-flags.json', JSON.stringify({ PREFIX: vector.PREFIX, TESTCTX: ctx }));

    const deviations = parseDeviations('file,check,reason\nXX/**/wrong.json,COMPRESSION,synthetic: flag deliberately inverted\n');
    report = await runConformance(dir, { deviations });
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('finds vectors in raw and Raw folders only', () => {
    assert.equal(report.files, 6);
    assert.ok(of('YY/2DCode/Raw/bare-key.json').length > 0);
  });

  it('passes every check of a well-formed vector', () => {
    assert.deepEqual(failures('XX/2DCode/raw/plain.json'), []);
    assert.equal(of('XX/2DCode/raw/plain.json').length, 12);
  });

  it('reads BOM, _2DCODE, misspelled and nested flags, PEM, upper-case hex and a 7-digit clock', () => {
    assert.deepEqual(failures('XX/2DCode/raw/quirky.json'), []);
    const checks = of('XX/2DCode/raw/quirky.json').map((r) => r.check).sort();
    assert.equal(checks.length, 12);
    assert.ok(checks.includes('EXPIRATIONCHECK') && checks.includes('VALIDJSON') && checks.includes('PICTUREDECODE'));
    assert.match(of('XX/2DCode/raw/quirky.json').find((r) => r.check === 'EXPIRATIONCHECK')!.reason, /EXPTECTEDEXPIRED/);
  });

  it('verifies with a bare public key read from a UTF-16 file', () => {
    assert.deepEqual(of('YY/2DCode/Raw/bare-key.json').map((r) => [r.check, r.status]), [['VERIFY', 'passed']]);
  });

  it('reports wrong and unknown flags as failures with reasons, and skips only deviations', () => {
    const wrong = of('XX/2DCode/raw/wrong.json');
    const verify = wrong.find((r) => r.check === 'VERIFY')!;
    assert.equal(verify.status, 'failed');
    assert.match(verify.reason, /expected to fail, but signature verified/);
    const compression = wrong.find((r) => r.check === 'COMPRESSION')!;
    assert.equal(compression.status, 'skipped');
    assert.match(compression.reason, /deliberately inverted/);
    assert.equal(wrong.find((r) => r.check === 'EXPECTEDFROBNICATE')?.status, 'failed');
  });

  it('turns a file that is not JSON into one failure of that file', () => {
    const broken = of('XX/2DCode/raw/broken.json');
    assert.equal(broken.length, 1);
    assert.equal(broken[0]!.check, 'LOAD');
    assert.match(broken[0]!.reason, /not valid JSON/);
  });

  it('fails a vector that sets no flag instead of passing it silently', () => {
    assert.deepEqual(of('XX/2DCode/raw/no-flags.json').map((r) => [r.check, r.status]), [['EXPECTEDRESULTS', 'failed']]);
  });

  it('prints failures as FILE CHECK reason and a JSON report with the same counts', () => {
    const text = formatText(report).trimEnd().split('\n');
    assert.ok(text.some((l) => l.startsWith('XX/2DCode/raw/broken.json LOAD not valid JSON')));
    assert.equal(text.at(-1), `${report.passed} passed, ${report.failed} failed, 1 skipped`);
    const json = JSON.parse(formatJson(report)) as { passed: number; failed: number; skipped: number; failures: unknown[]; skips: unknown[] };
    assert.deepEqual([json.passed, json.failed, json.skipped], [report.passed, report.failed, report.skipped]);
    assert.equal(json.failures.length, report.failed);
    assert.equal(json.skips.length, 1);
  });

  it('keeps the deviations file parseable and explained', async () => {
    const text = await readFile(DEFAULT_DEVIATIONS_FILE, 'utf8');
    for (const d of parseDeviations(text)) assert.ok(d.reason.length >= 20, `line ${d.line} has no real reason`);
  });
});
