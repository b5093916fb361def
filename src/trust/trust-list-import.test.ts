import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { X509Certificate } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { before, describe, it } from 'node:test';
import { describeEachDialect } from '../db/test-helpers/dialects.js';
import { AppError } from '../errors/index.js';
import type { CertificateAuthority } from './keys/certify-public-key.js';
import { importCscaList, importTrustList } from './trust-list-import.js';
import type { ImportResult } from './trust-list-import.js';
import { gatewayEntry, makeCountryCsca, makeTestDsc } from './test-helpers/trust-fixtures.js';
import type { TestDsc } from './test-helpers/trust-fixtures.js';
import { parseListEntries } from './trust-list-import-parse.js';
import { listImportedTrust } from './trust-list-import-repository.js';

const DAY = 86_400_000;
const pem = (c: X509Certificate): string => c.toString();
const json = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const byEntry = (r: ImportResult): Record<string, { status: string; reason?: string }> =>
  Object.fromEntries(r.results.map((e) => [e.entry, { status: e.status, ...(e.reason ? { reason: e.reason } : {}) }]));

let cscaDe: CertificateAuthority;
let cscaFr: CertificateAuthority;
let forger: CertificateAuthority;
let valid: TestDsc;
let forged: TestDsc;
let italian: TestDsc;
let expired: TestDsc;
let french: TestDsc;

before(async () => {
  cscaDe = await makeCountryCsca('DE');
  cscaFr = await makeCountryCsca('FR');
  // The forger copies the German CSCA's name, so only the signature gives it away.
  forger = await makeCountryCsca('DE', { name: cscaDe.name });
  valid = await makeTestDsc(cscaDe, { country: 'DE', cn: 'DSC DE 1' });
  forged = await makeTestDsc(forger, { country: 'DE', cn: 'DSC DE forged' });
  italian = await makeTestDsc(await makeCountryCsca('IT'), { country: 'IT', cn: 'DSC IT' });
  expired = await makeTestDsc(cscaDe, { country: 'DE', cn: 'DSC DE old', notBefore: new Date(Date.now() - 400 * DAY), notAfter: new Date(Date.now() - DAY) });
  french = await makeTestDsc(cscaFr, { country: 'FR', cn: 'DSC FR' });
});

describe('trust-list formats', () => {
  it('reads DER, bare base64, PEM, gateway JSON; says why it cannot read the rest', () => {
    const der = valid.certificate.raw;
    assert.deepEqual(parseListEntries('a.der', der, 'dsc')[0]!.der, der);
    assert.deepEqual(parseListEntries('a.b64', Buffer.from(der.toString('base64')), 'dsc')[0]!.der, der);
    assert.equal(parseListEntries('two.pem', Buffer.from(pem(valid.certificate) + pem(french.certificate)), 'dsc').length, 2);
    const gw = parseListEntries('gw.json', json([gatewayEntry(valid.certificate, { certificateType: 'UPLOAD' })]), 'dsc');
    assert.equal(gw[0]!.skip, 'certificateType UPLOAD, not DSC');
    assert.equal(parseListEntries('x.bin', Buffer.from([1, 2, 3]), 'dsc')[0]!.error, 'not a certificate list: neither JSON, PEM nor DER');
  });
});

describeEachDialect('trust-list import', (getDb) => {
  it('imports CSCAs from PEM and gateway JSON; rejects a non-CA; re-import is a duplicate', async () => {
    const { db } = getDb();
    const notCa = await makeCountryCsca('ES', { ca: false });
    const r1 = await importCscaList(db, Buffer.from(pem(cscaDe.certificate) + pem(notCa.certificate)), { source: 'csca.pem', actor: 'test' });
    assert.deepEqual(byEntry(r1), {
      'csca.pem#1': { status: 'accepted' },
      'csca.pem#2': { status: 'rejected', reason: 'not a CA certificate (basicConstraints cA is not set)' },
    });
    const gw = json([gatewayEntry(cscaFr.certificate, { certificateType: 'CSCA' }), gatewayEntry(valid.certificate), gatewayEntry(cscaDe.certificate, { certificateType: 'CSCA' })]);
    const r2 = await importCscaList(db, gw, { source: 'gw-csca.json', actor: 'test' });
    assert.deepEqual(r2.counts, { accepted: 1, duplicate: 1, rejected: 0, skipped: 1 });
    assert.equal(r2.results[1]!.reason, 'certificateType DSC, not CSCA');
    const rows = await db.selectFrom('trusted_csca').select(['country', 'source']).orderBy('id').execute();
    assert.deepEqual(rows, [
      { country: 'DE', source: 'csca.pem' },
      { country: 'FR', source: 'gw-csca.json' },
    ]);
  });

  it('accepts the valid DSC, rejects the forged one and every inconsistent entry, with reasons', async () => {
    const { db } = getDb();
    const list = [
      gatewayEntry(valid.certificate),
      gatewayEntry(forged.certificate),
      gatewayEntry(italian.certificate),
      gatewayEntry(french.certificate, { thumbprint: 'ab'.repeat(32) }),
      gatewayEntry(french.certificate, { kid: 'AAAAAAAAAAA=' }),
      gatewayEntry(french.certificate, { country: 'BE' }),
      gatewayEntry(expired.certificate),
      gatewayEntry(cscaDe.certificate, { certificateType: 'CSCA' }),
      { ...gatewayEntry(valid.certificate), rawData: Buffer.from('not a certificate').toString('base64') },
      gatewayEntry(french.certificate),
    ];
    const r = await importTrustList(db, json(list), { source: 'https://dgcg.example/trustList', actor: 'test' });
    const e = r.results;
    assert.deepEqual(e.map((x) => x.status), ['accepted', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'rejected', 'skipped', 'rejected', 'accepted']);
    assert.match(e[1]!.reason!, /^signature does not verify against any of the 1 CSCA\(s\) of DE/);
    assert.equal(e[2]!.reason, 'no CSCA configured for country IT');
    assert.match(e[3]!.reason!, /^thumbprint abab.* does not match the certificate's SHA-256 [0-9a-f]{64}$/);
    assert.match(e[4]!.reason!, /^kid AAAAAAAAAAA= does not match the certificate's kid /);
    assert.equal(e[5]!.reason, "entry country BE differs from the certificate subject's C=FR");
    assert.match(e[6]!.reason!, /^expired on \d{4}-/);
    assert.equal(e[7]!.reason, 'certificateType CSCA, not DSC');
    assert.match(e[8]!.reason!, /^not a certificate: /);
    assert.deepEqual(r.counts, { accepted: 2, duplicate: 0, rejected: 7, skipped: 1 });

    const again = await importTrustList(db, json(list), { source: 'again', actor: 'test' });
    assert.deepEqual(again.counts, { accepted: 0, duplicate: 2, rejected: 7, skipped: 1 });
    const dscs = (await listImportedTrust(db)).filter((c) => c.type === 'DSC');
    assert.deepEqual(
      dscs.map((d) => [d.country, d.subject, d.status]),
      [
        ['DE', 'C=DE, O=VaxPass test, CN=DSC DE 1', 'active'],
        ['FR', 'C=FR, O=VaxPass test, CN=DSC FR', 'active'],
      ],
    );
    const de = await db.selectFrom('trusted_dsc').innerJoin('trusted_csca', 'trusted_csca.id', 'trusted_dsc.csca_id').select(['trusted_csca.subject']).where('trusted_dsc.country', '=', 'DE').executeTakeFirstOrThrow();
    assert.equal(de.subject, 'C=DE, O=Test health ministry, CN=CSCA DE');
  });

  it('a DSC under another issuer name, or outside its CSCA\'s validity, is rejected', async () => {
    const { db } = getDb();
    const renamed = await makeTestDsc({ ...cscaDe, name: 'C=DE, O=Elsewhere, CN=Other CA' }, { country: 'DE', cn: 'DSC DE renamed' });
    const r = await importTrustList(db, Buffer.from(pem(renamed.certificate)), { source: 'renamed.pem' });
    assert.equal(r.results[0]!.status, 'rejected');
    assert.match(r.results[0]!.reason!, /issuer "C=DE, O=Elsewhere, CN=Other CA" differs from that subject/);
    const late = await makeTestDsc(cscaDe, { country: 'DE', cn: 'DSC DE late', notBefore: new Date(Date.now() + 11 * 365 * DAY), notAfter: new Date(Date.now() + 12 * 365 * DAY) });
    const r2 = await importTrustList(db, Buffer.from(pem(late.certificate)), { source: 'late.pem' });
    assert.match(r2.results[0]!.reason!, /^validity \S+ does not overlap its CSCA's "C=DE, O=Test health ministry, CN=CSCA DE" \(/);
  });

  it('plain bundles: JSON {dsc: [...]}, an array of base64 DER, a PEM file; bad JSON is one rejected entry', async () => {
    const { db } = getDb();
    const fr2 = await makeTestDsc(cscaFr, { country: 'FR', cn: 'DSC FR 2' });
    const fr3 = await makeTestDsc(cscaFr, { country: 'FR', cn: 'DSC FR 3' });
    const r1 = await importTrustList(db, json({ dsc: [fr2.certificate.raw.toString('base64')] }), { source: 'bundle.json' });
    assert.deepEqual(byEntry(r1), { 'bundle.json#1': { status: 'accepted' } });
    const r2 = await importTrustList(db, json([fr2.certificate.raw.toString('base64'), fr3.certificate.raw.toString('base64')]), { source: 'array.json' });
    assert.deepEqual(r2.counts, { accepted: 1, duplicate: 1, rejected: 0, skipped: 0 });
    const r3 = await importTrustList(db, Buffer.from('{"dsc": [oops'), { source: 'broken.json' });
    assert.equal(r3.results[0]!.status, 'rejected');
    assert.match(r3.results[0]!.reason!, /^not valid JSON/);
    const r4 = await importTrustList(db, json({ csca: [] }), { source: 'wrong.json' });
    assert.equal(r4.results[0]!.reason, 'JSON is neither an array nor an object with a "dsc" array');
  });

  it('imports from a URL on a local server; an HTTP error or a missing file throws', async () => {
    const { db } = getDb();
    const fr4 = await makeTestDsc(cscaFr, { country: 'FR', cn: 'DSC FR 4' });
    const server = createServer((req, res) => {
      if (req.url === '/trustList') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([gatewayEntry(fr4.certificate)]));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const r = await importTrustList(db, `${base}/trustList`, { actor: 'test' });
      assert.equal(r.source, `${base}/trustList`);
      assert.deepEqual(r.counts, { accepted: 1, duplicate: 0, rejected: 0, skipped: 0 });
      const row = await db.selectFrom('trusted_dsc').select('source').where('thumbprint', '=', createHash('sha256').update(fr4.certificate.raw).digest('hex')).executeTakeFirstOrThrow();
      assert.equal(row.source, `${base}/trustList`);
      await assert.rejects(importTrustList(db, `${base}/missing`), (e: unknown) => e instanceof AppError && e.code === 'TRUST_SOURCE_FETCH' && /HTTP 404/.test(e.message));
    } finally {
      server.close();
    }
    await assert.rejects(importTrustList(db, '/nonexistent/trust.json'), (e: unknown) => e instanceof AppError && e.code === 'TRUST_SOURCE_NOT_FOUND');
  });

  it('every accepted certificate has its audit row', async () => {
    const { db } = getDb();
    const audit = await db.selectFrom('audit_log').select(['entity', 'entity_id', 'action', 'actor', 'after_json']).where('action', '=', 'import').execute();
    const cscas = await db.selectFrom('trusted_csca').select('id').execute();
    const dscs = await db.selectFrom('trusted_dsc').select('id').execute();
    assert.deepEqual(audit.filter((a) => a.entity === 'trusted_csca').map((a) => Number(a.entity_id)).sort(), cscas.map((c) => c.id).sort());
    assert.deepEqual(audit.filter((a) => a.entity === 'trusted_dsc').map((a) => Number(a.entity_id)).sort(), dscs.map((c) => c.id).sort());
    assert.ok(audit.some((a) => a.actor === 'test' && (JSON.parse(a.after_json!) as { country: string }).country === 'DE'));
  });
});
