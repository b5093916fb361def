/**
 * Document signing keys inside an HSM, through PKCS#11 v2.40 (pkcs11js; SoftHSM2 in tests).
 * Keys are generated in the token as sensitive and non-extractable: only the public key leaves
 * it, to be certified. One logged-in session is kept open per Pkcs11Session, since opening and
 * logging in cost far more than a signature; signing is synchronous and Node is single-threaded,
 * so one session never sees two operations at once.
 */
import { createHash, createPublicKey, randomBytes } from 'node:crypto';
import type { KeyObject, X509Certificate } from 'node:crypto';
import { X509Certificate as NodeX509 } from 'node:crypto';
import pkcs11js from 'pkcs11js';
import { AppError } from '../../errors/index.js';
import { kidOf } from '../../hcert/index.js';
import type { CoseAlg, Signer } from '../../hcert/index.js';
import { acquireModule, pkcs11OptionsFromEnv, releaseModule, rememberLogin, sameLoginPin, toAppError } from './pkcs11-module.js';
import type { Pkcs11Options } from './pkcs11-module.js';

const P = pkcs11js;
type Handle = Buffer;
/** DER of OID 1.2.840.10045.3.1.7 (prime256v1 / P-256), the CKA_EC_PARAMS of our EC keys. */
const P256_PARAMS = Buffer.from('06082a8648ce3d030107', 'hex');

/** A key pair generated in the token. */
export interface HsmKey {
  label: string;
  id: Buffer;
  alg: CoseAlg;
  publicKey: KeyObject;
}

/** Protection attributes of a private key object, as the token reports them. */
export interface HsmKeyProtection {
  sensitive: boolean;
  extractable: boolean;
  neverExtractable: boolean;
  token: boolean;
}

/** A Signer whose private key stays in the HSM; close() ends its session. */
export interface Pkcs11Signer extends Signer {
  close(): void;
}

const b64u = (b: Buffer): string => b.toString('base64url');
/** A CK_ULONG attribute (4 or 8 bytes, native = little-endian on x86-64/arm64); our values fit 32 bits. */
const ulong = (b: Buffer | undefined): number | undefined => (b && b.length >= 4 ? b.readUInt32LE(0) : undefined);

/** EC point as the token returns it: DER OCTET STRING around 04‖x‖y, or (some tokens) bare. */
function ecPoint(raw: Buffer): Buffer {
  if (raw.length === 67 && raw[0] === 0x04 && raw[1] === 0x41) return raw.subarray(2);
  if (raw.length === 65 && raw[0] === 0x04) return raw;
  throw new AppError('HSM_KEY_UNSUPPORTED', 'token returned an EC point that is not an uncompressed P-256 point', 500);
}

/** A logged-in session on one token. */
export class Pkcs11Session {
  private session: Handle | undefined;

  private constructor(
    private readonly lib: pkcs11js.PKCS11,
    private readonly modulePath: string,
    session: Handle,
  ) {
    this.session = session;
  }

  /**
   * Loads the module, finds the token by label and logs in as user.
   * @param opts - module path, token label and user PIN (defaults from VAXPASS_PKCS11_* env)
   */
  static open(opts: Partial<Pkcs11Options> = {}): Pkcs11Session {
    const o = { ...pkcs11OptionsFromEnv(), ...opts };
    if (!o.pin) throw new AppError('HSM_PIN_MISSING', 'no PKCS#11 user PIN: set VAXPASS_PKCS11_PIN or VAXPASS_PKCS11_PIN_FILE', 500);
    const lib = acquireModule(o.module);
    let session: Handle | undefined;
    try {
      const slot = lib.C_GetSlotList(true).find((s) => lib.C_GetTokenInfo(s).label.trim() === o.token);
      if (!slot) throw new AppError('HSM_TOKEN_NOT_FOUND', `no PKCS#11 token labelled '${o.token}' in ${o.module}`, 500);
      session = lib.C_OpenSession(slot, P.CKF_SERIAL_SESSION | P.CKF_RW_SESSION);
      try {
        lib.C_Login(session, P.CKU_USER, o.pin);
        rememberLogin(o.module, slot, o.pin);
      } catch (err) {
        // Login state is per application and token: another session is logged in already, and
        // the token did not check this PIN, so we do.
        if ((err as { code?: number }).code !== P.CKR_USER_ALREADY_LOGGED_IN) throw err;
        if (!sameLoginPin(o.module, slot, o.pin)) throw new AppError('HSM_PIN_WRONG', `cannot log into PKCS#11 token '${o.token}': wrong PIN`, 500);
      }
      return new Pkcs11Session(lib, o.module, session);
    } catch (err) {
      if (session) lib.C_CloseSession(session);
      releaseModule(o.module);
      throw toAppError(err, `cannot log into PKCS#11 token '${o.token}'`);
    }
  }

  private get handle(): Handle {
    if (!this.session) throw new AppError('HSM_SESSION_CLOSED', 'the PKCS#11 session is closed', 500);
    return this.session;
  }

  /**
   * Generates a key pair inside the token; the private key is sensitive and never extractable.
   * @param alg - ES256 (EC P-256) or PS256 (RSA)
   * @param opts - label (unique in the token), RSA size, token=false for a session-only key
   */
  generateKeyPair(alg: CoseAlg, opts: { label: string; modulusLength?: 2048 | 3072; token?: boolean }): HsmKey {
    const { label } = opts;
    if (this.find(P.CKO_PRIVATE_KEY, label)) throw new AppError('HSM_KEY_EXISTS', `a key labelled '${label}' already exists`, 409);
    const id = randomBytes(16);
    const token = opts.token ?? true;
    const common = [
      { type: P.CKA_TOKEN, value: token },
      { type: P.CKA_LABEL, value: label },
      { type: P.CKA_ID, value: id },
    ];
    const pub = [...common, { type: P.CKA_CLASS, value: P.CKO_PUBLIC_KEY }, { type: P.CKA_VERIFY, value: true }, { type: P.CKA_PRIVATE, value: false }];
    const priv = [
      ...common,
      { type: P.CKA_CLASS, value: P.CKO_PRIVATE_KEY },
      { type: P.CKA_SIGN, value: true },
      { type: P.CKA_PRIVATE, value: true },
      { type: P.CKA_SENSITIVE, value: true },
      { type: P.CKA_EXTRACTABLE, value: false },
    ];
    try {
      if (alg === 'ES256') {
        pub.push({ type: P.CKA_KEY_TYPE, value: P.CKK_EC }, { type: P.CKA_EC_PARAMS, value: P256_PARAMS });
        priv.push({ type: P.CKA_KEY_TYPE, value: P.CKK_EC });
        this.lib.C_GenerateKeyPair(this.handle, { mechanism: P.CKM_EC_KEY_PAIR_GEN }, pub, priv);
      } else {
        pub.push(
          { type: P.CKA_KEY_TYPE, value: P.CKK_RSA },
          { type: P.CKA_MODULUS_BITS, value: opts.modulusLength ?? 3072 },
          { type: P.CKA_PUBLIC_EXPONENT, value: Buffer.from([1, 0, 1]) },
        );
        priv.push({ type: P.CKA_KEY_TYPE, value: P.CKK_RSA });
        this.lib.C_GenerateKeyPair(this.handle, { mechanism: P.CKM_RSA_PKCS_KEY_PAIR_GEN }, pub, priv);
      }
    } catch (err) {
      throw toAppError(err, `cannot generate ${alg} key '${label}' in the token`);
    }
    return { label, id, alg, publicKey: this.publicKey(label) };
  }

  private find(cls: number, label: string): Handle | undefined {
    const s = this.handle;
    this.lib.C_FindObjectsInit(s, [
      { type: P.CKA_CLASS, value: cls },
      { type: P.CKA_LABEL, value: label },
    ]);
    try {
      const found = this.lib.C_FindObjects(s, 2);
      if (found.length > 1) throw new AppError('HSM_KEY_AMBIGUOUS', `several keys are labelled '${label}'`, 500);
      return found[0];
    } finally {
      this.lib.C_FindObjectsFinal(s);
    }
  }

  private require(cls: number, label: string): Handle {
    const h = this.find(cls, label);
    if (!h) throw new AppError('HSM_KEY_NOT_FOUND', `no ${cls === P.CKO_PRIVATE_KEY ? 'private' : 'public'} key labelled '${label}' in the token`, 500);
    return h;
  }

  private attrs(obj: Handle, types: number[]): Buffer[] {
    return this.lib.C_GetAttributeValue(this.handle, obj, types.map((type) => ({ type }))).map((a) => a.value);
  }

  /**
   * The public key of a token key pair, as a Node KeyObject (to certify or verify with).
   * @param label - the key pair's label
   */
  publicKey(label: string): KeyObject {
    const h = this.require(P.CKO_PUBLIC_KEY, label);
    const [type] = this.attrs(h, [P.CKA_KEY_TYPE]);
    if (ulong(type) === P.CKK_EC) {
      const [params, raw] = this.attrs(h, [P.CKA_EC_PARAMS, P.CKA_EC_POINT]);
      if (!params?.equals(P256_PARAMS) || !raw) throw new AppError('HSM_KEY_UNSUPPORTED', `key '${label}' is not on P-256`, 500);
      const point = ecPoint(raw);
      return createPublicKey({ format: 'jwk', key: { kty: 'EC', crv: 'P-256', x: b64u(point.subarray(1, 33)), y: b64u(point.subarray(33)) } });
    }
    const [n, e] = this.attrs(h, [P.CKA_MODULUS, P.CKA_PUBLIC_EXPONENT]);
    if (!n || !e) throw new AppError('HSM_KEY_UNSUPPORTED', `key '${label}' is neither EC nor RSA`, 500);
    return createPublicKey({ format: 'jwk', key: { kty: 'RSA', n: b64u(n), e: b64u(e) } });
  }

  /**
   * Protection attributes of a private key (audits, tests).
   * @param label - the key pair's label
   */
  protection(label: string): HsmKeyProtection {
    const h = this.require(P.CKO_PRIVATE_KEY, label);
    const v = this.attrs(h, [P.CKA_SENSITIVE, P.CKA_EXTRACTABLE, P.CKA_NEVER_EXTRACTABLE, P.CKA_TOKEN]).map((b) => b[0] === 1);
    return { sensitive: v[0] === true, extractable: v[1] === true, neverExtractable: v[2] === true, token: v[3] === true };
  }

  /**
   * Tries to read the private key's secret value; a well-configured token refuses
   * (CKR_ATTRIBUTE_SENSITIVE). Exists so tests and audits can prove it.
   * @param label - the key pair's label
   */
  tryReadPrivateValue(label: string): Buffer {
    const h = this.require(P.CKO_PRIVATE_KEY, label);
    const secret = P.CKA_VALUE; // EC: the scalar; RSA keys have CKA_PRIVATE_EXPONENT instead
    const [type] = this.attrs(h, [P.CKA_KEY_TYPE]);
    const t = ulong(type) === P.CKK_EC ? secret : P.CKA_PRIVATE_EXPONENT;
    return this.attrs(h, [t])[0] ?? Buffer.alloc(0);
  }

  /**
   * Deletes both halves of a key pair.
   * @param label - the key pair's label
   */
  destroyKeyPair(label: string): void {
    for (const cls of [P.CKO_PRIVATE_KEY, P.CKO_PUBLIC_KEY]) {
      const h = this.find(cls, label);
      if (h) this.lib.C_DestroyObject(this.handle, h);
    }
  }

  /**
   * A Signer over a token key; refuses a certificate that does not carry the key's public half.
   * The Signer shares this session: it stops working once the session is closed.
   * @param label - the key pair's label
   * @param certificate - the DSC issued for that key (DER or parsed)
   */
  signer(label: string, certificate: X509Certificate | Uint8Array): Signer {
    const cert = certificate instanceof NodeX509 ? certificate : new NodeX509(certificate);
    const pub = this.publicKey(label);
    const spki = (k: KeyObject): Buffer => k.export({ type: 'spki', format: 'der' });
    if (!spki(pub).equals(spki(cert.publicKey))) {
      throw new AppError('KEY_CERT_MISMATCH', `HSM key '${label}' does not match the signing certificate`, 500);
    }
    const key = this.require(P.CKO_PRIVATE_KEY, label);
    const alg: CoseAlg = pub.asymmetricKeyType === 'ec' ? 'ES256' : 'PS256';
    const sigLen = alg === 'ES256' ? 64 : Math.ceil((pub.asymmetricKeyDetails?.modulusLength ?? 4096) / 8);
    // Both hash in Node and hand the token the 32-byte digest: ECDSA answers r‖s (COSE's format);
    // CKM_RSA_PKCS_PSS (not CKM_SHA256_RSA_PKCS_PSS) skips streaming the message into the token.
    const pss: pkcs11js.RsaPSS = { type: P.CK_PARAMS_RSA_PSS, hashAlg: P.CKM_SHA256, mgf: P.CKG_MGF1_SHA256, saltLen: 32 };
    const mechanism: pkcs11js.Mechanism = alg === 'ES256' ? { mechanism: P.CKM_ECDSA } : { mechanism: P.CKM_RSA_PKCS_PSS, parameter: pss };
    const sign = (data: Uint8Array): Uint8Array => {
      const input = createHash('sha256').update(data).digest();
      try {
        const session = this.handle;
        this.lib.C_SignInit(session, mechanism, key);
        // C_Sign answers a view of `out` sized to the signature: a copy only if it is shorter.
        const out = Buffer.allocUnsafe(sigLen);
        const sig = this.lib.C_Sign(session, input, out);
        return sig.length === sigLen ? out : Buffer.from(sig);
      } catch (err) {
        throw toAppError(err, `HSM signing with '${label}' failed`);
      }
    };
    return Object.freeze({ kid: kidOf(cert.raw), alg, notAfter: new Date(cert.validTo), sign });
  }

  /** Closes the session (the token logs out when its last session closes). Idempotent. */
  close(): void {
    if (!this.session) return;
    const s = this.session;
    this.session = undefined;
    try {
      this.lib.C_CloseSession(s);
    } finally {
      releaseModule(this.modulePath);
    }
  }
}

/**
 * Opens a session and returns a Signer that owns it: the production entry point.
 * @param opts - module, token, PIN (defaults from env), the key label and its certificate
 */
export function openPkcs11Signer(opts: Partial<Pkcs11Options> & { keyLabel: string; certificate: X509Certificate | Uint8Array }): Pkcs11Signer {
  const session = Pkcs11Session.open(opts);
  try {
    const s = session.signer(opts.keyLabel, opts.certificate);
    return Object.freeze({ kid: s.kid, alg: s.alg, notAfter: s.notAfter, sign: (data: Uint8Array) => s.sign(data), close: () => session.close() });
  } catch (err) {
    session.close();
    throw err;
  }
}
