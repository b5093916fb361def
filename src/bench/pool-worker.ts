/**
 * Worker of the bench's issuing pool: rebuilds the Signer from the key and certificate it is
 * given, then answers each message `n` with n freshly issued `HC1:` texts, newline-joined.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import { issueHc1, keySigner } from '../hcert/index.js';
import type { DccPayload, IssueOptions } from '../hcert/index.js';

/** What the pool hands each worker. */
export interface PoolWorkerData {
  keyPkcs8: Uint8Array;
  certDer: Uint8Array;
  dcc: DccPayload;
  iss: string;
  iat: number;
  exp: number;
}

const data = workerData as PoolWorkerData;
const opts: IssueOptions = {
  signer: keySigner(createPrivateKey({ key: Buffer.from(data.keyPkcs8), format: 'der', type: 'pkcs8' }), new X509Certificate(data.certDer)),
  iss: data.iss,
  iat: data.iat,
  exp: data.exp,
};

// One newline-joined string per batch: one string to copy between threads instead of n.
parentPort?.on('message', (n: number) => {
  const out = new Array<string>(n);
  for (let i = 0; i < n; i++) out[i] = issueHc1(data.dcc, opts);
  parentPort?.postMessage(out.join('\n'));
});
