import assert from 'node:assert/strict';
import { sign } from 'node:crypto';
import { describe, it } from 'node:test';
import { certifyPublicKey, createKeyPair, makeTestCa } from '../keys/index.js';
import { cmsSign, cmsVerify } from './cms.js';

describe('CMS SignedData', () => {
  it('round-trips, and detects a changed content or signature', async () => {
    const ca = await makeTestCa('cms test CA');
    const { privateKey, publicKey } = createKeyPair('ES256');
    const cert = await certifyPublicKey(publicKey, ca, { cn: 'cms signer' });
    const content = Buffer.from('the certificate DER would go here');
    const der = cmsSign(content, cert, (data) => sign('sha256', data, privateKey));
    const v = cmsVerify(der);
    assert.ok(v.content.equals(content));
    assert.ok(v.signer.raw.equals(cert.raw));

    const changed = Buffer.from(der);
    const at = changed.indexOf(content);
    changed[at] = changed[at]! ^ 1;
    assert.throws(() => cmsVerify(changed), /message digest mismatch/);
    const other = cmsSign(content, cert, (data) => sign('sha256', Buffer.concat([data, Buffer.from('x')]), privateKey));
    assert.throws(() => cmsVerify(other), /does not verify/);
    assert.throws(() => cmsVerify(Buffer.from('not der')));
  });
});
