/**
 * The peer: @pathcheck/dcc-sdk, the HC1 SDK DIVOC uses, on the same ES256 key and payload. As
 * published it loads through the `esm` package, which fails on Node 20, so its unchanged source
 * is bundled with esbuild (scripts/build-peer.mjs → bench-out/peer-dcc-sdk.cjs) on first use.
 * It is a devDependency: only the bench loads it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CWT_EXP, CWT_HCERT, CWT_IAT, CWT_ISS, verifyHc1 } from '../hcert/index.js';
import type { BenchFixture } from './bench-fixture.js';

const PEER_PACKAGE = '@pathcheck/dcc-sdk';

/** The part of the SDK's API the bench uses (lib/dcc.js). */
interface PeerSdk {
  /** CWT claims map → `HC1:` text; takes the signing certificate PEM and the PKCS#8 private key PEM. */
  signAndPack(cwt: Map<number, unknown>, publicKeyPem: string, privateKeyP8: string): Promise<string>;
  /** `HC1:` text → `{status: 'verified', contents}`, the issuer looked up by kid in its registry. */
  unpackAndVerify(uri: string, publicKeyPem: string): Promise<{ status: string; contents?: unknown }>;
  /** Preloads its trust registry (base64 kid → base64 DER certificate), so no network fetch happens. */
  addCachedCerts(certs: Record<string, string>): void;
}

/** The peer, ready to issue and verify the bench certificate. */
export interface Peer {
  name: string;
  version: string;
  issue(): Promise<string>;
  verify(): Promise<unknown>;
  /** Cross-checks on the shared key: both libraries accept each other's certificates. */
  interop: { ours_verifies_peer: boolean; peer_verifies_ours: boolean };
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Path of the peer bundle, building it when missing or older than the installed package.
 * @param root - project root (holds package.json, scripts/ and bench-out/)
 */
export function ensurePeerBundle(root = projectRoot): string {
  const bundle = join(root, 'bench-out', 'peer-dcc-sdk.cjs');
  let pkgJson: string;
  try {
    pkgJson = createRequire(join(root, 'package.json')).resolve(`${PEER_PACKAGE}/package.json`);
  } catch {
    throw new Error(`${PEER_PACKAGE} is not installed: the bench needs the devDependencies (npm install)`);
  }
  if (existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(pkgJson).mtimeMs) return bundle;
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-peer.mjs'), bundle], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`building the ${PEER_PACKAGE} bundle failed: ${r.stderr || r.error?.message || `exit ${r.status ?? '?'}`}`);
  return bundle;
}

/**
 * Loads the peer and prepares it on the fixture's ES256 key and payload.
 * @param f - the bench fixture
 * @param root - project root
 */
export async function makePeer(f: BenchFixture, root = projectRoot): Promise<Peer> {
  const bundle = ensurePeerBundle(root);
  const sdk = createRequire(import.meta.url)(bundle) as PeerSdk;
  const pkgJson = createRequire(join(root, 'package.json')).resolve(`${PEER_PACKAGE}/package.json`);
  const version = (JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string }).version;

  const { dev, issue } = f.es256;
  const certPem = dev.certificate.toString();
  const keyPem = dev.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  sdk.addCachedCerts({ [Buffer.from(dev.signer.kid).toString('base64')]: dev.certificate.raw.toString('base64') });
  // The same claims our issueHc1 signs: iss, iat, exp and the DCC under hcert/1.
  const cwt = new Map<number, unknown>([
    [CWT_ISS, issue.iss ?? 'VN'],
    [CWT_IAT, issue.iat],
    [CWT_EXP, issue.exp],
    [CWT_HCERT, new Map([[1, f.dcc]])],
  ]);
  const peerHc1 = await sdk.signAndPack(cwt, certPem, keyPem);
  const check = await sdk.unpackAndVerify(peerHc1, certPem);
  if (check.status !== 'verified') throw new Error(`${PEER_PACKAGE} does not verify its own certificate: ${check.status}`);
  const interop = {
    ours_verifies_peer: verifyHc1(peerHc1, f.verify).valid,
    peer_verifies_ours: (await sdk.unpackAndVerify(f.es256.hc1, certPem)).status === 'verified',
  };
  return {
    name: PEER_PACKAGE,
    version,
    issue: () => sdk.signAndPack(cwt, certPem, keyPem),
    verify: async () => {
      const r = await sdk.unpackAndVerify(peerHc1, certPem);
      if (r.status !== 'verified') throw new Error(`${PEER_PACKAGE} verify: ${r.status}`);
      return r.contents;
    },
    interop,
  };
}
