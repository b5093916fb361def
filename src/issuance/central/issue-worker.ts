/**
 * Worker thread of the national batch: rebuilds the DSC signer from its {@link DscMaterial}
 * (an in-memory key, or its own PKCS#11 session), then answers each batch of {@link IssueWork}
 * with signed certificates or per-person errors. Before signing a person it verifies the facility
 * signatures of every dose the certificate is built from (canonical bytes, hash, Merkle proof,
 * the batch's ECDSA signature once): CPU work that runs here on all cores rather than on the
 * single main thread.
 */
import { createPrivateKey, createPublicKey } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../errors/index.js';
import type { DscMaterial } from './dsc-material.js';
import { signerFromMaterial } from './material-signer.js';
// The pure check module, not the signing door: the door's other modules bring the registry, the
// database drivers, exceljs… (~0.6 s of CPU per worker to load, measured with --cpu-prof).
import { checkDoseSignature, invalidSignatureMessage } from '../signing/check-dose-signature.js';
import type { DoseSignatureCheck } from '../signing/check-dose-signature.js';
import { signCertificate } from './sign-certificate.js';
import type { CertificateTimes, CertificateWork, SignedCertificate } from './sign-certificate.js';

/** One person to issue for, with the signature checks of the doses it is built from. */
export interface IssueWork extends CertificateWork {
  readonly checks: readonly DoseSignatureCheck[];
}

/** A request to a worker. */
export interface WorkRequest {
  readonly id: number;
  readonly times: CertificateTimes;
  readonly works: readonly IssueWork[];
  /** Signing-unit public keys (SPKI DER) this worker has not been sent yet, by certificate id. */
  readonly keys: readonly (readonly [number, Uint8Array])[];
}

/** One person's answer. */
export type WorkResult = ({ readonly ok: true } & SignedCertificate) | { readonly ok: false; readonly personId: number; readonly code: string; readonly message: string };

/** A worker's answer. */
export interface WorkResponse {
  readonly id: number;
  readonly results: readonly WorkResult[];
}

/**
 * Keys are re-imported per thread: a KeyObject cloned through postMessage shares its OpenSSL
 * EVP_PKEY with the other threads, and OpenSSL 3 serialises concurrent use of one EVP_PKEY —
 * measured on this 2-core machine, ECDSA verify went from ~146 to ~70 µs and ES256 signing from
 * ~73 to ~28 µs per operation with thread-local keys.
 */
function threadLocal(m: DscMaterial): DscMaterial {
  if (m.kind !== 'key') return m;
  return { ...m, privateKey: createPrivateKey({ key: m.privateKey.export({ format: 'der', type: 'pkcs8' }), format: 'der', type: 'pkcs8' }) };
}

const { signer } = await signerFromMaterial(threadLocal(workerData as DscMaterial));
/** Public keys of signing-unit certificates, kept for the worker's life (few units per run). */
const unitKeys = new Map<number, KeyObject>();

/** Why the person's signed data fails verification; null when every check passes. */
function failedCheck(w: IssueWork): string | null {
  const bad: string[] = [];
  for (const c of w.checks) {
    const key = unitKeys.get(c.certificateId);
    const why = key ? checkDoseSignature(c, key) : `the key of certificate ${c.certificateId} was not sent to the worker`;
    if (why !== null) bad.push(invalidSignatureMessage(c, why));
  }
  return bad.length === 0 ? null : `person ${w.personId}: ${bad.join('; ')}`;
}

parentPort?.on('message', (req: WorkRequest) => {
  for (const [id, spki] of req.keys) unitKeys.set(id, createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' }));
  const results: WorkResult[] = new Array<WorkResult>(req.works.length);
  req.works.forEach((w, i) => {
    try {
      const bad = failedCheck(w);
      if (bad !== null) {
        results[i] = { ok: false, personId: w.personId, code: 'ISSUE_SIGNATURE_INVALID', message: bad };
        return;
      }
      results[i] = { ok: true, ...signCertificate(w, signer, req.times) };
    } catch (e) {
      const code = e instanceof AppError ? e.code : ((e as { code?: string }).code ?? 'ISSUE_FAILED');
      results[i] = { ok: false, personId: w.personId, code, message: (e as Error).message };
    }
  });
  const res: WorkResponse = { id: req.id, results };
  parentPort?.postMessage(res);
});
// Ready: the signer was built (a bad key or PIN fails here, before any work is sent).
parentPort?.postMessage('ready');
