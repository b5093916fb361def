/**
 * CMS SignedData (RFC 5652 §5) with the content encapsulated, as the EU DCC gateway uses for
 * trust-list entries (dgc-lib SignedCertificateMessage: the certificate's DER signed by the
 * country's signing certificate). One signer, SHA-256, ecdsa-with-SHA256 (RFC 5753), signed
 * attributes contentType + messageDigest, the signer's certificate included.
 * `openssl cms -verify -inform DER -CAfile csca.pem -purpose any` accepts what this produces.
 */
import { X509Certificate, createHash, verify as cryptoVerify } from 'node:crypto';
import {
  Attribute,
  CMSVersion,
  CertificateChoices,
  CertificateSet,
  ContentInfo,
  DigestAlgorithmIdentifier,
  DigestAlgorithmIdentifiers,
  EncapsulatedContent,
  EncapsulatedContentInfo,
  IssuerAndSerialNumber,
  SignatureAlgorithmIdentifier,
  SignedData,
  SignerIdentifier,
  SignerInfo,
  SignerInfos,
  id_contentType,
  id_data,
  id_messageDigest,
  id_signedData,
} from '@peculiar/asn1-cms';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { Certificate } from '@peculiar/asn1-x509';

const SHA256 = '2.16.840.1.101.3.4.2.1';
const ECDSA_WITH_SHA256 = '1.2.840.10045.4.3.2';
/** DER of OID 1.2.840.113549.1.7.1 (id-data). */
const ID_DATA_DER = Buffer.from('06092a864886f70d010701', 'hex');

function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** DER `SET OF` of already-encoded elements (sorted, as DER requires). */
function derSetOf(elements: Buffer[]): Buffer {
  const body = Buffer.concat([...elements].sort((a, b) => Buffer.compare(a, b)));
  return Buffer.concat([Buffer.from([0x31]), derLength(body.length), body]);
}

/**
 * Signs `content` into a CMS SignedData (DER ContentInfo).
 * @param content - the bytes to encapsulate (e.g. a certificate's DER)
 * @param signerCert - the signer's certificate (EC P-256)
 * @param signDer - signs bytes with the signer's key, returning a DER ECDSA-SHA256 signature
 */
export function cmsSign(content: Uint8Array, signerCert: X509Certificate, signDer: (data: Uint8Array) => Uint8Array): Buffer {
  const cert = AsnConvert.parse(signerCert.raw, Certificate);
  const digest = createHash('sha256').update(content).digest();
  const attrs = [
    new Attribute({ attrType: id_contentType, attrValues: [Uint8Array.from(ID_DATA_DER).buffer] }),
    new Attribute({ attrType: id_messageDigest, attrValues: [AsnConvert.serialize(new OctetString(digest))] }),
  ];
  const encoded = attrs.map((a) => Buffer.from(AsnConvert.serialize(a)));
  // Keep the DER order (sorted) in the structure too, so the [0] IMPLICIT field matches what is signed.
  const sorted = attrs.map((a, i) => ({ a, der: encoded[i]! })).sort((x, y) => Buffer.compare(x.der, y.der));
  const signature = signDer(derSetOf(encoded));
  const signerInfo = new SignerInfo({
    version: CMSVersion.v1,
    sid: new SignerIdentifier({ issuerAndSerialNumber: new IssuerAndSerialNumber({ issuer: cert.tbsCertificate.issuer, serialNumber: cert.tbsCertificate.serialNumber }) }),
    digestAlgorithm: new DigestAlgorithmIdentifier({ algorithm: SHA256 }),
    signedAttrs: sorted.map((s) => s.a),
    signatureAlgorithm: new SignatureAlgorithmIdentifier({ algorithm: ECDSA_WITH_SHA256 }),
    signature: new OctetString(signature),
  });
  const signed = new SignedData({
    version: CMSVersion.v1,
    digestAlgorithms: new DigestAlgorithmIdentifiers([new DigestAlgorithmIdentifier({ algorithm: SHA256 })]),
    encapContentInfo: new EncapsulatedContentInfo({ eContentType: id_data, eContent: new EncapsulatedContent({ single: new OctetString(content) }) }),
    certificates: new CertificateSet([new CertificateChoices({ certificate: cert })]),
    signerInfos: new SignerInfos([signerInfo]),
  });
  return Buffer.from(AsnConvert.serialize(new ContentInfo({ contentType: id_signedData, content: AsnConvert.serialize(signed) })));
}

/** What a verified CMS SignedData held. */
export interface CmsVerified {
  content: Buffer;
  signer: X509Certificate;
}

/**
 * Verifies a CMS SignedData made by {@link cmsSign}: the message digest of the encapsulated
 * content and the signer's signature over the signed attributes. Chain checks are the caller's.
 * @param der - the DER ContentInfo
 * @throws Error when the structure or a signature is wrong
 */
export function cmsVerify(der: Uint8Array): CmsVerified {
  const info = AsnConvert.parse(der, ContentInfo);
  if (info.contentType !== id_signedData) throw new Error('not a CMS SignedData');
  const signed = AsnConvert.parse(info.content, SignedData);
  const eContent = signed.encapContentInfo.eContent;
  const raw = eContent?.single?.buffer ?? eContent?.any;
  if (!raw) throw new Error('no encapsulated content');
  const content = Buffer.from(raw);
  const si = signed.signerInfos[0];
  if (signed.signerInfos.length !== 1 || !si) throw new Error('expected exactly one signer');
  const set = signed.certificates;
  const certs = set ? set.map((c) => c.certificate).filter((c): c is Certificate => c !== undefined) : [];
  const ias = si.sid.issuerAndSerialNumber;
  const match = certs.find((c) => ias && Buffer.from(c.tbsCertificate.serialNumber).equals(Buffer.from(ias.serialNumber)));
  if (!match) throw new Error('the signer certificate is not in the message');
  const signer = new X509Certificate(Buffer.from(AsnConvert.serialize(match)));
  if (si.digestAlgorithm.algorithm !== SHA256 || si.signatureAlgorithm.algorithm !== ECDSA_WITH_SHA256) throw new Error('unsupported algorithms');
  const md = si.signedAttrs?.find((a) => a.attrType === id_messageDigest)?.attrValues[0];
  if (!md || !Buffer.from(AsnConvert.parse(md, OctetString).buffer).equals(createHash('sha256').update(content).digest())) throw new Error('message digest mismatch');
  const ct = si.signedAttrs?.find((a) => a.attrType === id_contentType)?.attrValues[0];
  if (!ct || !Buffer.from(ct).equals(ID_DATA_DER)) throw new Error('content type attribute missing or not id-data');
  if (!si.signedAttrs?.length) throw new Error('no signed attributes');
  // The signature covers the attributes as an explicit DER SET OF (RFC 5652 §5.4): the received
  // [0] IMPLICIT bytes with the SET tag when the parser kept them, else their DER re-encoding.
  let signedBytes: Buffer;
  if (si.signedAttrsRaw) {
    signedBytes = Buffer.from(si.signedAttrsRaw);
    signedBytes[0] = 0x31;
  } else {
    signedBytes = derSetOf(si.signedAttrs.map((a) => Buffer.from(AsnConvert.serialize(a))));
  }
  if (!cryptoVerify('sha256', signedBytes, signer.publicKey, Buffer.from(si.signature.buffer))) throw new Error('CMS signature does not verify');
  return { content, signer };
}
