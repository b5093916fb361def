/**
 * What the verifier needs to know about signing certificates: keys by kid. Several certificates
 * may share a kid (it is only 8 bytes), so a lookup returns a list and the verifier tries each.
 * The trust module (src/trust) builds stores from our PKI and imported trust lists.
 */
import { X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { kidKey } from './kid-text.js';
import { kidOf } from './signer.js';

/** A public key trusted to sign HCERTs. */
export interface TrustedKey {
  readonly kid: Uint8Array;
  readonly publicKey: KeyObject;
  /** ISO 3166 alpha-2 of the issuing country, when known. */
  readonly country?: string;
  readonly subject?: string;
  readonly notBefore?: Date;
  readonly notAfter?: Date;
  /** Extended key usage OIDs of the DSC; undefined = no restriction. */
  readonly extendedKeyUsage?: readonly string[];
  /** Set when the DSC has been revoked (with its reason). */
  readonly revoked?: { readonly at: Date; readonly reason: string };
}

/** Looks keys up by kid. */
export interface TrustStore {
  findByKid(kid: Uint8Array): readonly TrustedKey[];
}

/**
 * Trusted key from a DSC certificate.
 * @param certificate - DER bytes or a parsed certificate
 * @param extra - overrides (e.g. country from a trust list, revocation state)
 */
export function trustedKeyFromCertificate(certificate: X509Certificate | Uint8Array, extra: Partial<TrustedKey> = {}): TrustedKey {
  const cert = certificate instanceof X509Certificate ? certificate : new X509Certificate(certificate);
  const country = /^C=([A-Z]{2})$/m.exec(cert.subject)?.[1];
  const eku = cert.keyUsage as string[] | undefined;
  return {
    kid: kidOf(cert.raw),
    publicKey: cert.publicKey,
    subject: cert.subject.replace(/\n/g, ', '),
    notBefore: new Date(cert.validFrom),
    notAfter: new Date(cert.validTo),
    ...(country ? { country } : {}),
    ...(eku && eku.length > 0 ? { extendedKeyUsage: eku } : {}),
    ...extra,
  };
}

/** A trust store held in memory, keyed by kid (one latin1 character per byte: no base64 per lookup). */
export class MemoryTrustStore implements TrustStore {
  private readonly byKid = new Map<string, TrustedKey[]>();

  /** @param keys - initial keys */
  constructor(keys: Iterable<TrustedKey> = []) {
    for (const k of keys) this.add(k);
  }

  /** @param key - a key to trust (kept alongside others with the same kid) */
  add(key: TrustedKey): this {
    const id = kidKey(key.kid);
    const list = this.byKid.get(id);
    if (list) list.push(key);
    else this.byKid.set(id, [key]);
    return this;
  }

  findByKid(kid: Uint8Array): readonly TrustedKey[] {
    return this.byKid.get(kidKey(kid)) ?? [];
  }

  /** Every trusted key. */
  all(): TrustedKey[] {
    return [...this.byKid.values()].flat();
  }
}
