/**
 * Runs every check a vector asks for and compares the outcome with its EXPECTED* flag (true: the
 * step must succeed; false: it must fail). One result per check, as data; nothing throws.
 */
import { CHECKS } from './checks.js';
import type { CheckName } from './checks.js';
import { checkEncode, checkDecode, checkSchema, checkValidJson, checkValidObject } from './check-payload.js';
import { checkExpiration, checkKeyUsage, checkVerify } from './check-signer.js';
import { checkBase45, checkCompression, checkPicture, checkUnprefix } from './check-transport.js';
import type { PictureDecoder } from './check-transport.js';
import { no } from './inputs.js';
import type { Read } from './inputs.js';
import type { Vector } from './load-vector.js';
import { VectorData, message } from './vector-data.js';

/** The outcome of one check of one vector. */
export interface CheckResult {
  /** Vector path relative to the conformance folder. */
  file: string;
  /** A check name; `LOAD` for a file that could not be read, or the raw key of an unusable flag. */
  check: string;
  status: 'passed' | 'failed' | 'skipped';
  /** The vector's flag, when there is one. */
  expected?: boolean;
  /** What was compared (passed), what went wrong (failed), or the deviation's reason (skipped). */
  reason: string;
}

/** What the checks need from outside the vector. */
export interface CheckOptions {
  decodePicture: PictureDecoder;
}

async function pictureText(data: VectorData, decode: PictureDecoder): Promise<string | undefined> {
  const picture = data.picture();
  if (!picture.ok || !Buffer.isBuffer(picture.value)) return undefined;
  try {
    return (await decode(picture.value))[0];
  } catch {
    return undefined;
  }
}

async function runStep(check: CheckName, data: VectorData, options: CheckOptions): Promise<Read<string>> {
  switch (check) {
    case 'PICTUREDECODE':
      return checkPicture(data, options.decodePicture);
    case 'UNPREFIX':
      return checkUnprefix(data);
    case 'B45DECODE':
      return checkBase45(data);
    case 'COMPRESSION':
      return checkCompression(data);
    case 'VERIFY':
      return checkVerify(data);
    case 'KEYUSAGE':
      return checkKeyUsage(data);
    case 'EXPIRATIONCHECK':
      return checkExpiration(data);
    case 'DECODE':
      return checkDecode(data);
    case 'VALIDJSON':
      return checkValidJson(data, data.prefix().ok ? undefined : await pictureText(data, options.decodePicture));
    case 'SCHEMAVALIDATION':
      return checkSchema(data);
    case 'VALIDOBJECT':
      return checkValidObject(data);
    case 'ENCODE':
      return checkEncode(data);
  }
}

/**
 * Runs the checks of one vector, in chain order.
 * @param vector - a normalised vector
 * @param options - the picture decoder
 * @returns one result per EXPECTED* flag, a failure per unusable flag, and a failure when
 *   the vector has no flag at all
 */
export async function runChecks(vector: Vector, options: CheckOptions): Promise<CheckResult[]> {
  const data = new VectorData(vector);
  const results: CheckResult[] = vector.problems.map((p) => ({ file: vector.file, check: p.key, status: 'failed', reason: `unusable expectation: ${p.reason}` }));
  if (vector.expectations.length === 0 && vector.problems.length === 0) {
    // Silently testing nothing would hide a vector whose flags we failed to find.
    results.push({ file: vector.file, check: 'EXPECTEDRESULTS', status: 'failed', reason: 'vector sets no EXPECTED* flag, so it tests nothing' });
  }
  const ordered = [...vector.expectations].sort((a, b) => CHECKS.indexOf(a.check) - CHECKS.indexOf(b.check));
  for (const { check, expected, key } of ordered) {
    let outcome: Read<string>;
    try {
      outcome = await runStep(check, data, options);
    } catch (e) {
      // A bug in a check must not end the run: report it against this vector.
      outcome = no(`internal error in the ${check} check: ${message(e)}`);
    }
    const spelled = key.toUpperCase() === `EXPECTED${check}` ? '' : ` (flag written ${key})`;
    if (outcome.ok === expected) {
      results.push({ file: vector.file, check, status: 'passed', expected, reason: (outcome.ok ? outcome.value : `fails as expected: ${outcome.reason}`) + spelled });
    } else {
      const reason = outcome.ok ? `expected to fail, but ${outcome.value}` : `expected to succeed, but ${outcome.reason}`;
      results.push({ file: vector.file, check, status: 'failed', expected, reason: reason + spelled });
    }
  }
  return results;
}
