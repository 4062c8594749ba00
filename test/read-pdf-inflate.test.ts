// The one-shot inflater that stands in for DecompressionStream('deflate') while PDFs are read must
// give pdfjs exactly what the platform class gives: the same bytes, and an error wherever the
// platform errs (pdfjs then decodes with its own inflater), and the global must come back after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { withOneShotInflate } from '../src/read/pdf-inflate.js';

/** Decompresses the way pdfjs does (asyncGetBytesFromDecompressionStream): bytes, or the error message. */
async function inflateLikePdfjs(bytes: Uint8Array): Promise<string> {
  try {
    const { readable, writable } = new DecompressionStream('deflate');
    const writer = writable.getWriter();
    await writer.ready;
    writer
      .write(bytes)
      .then(async () => {
        await writer.ready;
        await writer.close();
      })
      .catch(() => {});
    const chunks: Uint8Array[] = [];
    for await (const chunk of readable as unknown as AsyncIterable<Uint8Array>) chunks.push(chunk);
    return Buffer.concat(chunks).toString('hex');
  } catch (e) {
    return `error: ${(e as Error).message}`;
  }
}

test('one-shot inflate: same bytes and same failures as the platform DecompressionStream', async () => {
  const text = Buffer.from(Array.from({ length: 3000 }, (_, i) => `BT /F1 12 Tf ${i} 0 Td (${i * 7}) Tj ET\n`).join(''));
  const good = deflateSync(text);
  const cases: Record<string, Uint8Array> = {
    good,
    'truncated by a few bytes': good.subarray(0, good.length - 6),
    'truncated checksum': good.subarray(0, good.length - 2),
    'trailing junk': Buffer.concat([good, Buffer.from('\r\nendstream')]),
    'two streams back to back': Buffer.concat([good, good]),
    empty: new Uint8Array(0),
    'corrupt block': Uint8Array.from([0x78, 0x9c, 0xff, 0xff, 0x00, 1, 2, 3]),
    'wrong checksum': Buffer.concat([good.subarray(0, good.length - 1), Uint8Array.of(good[good.length - 1] ^ 1)]),
    'no zlib header': Buffer.from('not deflate at all'),
  };
  const platform = globalThis.DecompressionStream;
  for (const [name, bytes] of Object.entries(cases)) {
    const want = await inflateLikePdfjs(bytes);
    const got = await withOneShotInflate(async () => {
      assert.notEqual(globalThis.DecompressionStream, platform, 'the one-shot class is installed while reading');
      return inflateLikePdfjs(bytes);
    });
    assert.equal(got, want, name);
  }
  assert.equal(await inflateLikePdfjs(good), text.toString('hex'));
  assert.equal(globalThis.DecompressionStream, platform, 'the platform class is back after reading');
});

test('one-shot inflate: other formats get the platform class; nested readers restore once', async () => {
  const platform = globalThis.DecompressionStream;
  await withOneShotInflate(async () => {
    assert.ok(new DecompressionStream('gzip') instanceof platform);
    await withOneShotInflate(async () => undefined);
    assert.notEqual(globalThis.DecompressionStream, platform, 'still installed while the outer read runs');
  });
  await assert.rejects(withOneShotInflate(async () => Promise.reject(new Error('boom'))), /boom/);
  assert.equal(globalThis.DecompressionStream, platform);
});
