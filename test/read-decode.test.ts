// decodeValidUtf8 (src/read/decode.ts) replaces TextDecoder for validated UTF-8; it must give
// the same string for every valid input, and decodeText must choose it only for valid bytes.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { isUtf8 } from 'node:buffer';
import { decodeDamagedUtf8, decodeText, decodeTextFile, decodeValidUtf8, looksBinary } from '../src/read/decode.js';

// decodeValidUtf8 keeps a leading U+FEFF (decodeText strips the BOM before calling it), so the
// reference decoder must keep it too: the default TextDecoder drops it.
const td = new TextDecoder('utf-8', { ignoreBOM: true });

describe('decodeValidUtf8', () => {
  test('equals TextDecoder on any valid UTF-8 (one- to four-byte characters)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        const bytes = new TextEncoder().encode(s);
        assert.equal(decodeValidUtf8(bytes), td.decode(bytes));
      }),
      { numRuns: 5000 },
    );
  });

  test('a leading U+FEFF is kept on the loop path and on the large-input path alike', () => {
    assert.equal(decodeValidUtf8(Buffer.from('\ufeff')), '\ufeff');
    const big = '\ufeff' + '政'.repeat(400_000); // > 1 MiB of bytes: the TextDecoder path
    assert.equal(decodeValidUtf8(Buffer.from(big)), big);
    // decodeText strips exactly one BOM, whichever path decodes the rest.
    assert.equal(decodeText(Buffer.from('\ufeff\ufeff年度报告')).text, '\ufeff年度报告');
  });

  test('every code point boundary and a subarray with an offset', () => {
    const s = '\u0000\u007f\u0080\u07ff\u0800\uffff\u{10000}\u{10ffff}政府（）　';
    const buf = Buffer.concat([Buffer.from('xyz'), Buffer.from(s)]);
    assert.equal(decodeValidUtf8(buf.subarray(3)), s);
  });

  test('damaged UTF-8 still goes through the replacement decoder', () => {
    const good = Buffer.from('政府信息公开工作年度报告'.repeat(20));
    const cut = Buffer.concat([good, Buffer.from([0xe6, 0x94])]); // a character cut by bytes
    const r = decodeText(cut);
    assert.equal(r.encoding, 'utf-8');
    assert.equal(r.text, td.decode(cut));
    assert.ok(r.text.endsWith('\ufffd'));
  });

  test('a declared utf-8 label decodes valid bytes the same', () => {
    const b = Buffer.from('二、主动公开政府信息情况');
    assert.deepEqual(decodeText(b, 'UTF-8'), { text: '二、主动公开政府信息情况', encoding: 'utf-8' });
  });
});

// UTF-8 text with bytes dropped, inserted and changed: what a crawler's cut by bytes, a bad
// transfer or a mixed encoding leaves. The inserted bytes are lead, continuation and invalid
// bytes, and the start of surrogate and overlong forms.
const damagedArb = fc
  .tuple(
    fc.array(fc.constantFrom('政', '府', '信', 'a', '1', ' ', '\n', '，', '😀', '\ufffd', 'é'), { minLength: 1, maxLength: 80 }),
    fc.array(fc.tuple(fc.nat(), fc.constantFrom(-1, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe6, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0xa0, 0x9f, 0x90, 0x8f, 0x00, 0x01)), { minLength: 1, maxLength: 8 }),
  )
  .map(([chars, edits]) => {
    const a = [...Buffer.from(chars.join(''), 'utf8')];
    for (const [at, b] of edits) {
      const i = at % (a.length + 1);
      if (b < 0) a.splice(i, 1); // a byte dropped
      else a.splice(i, 0, b);
    }
    return Buffer.from(a);
  });

describe('decodeDamagedUtf8', () => {
  test('equals TextDecoder on any bytes', () => {
    const td = new TextDecoder('utf-8', { ignoreBOM: true });
    fc.assert(
      fc.property(fc.oneof(damagedArb, fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 60 }).map((a) => Buffer.from(a))), (buf) => {
        assert.equal(decodeDamagedUtf8(buf), td.decode(buf));
      }),
      { numRuns: 20000 },
    );
  });

  test('decodeText chooses damaged UTF-8 or GB18030 as by counting the replacement characters of TextDecoder', () => {
    // The definition, as decodeText made it before its own decoder.
    const byCount = (bytes: Uint8Array) => {
      const utf8 = new TextDecoder('utf-8').decode(bytes);
      let bad = 0;
      let nonAscii = 0;
      for (const ch of utf8) for (let k = 0; k < ch.length; k++) {
        const c = ch.charCodeAt(k);
        if (c === 0xfffd) bad++;
        else if (c >= 0x80) nonAscii++;
      }
      return bad === 0 || bad * 20 < nonAscii ? { text: utf8, encoding: 'utf-8' } : { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
    };
    const gbk = new Uint8Array([0xd5, 0xfe, 0xb8, 0xae, 0xd0, 0xc5, 0xcf, 0xa2, 0xb9, 0xab, 0xbf, 0xaa]); // 政府信息公开 in GBK
    fc.assert(
      fc.property(fc.oneof(damagedArb, fc.constant(Buffer.from(gbk))), (buf) => {
        if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) return; // a BOM decides alone
        if (buf[0] === 0xff || buf[0] === 0xfe) return;
        if (isUtf8(buf)) return; // valid UTF-8 is UTF-8, whatever U+FFFD it holds
        assert.deepEqual(decodeText(buf), byCount(buf));
      }),
      { numRuns: 5000 },
    );
    assert.equal(decodeText(Buffer.from(gbk)).encoding, 'gb18030');
    // A U+FFFD written in the text counts as a replacement character too.
    const written = Buffer.concat([Buffer.from('\ufffd' + '政'.repeat(30)), Buffer.from([0x80])]);
    assert.deepEqual(decodeText(written), byCount(written));
    assert.equal(decodeText(written).encoding, 'gb18030');
  });

  test('damaged UTF-8 with a NUL is refused as binary, as looksBinary says', () => {
    const b = Buffer.concat([Buffer.from('政府信息公开'.repeat(10)), Buffer.from([0x00, 0xff, 0x41])]);
    assert.equal(looksBinary(b), true);
    assert.throws(() => decodeTextFile(b, 'x.txt'), (e: { code?: string }) => e.code === 'unreadable');
  });
});

describe('looksBinary', () => {
  // The definition: a NUL (outside UTF-16) or more than 2 % C0 control bytes in the first 64 KiB.
  const byLoop = (bytes: Uint8Array): boolean => {
    const n = Math.min(bytes.length, 65536);
    if (n === 0) return false;
    let control = 0;
    for (let i = 0; i < n; i++) {
      const b = bytes[i];
      if (b === 0) return !(bytes[0] === 0xff || bytes[0] === 0xfe);
      if (b < 0x09 || (b > 0x0d && b < 0x20 && b !== 0x1b)) control++;
    }
    return control / n > 0.02;
  };
  test('equals the byte-loop definition', () => {
    const byteArb = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0x20, max: 0x7e }), fc.constantFrom(0x09, 0x0a, 0x0d, 0x1b, 0x01, 0x1f, 0xfe, 0xff, 0xe6));
    fc.assert(
      fc.property(fc.array(byteArb, { maxLength: 300 }), fc.nat(20), (arr, skip) => {
        const buf = Buffer.from(arr);
        assert.equal(looksBinary(buf), byLoop(buf));
        const sub = buf.subarray(Math.min(skip, buf.length)); // a view with an offset
        assert.equal(looksBinary(sub), byLoop(sub));
      }),
      { numRuns: 5000 },
    );
  });
  test('decodeTextFile refuses exactly what looksBinary calls binary, and decodes the rest as decodeText', () => {
    // Valid UTF-8 up to 64 KiB is judged on its decoded text; everything else on its bytes.
    // Text with a few control characters (a lone NUL among them) at random places; dense ones
    // come from the random bytes.
    const plainArb = fc.array(fc.oneof({ arbitrary: fc.constantFrom('政', '府', 'a', '1', '\t', '\n', '\r', '\u001b', '\ufeff', '😀'), weight: 9 }, fc.string({ maxLength: 3 })), { minLength: 60, maxLength: 300 });
    const controlsArb = fc.array(fc.tuple(fc.nat(), fc.constantFrom('\u0000', '\u0001', '\u001f', '\u0008', '\u000e')), { maxLength: 6 });
    const utf8Arb = fc.tuple(plainArb, controlsArb).map(([chars, controls]) => {
      const a = chars.slice();
      for (const [at, c] of controls) a.splice(at % (a.length + 1), 0, c);
      return Buffer.from(a.join(''), 'utf8');
    });
    const bytesArb = fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 300 }).map((a) => Buffer.from(a));
    fc.assert(
      fc.property(fc.oneof(utf8Arb, bytesArb, damagedArb), (buf) => {
        let refused = false;
        let got: string | undefined;
        try {
          got = decodeTextFile(buf, 'x.txt').text;
        } catch (e) {
          refused = (e as { code?: string }).code === 'unreadable';
          assert.ok(refused, String(e));
        }
        assert.equal(refused, looksBinary(buf));
        if (!refused) assert.equal(got, decodeText(buf).text);
      }),
      { numRuns: 3000 },
    );
  });
  test('only the first 64 KiB count', () => {
    const b = Buffer.alloc(70000, 0x41);
    b.fill(0x01, 65536);
    assert.equal(looksBinary(b), false);
    b[65535] = 0;
    assert.equal(looksBinary(b), true);
  });
});
