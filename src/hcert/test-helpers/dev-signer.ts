// Tests of the codec sign with throw-away certificates made by the trust module.
export { makeDevSigner } from '../../trust/dev-signer.js';
export type { DevSigner } from '../../trust/dev-signer.js';
