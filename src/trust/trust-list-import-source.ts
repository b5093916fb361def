/**
 * Reading a trust list or CSCA list from where it lives: a file, a directory of files, or an
 * http(s) URL (fetched with a timeout and a size cap). Unreadable sources throw an AppError; what
 * the bytes mean is decided by `trust-list-import-parse.ts`.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../errors/index.js';

/** One file's bytes, named for per-entry results (`file.json#3`). */
export interface SourceFile {
  readonly name: string;
  readonly bytes: Buffer;
}

/** Options of {@link readTrustListSource}. */
export interface ReadSourceOptions {
  /** Fetch timeout for URLs (default 15 s). */
  timeoutMs?: number;
  /** Largest accepted body or file (default 32 MiB: the EU gateway list is a few MiB). */
  maxBytes?: number;
}

const CERT_FILE = /\.(pem|crt|cer|der|json)$/i;

/**
 * Reads the input: an http(s) URL, a file, or a directory (its .pem/.crt/.cer/.der/.json files).
 * @param input - path or URL
 * @param options - timeout and size cap
 * @throws AppError `TRUST_SOURCE_NOT_FOUND` (400) for a missing path, `TRUST_SOURCE_FETCH` (502) when the URL fails
 */
export async function readTrustListSource(input: string, options: ReadSourceOptions = {}): Promise<SourceFile[]> {
  const maxBytes = options.maxBytes ?? 32 * 1024 * 1024;
  if (/^https?:\/\//i.test(input)) return [{ name: input, bytes: await fetchBytes(input, options.timeoutMs ?? 15_000, maxBytes) }];
  if (!existsSync(input)) throw new AppError('TRUST_SOURCE_NOT_FOUND', `no such file or directory: ${input}`, 400);
  const files = statSync(input).isDirectory()
    ? readdirSync(input)
        .filter((f) => CERT_FILE.test(f))
        .sort()
        .map((f) => join(input, f))
    : [input];
  return files.map((file) => {
    const size = statSync(file).size;
    if (size > maxBytes) throw new AppError('TRUST_SOURCE_TOO_LARGE', `${file}: ${size} bytes, above the ${maxBytes}-byte cap`, 400);
    return { name: file, bytes: readFileSync(file) };
  });
}

async function fetchBytes(url: string, timeoutMs: number, maxBytes: number): Promise<Buffer> {
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
  } catch (e) {
    const err = e as Error;
    const why = err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : err.message;
    throw new AppError('TRUST_SOURCE_FETCH', `fetching ${url} failed: ${why}`, 502, { url }, { cause: e });
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new AppError('TRUST_SOURCE_FETCH', `fetching ${url} failed: HTTP ${res.status} ${res.statusText}`, 502, { url, status: res.status });
  }
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await res.body?.cancel();
    throw new AppError('TRUST_SOURCE_TOO_LARGE', `${url}: ${declared} bytes, above the ${maxBytes}-byte cap`, 502, { url });
  }
  const bytes = Buffer.from(await res.arrayBuffer());
  if (bytes.length > maxBytes) throw new AppError('TRUST_SOURCE_TOO_LARGE', `${url}: above the ${maxBytes}-byte cap`, 502, { url });
  return bytes;
}
