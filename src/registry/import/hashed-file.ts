/**
 * A file read once for an import, hashed on the way: the SHA-256 recorded on the import job
 * comes from the same bytes the parser reads, not from a second pass over the file.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** A file's bytes as they stream, and its hash once read. */
export interface HashedFile {
  readonly chunks: AsyncGenerator<Buffer>;
  readonly bytesRead: () => number;
  /** Ends the read and returns the SHA-256 (hex) of the whole file. */
  readonly sha256: () => Promise<string>;
}

/**
 * Reads `path` once, feeding every chunk to the hash as the importer pulls it. A reader that
 * stops before the end (an XLSX reader may stop after its first sheet; a failed import stops
 * anywhere) leaves a tail: `sha256()` then reads only that tail.
 * @param path - the file
 * @param close - closes what consumes `chunks` (an XLSX stream), before the tail is read
 */
export function hashedFile(path: string, close: () => void = () => undefined): HashedFile {
  const hash = createHash('sha256');
  let read = 0;
  const chunks = (async function* () {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      read += chunk.length;
      yield chunk;
    }
  })();
  let digest: Promise<string> | undefined;
  const finish = async (): Promise<string> => {
    close();
    // Waits for a pending read, then ends the generator: no chunk reaches the hash after this.
    await chunks.return(undefined);
    for await (const chunk of createReadStream(path, { start: read, highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) hash.update(chunk);
    return hash.digest('hex');
  };
  return { chunks, bytesRead: () => read, sha256: () => (digest ??= finish()) };
}
