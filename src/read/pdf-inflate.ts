// pdfjs inflates FlateDecode streams (page contents, font programs) through the web
// DecompressionStream whenever the platform has one. In Node each call builds a WHATWG stream
// pipeline over an async zlib stream, and that pipeline's promise and queue machinery costs the
// main thread more than the inflating itself: about a fifth of the CPU time of reading a report.
// While PDFs are being read, DecompressionStream('deflate') is therefore served by a one-shot
// zlib.inflateSync offering the part of the interface pdfjs uses (getWriter/write/close and async
// iteration of `readable`). Node's DecompressionStream is zlib underneath, so the bytes and the
// errors are the same (truncated, corrupt or headerless data fail; pdfjs then falls back to its own
// decoder as before). Other formats go to the platform's class, and the global is put back as soon
// as no PDF is being read.
import { inflateSync } from 'node:zlib';

type DecompressionStreamClass = typeof globalThis.DecompressionStream;

let readers = 0;
let platform: DecompressionStreamClass | undefined;

/** The subset of DecompressionStream('deflate') that pdfjs uses, inflated in one synchronous step. */
class OneShotInflate {
  readonly writable!: { getWriter(): { ready: Promise<void>; write(chunk: Uint8Array): Promise<void>; close(): Promise<void> } };
  readonly readable!: AsyncIterable<Uint8Array>;

  constructor(format: string) {
    if (format !== 'deflate') {
      if (!platform) throw new TypeError(`Unsupported compression format: '${format}'`);
      // A constructor may return another object: callers get a genuine platform stream.
      return new platform(format as CompressionFormat) as unknown as OneShotInflate;
    }
    const parts: Uint8Array[] = [];
    let closed!: () => void;
    const whenClosed = new Promise<void>((resolve) => (closed = resolve));
    const ready = Promise.resolve();
    this.writable = {
      getWriter: () => ({
        ready,
        write(chunk: Uint8Array) {
          parts.push(chunk);
          return ready;
        },
        close() {
          closed();
          return ready;
        },
      }),
    };
    this.readable = {
      async *[Symbol.asyncIterator]() {
        await whenClosed;
        yield inflateSync(parts.length === 1 ? parts[0] : Buffer.concat(parts));
      },
    };
  }
}

/** Runs `read` with DecompressionStream('deflate') served by OneShotInflate (see the top of this file). */
export async function withOneShotInflate<T>(read: () => Promise<T>): Promise<T> {
  const g = globalThis as { DecompressionStream?: unknown };
  if (readers++ === 0) {
    platform = g.DecompressionStream as DecompressionStreamClass | undefined;
    if (platform) g.DecompressionStream = OneShotInflate;
  }
  try {
    return await read();
  } finally {
    if (--readers === 0 && platform) {
      g.DecompressionStream = platform;
      platform = undefined;
    }
  }
}
