/**
 * Key custody: one Signer interface (src/hcert/signer.ts), two backends. The embedded default keeps
 * the private key in a scrypt + AES-256-GCM encrypted file; the HSM backend keeps it in a PKCS#11
 * token (SoftHSM2 in tests) where it is generated and never leaves.
 */
export { SCRYPT_PARAMS, createKeyPair, decryptPrivateKey, encryptPrivateKey, loadFileSigner, readKeyFile, readPassphrase, writeKeyFile } from './file-key-store.js';
export type { KeyEnvelope, KeyPair } from './file-key-store.js';
export { Pkcs11Session, openPkcs11Signer } from './pkcs11-signer.js';
export type { HsmKey, HsmKeyProtection, Pkcs11Signer } from './pkcs11-signer.js';
export { SOFTHSM2_MODULE, pkcs11OptionsFromEnv } from './pkcs11-module.js';
export type { Pkcs11Options } from './pkcs11-module.js';
export { certifyPublicKey, makeTestCa } from './certify-public-key.js';
export type { CertificateAuthority, CertifyOptions } from './certify-public-key.js';
export { benchSigners } from './bench-signers.js';
export type { SignerBench } from './bench-signers.js';
