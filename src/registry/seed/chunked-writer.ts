import { once } from 'node:events';
import { createWriteStream, type WriteStream } from 'node:fs';

/** Bytes per chunk handed to the stream. */
const CHUNK = 1 << 20;
/** Room for one batch of `add`s (the seed writer's 128 people) past a full chunk. */
const SLACK = 256 << 10;

/**
 * Appends text to a file in large chunks through a write stream, waiting for `drain` when the
 * stream asks for it. The texts added since the last `maybeFlush` are joined into one flat
 * string and UTF-8-encoded into a preallocated buffer with one `Buffer.write`: one native call
 * per batch instead of one per row, and only a batch of short strings is ever held (keeping
 * a long string rope alive until a write made every young-generation GC copy it, which cost
 * more than generating the data).
 */
export class ChunkedWriter {
  private readonly stream: WriteStream;
  private buf = Buffer.allocUnsafe(CHUNK + SLACK);
  private used = 0;
  /** Texts added since the last encode. */
  private parts: string[] = [];

  /** @param path - file to create (truncated) */
  constructor(path: string) {
    this.stream = createWriteStream(path, { highWaterMark: CHUNK });
  }

  /** Queues text. Call `maybeFlush()` every few items. @param text - text to append */
  add(text: string): void {
    this.parts.push(text);
  }

  /** Moves the queued texts into the chunk. */
  private encode(): void {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    if (text.length * 3 > this.buf.length - this.used) {
      // Only when the chunk is nearly full (or for a huge string): hand the bytes over as they are.
      this.stream.write(this.take());
      if (text.length * 3 > this.buf.length) {
        this.stream.write(text, 'utf8');
        return;
      }
    }
    this.used += this.buf.write(text, this.used, 'utf8');
  }

  /** Encodes the queued texts; writes the chunk once it is full, honouring backpressure. */
  async maybeFlush(): Promise<void> {
    this.encode();
    if (this.used >= CHUNK) await this.flush();
  }

  /** Writes whatever is buffered, honouring backpressure. */
  async flush(): Promise<void> {
    this.encode();
    if (this.used === 0) return;
    if (!this.stream.write(this.take())) await once(this.stream, 'drain');
  }

  /** Flushes and closes the file. */
  async close(): Promise<void> {
    await this.flush();
    await new Promise<void>((resolve, reject) => {
      this.stream.once('error', reject);
      this.stream.end(() => resolve());
    });
  }

  private take(): Buffer {
    const out = this.buf.subarray(0, this.used);
    this.buf = Buffer.allocUnsafe(CHUNK + SLACK);
    this.used = 0;
    return out;
  }
}
