/**
 * Each step of issue (CWT → COSE → zlib → base45) and of verify (base45 → zlib → COSE → CWT →
 * signature → schema → value sets) timed on its own, on the bench certificate, so a missed goal
 * can be pinned on a step. Inputs of every step are prepared once from the real pipeline.
 */
import {
  HC1_PREFIX,
  MAX_INFLATED_BYTES,
  issueHc1,
  verifyHc1,
  base45Decode,
  base45Encode,
  checkValueSets,
  decodeCwt,
  encodeCwt,
  parseCose,
  protectedHeader,
  sigStructure,
  signCose,
  validateSchema,
  verifyCoseSignature,
  zlibDeflate,
  zlibInflate,
} from '../hcert/index.js';
import type { CoseAlg } from '../hcert/index.js';
import { algFixture } from './bench-fixture.js';
import type { BenchFixture } from './bench-fixture.js';

/** A named step and the call that performs it once. */
export interface Stage {
  group: 'issue' | 'verify';
  name: string;
  run: () => unknown;
  /** False for a stage that is part of another one (e.g. the bare signature inside cose_sign). */
  disjoint: boolean;
}

/**
 * The stages measured for one algorithm: all of them for ES256; for PS256 only the signature
 * steps, the others being the same code on the same bytes. `whole` is the entire issueHc1 /
 * verifyHc1 call (payload checks on), timed in the same windows as its parts.
 * @param f - the bench fixture
 * @param alg - ES256 or PS256
 */
export function stagesFor(f: BenchFixture, alg: CoseAlg): Stage[] {
  const { dev, issue, hc1 } = algFixture(f, alg);
  const claims = { iss: issue.iss ?? 'VN', iat: issue.iat, exp: issue.exp, dcc: f.dcc };
  const cwt = encodeCwt(claims);
  const cose = signCose(cwt, dev.signer);
  const toSign = sigStructure(protectedHeader(dev.signer.alg, dev.signer.kid), cwt);
  const b45 = hc1.slice(HC1_PREFIX.length);
  const compressed = base45Decode(b45);
  const coseBytes = zlibInflate(compressed, MAX_INFLATED_BYTES);
  const parsed = parseCose(coseBytes);
  const dcc = decodeCwt(parsed.payload).dcc;
  const key = dev.trusted.publicKey;
  const all: Stage[] = [
    { group: 'issue', name: 'whole', run: () => issueHc1(f.dcc, issue), disjoint: false },
    { group: 'issue', name: 'cbor_cwt', run: () => encodeCwt(claims), disjoint: true },
    { group: 'issue', name: 'cose_sign', run: () => signCose(cwt, dev.signer), disjoint: true },
    { group: 'issue', name: 'signature', run: () => dev.signer.sign(toSign), disjoint: false },
    { group: 'issue', name: 'deflate', run: () => zlibDeflate(cose), disjoint: true },
    { group: 'issue', name: 'base45', run: () => base45Encode(compressed), disjoint: true },
    { group: 'verify', name: 'whole', run: () => verifyHc1(hc1, f.verify), disjoint: false },
    { group: 'verify', name: 'base45_decode', run: () => base45Decode(b45), disjoint: true },
    { group: 'verify', name: 'inflate', run: () => zlibInflate(compressed, MAX_INFLATED_BYTES), disjoint: true },
    { group: 'verify', name: 'cose_parse', run: () => parseCose(coseBytes), disjoint: true },
    { group: 'verify', name: 'cwt_decode', run: () => decodeCwt(parsed.payload), disjoint: true },
    { group: 'verify', name: 'signature', run: () => verifyCoseSignature(parsed, alg, key), disjoint: true },
    { group: 'verify', name: 'schema', run: () => validateSchema(dcc), disjoint: true },
    { group: 'verify', name: 'value_sets', run: () => checkValueSets(dcc), disjoint: true },
  ];
  if (!verifyCoseSignature(parsed, alg, key)) throw new Error(`bench stages: ${alg} signature does not verify`);
  if (!validateSchema(dcc).ok || !checkValueSets(dcc).ok) throw new Error('bench stages: the bench DCC fails its payload checks');
  return alg === 'ES256' ? all : all.filter((s) => ['whole', 'signature', 'cose_sign'].includes(s.name));
}

/** One stage's best rate, its time per call and its share of the whole operation. */
export interface StageFigure {
  per_s: number;
  us: number;
  /** Fraction of the whole issue/verify call's time (its `whole` stage). */
  share: number;
}

/** A group's stages plus the reconciliation against the whole call. */
export type StageGroup = Record<string, StageFigure | number>;

/**
 * Turns best stage rates into figures per group, with `total_us` (the `whole` stage),
 * `stages_us` (sum of the disjoint stages) and `other_us` (what the whole call spends outside
 * them: per-call overheads, copies, result objects).
 * @param stages - the measured stages
 * @param best - best rate of a stage
 */
export function stageFigures(stages: readonly Stage[], best: (s: Stage) => number): Record<string, StageGroup> {
  const out: Record<string, StageGroup> = {};
  for (const group of ['issue', 'verify'] as const) {
    const mine = stages.filter((s) => s.group === group);
    const whole = mine.find((s) => s.name === 'whole');
    if (!whole) continue;
    const totalUs = 1e6 / best(whole);
    const g: StageGroup = {};
    let sum = 0;
    let parts = 0;
    for (const s of mine) {
      const perS = best(s);
      const us = 1e6 / perS;
      if (s.disjoint) {
        sum += us;
        parts++;
      }
      g[s.name] = { per_s: Math.round(perS), us: round2(us), share: Math.round((us / totalUs) * 1000) / 1000 };
    }
    g.total_us = round2(totalUs);
    if (parts > 1) {
      g.stages_us = round2(sum);
      g.other_us = round2(totalUs - sum);
    }
    out[group] = g;
  }
  return out;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
