/**
 * The layers of one vector (PREFIX → BASE45 → COMPRESSED → COSE → CWT → DCC), each read from its
 * own field through our codec, computed once and shared by the checks.
 *
 * A layer whose field is absent is derived from the layer above it, through the codec: vector
 * authors drop fields they think a check does not need (BG/5 has no COMPRESSED yet asks for
 * EXPECTEDCOMPRESSION; common/CO* have a COSE but no BASE45). `derived` says which layers were
 * derived, so a check can say what it compared.
 */
import { base45Decode, cborDecode, decodeCwt, parseCose, unprefix, zlibInflate, MAX_INFLATED_BYTES } from '../hcert/index.js';
import type { CoseSign1, DecodedCwt } from '../hcert/index.js';
import { base64Bytes, hexBytes, no, ok, readCertificate } from './inputs.js';
import type { Read, SignerCertificate } from './inputs.js';
import type { Vector } from './load-vector.js';

/** The message of anything thrown by the codec or a library. */
export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Runs a codec step, turning its exception into a reason. */
export function attempt<T>(what: string, step: () => T): Read<T> {
  try {
    return ok(step());
  } catch (e) {
    return no(`${what}: ${message(e)}`);
  }
}

function memo<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/** Decoded CBOR of a CWT: claims map when the payload is a map, else whatever it decodes to. */
export interface DecodedPayload {
  /** The raw decoded CBOR item (Maps for CBOR maps). */
  item: unknown;
  cwt: DecodedCwt;
}

/** Lazily computed layers of a vector. */
export class VectorData {
  /** Layers taken from a neighbouring layer because their own field is absent. */
  readonly derived = new Set<string>();

  /** @param vector - the normalised vector */
  constructor(readonly vector: Vector) {}

  /** PREFIX as text. */
  readonly prefix = memo((): Read<string> => {
    const v = this.vector.fields.PREFIX;
    return typeof v === 'string' ? ok(v) : no(v === undefined ? 'vector has no PREFIX' : 'PREFIX is not a string');
  });

  /** BASE45 as text; derived from PREFIX when absent. */
  readonly base45 = memo((): Read<string> => {
    const v = this.vector.fields.BASE45;
    if (typeof v === 'string') return ok(v);
    if (v !== undefined) return no('BASE45 is not a string');
    const prefix = this.prefix();
    if (!prefix.ok) return no('vector has neither BASE45 nor PREFIX');
    this.derived.add('BASE45');
    return attempt('unprefix PREFIX', () => unprefix(prefix.value));
  });

  /** COMPRESSED bytes; derived from BASE45 when absent. */
  readonly compressed = memo((): Read<Buffer> => {
    const v = this.vector.fields.COMPRESSED;
    if (v !== undefined) return hexBytes('COMPRESSED', v);
    const b45 = this.base45();
    if (!b45.ok) return no(`vector has no COMPRESSED, and ${b45.reason}`);
    this.derived.add('COMPRESSED');
    return attempt('base45-decode BASE45', () => base45Decode(b45.value));
  });

  /** COSE bytes; derived from COMPRESSED when absent. */
  readonly cose = memo((): Read<Buffer> => {
    const v = this.vector.fields.COSE;
    if (v !== undefined) return hexBytes('COSE', v);
    const compressed = this.compressed();
    if (!compressed.ok) return no(`vector has no COSE, and ${compressed.reason}`);
    this.derived.add('COSE');
    return attempt('inflate COMPRESSED', () => Buffer.from(zlibInflate(compressed.value, MAX_INFLATED_BYTES)));
  });

  /** The COSE_Sign1 structure. */
  readonly coseSign1 = memo((): Read<CoseSign1> => {
    const bytes = this.cose();
    return bytes.ok ? attempt('parse COSE', () => parseCose(bytes.value)) : bytes;
  });

  /** The COSE payload as CWT claims (hcert claim required, as our verifier requires it). */
  readonly payload = memo((): Read<DecodedPayload> => {
    const cose = this.coseSign1();
    if (!cose.ok) return cose;
    return attempt('decode CWT', () => ({ item: cborDecode(cose.value.payload), cwt: decodeCwt(cose.value.payload) }));
  });

  /** The CBOR field, decoded. */
  readonly cbor = memo((): Read<unknown> => {
    const v = this.vector.fields.CBOR;
    if (v === undefined) return no('vector has no CBOR');
    const bytes = hexBytes('CBOR', v);
    return bytes.ok ? attempt('decode CBOR', () => cborDecode(bytes.value)) : bytes;
  });

  /** The JSON field. */
  readonly json = memo((): Read<unknown> => {
    const v = this.vector.fields.JSON;
    return v === undefined ? no('vector has no JSON') : ok(v);
  });

  /** The 2DCODE picture bytes (or the picture file found beside the vector). */
  readonly picture = memo((): Read<Buffer | { file: string }> => {
    const v = this.vector.fields['2DCODE'];
    if (v !== undefined) return base64Bytes('2DCODE', v);
    if (this.vector.pictureFile) {
      this.derived.add('2DCODE');
      return ok({ file: this.vector.pictureFile });
    }
    return no('vector has no 2DCODE and no picture file beside it');
  });

  /** TESTCTX.CERTIFICATE. */
  readonly certificate = memo((): Read<SignerCertificate> => readCertificate(this.vector.context.certificate));
}
