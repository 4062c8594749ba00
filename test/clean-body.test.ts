// cleanBody (src/recognize/index.ts): section text with each line trimmed and empty lines
// dropped. Held to that definition over strings of every kind of white space.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cleanBody, cleanRanges, keptRanges } from '../src/recognize/index.js';

const byLines = (t: string) => t.split('\n').map((l) => l.trim()).filter((l) => l !== '').join('\n').trim();

test('cleanBody equals trimming every line and dropping empty ones', () => {
  const pool = [...'ab政。 \t\n\r\u00a0\u3000\u2028\u2029\ufeff\u000b'];
  fc.assert(
    fc.property(fc.array(fc.constantFrom(...pool), { maxLength: 40 }), (chars) => {
      const t = chars.join('');
      assert.equal(cleanBody(t), byLines(t));
    }),
    { numRuns: 20_000 },
  );
});

test('a section body read from the text in place is cleanBody of the text without the table spans', () => {
  // The spans may start and end mid-line, overlap, touch, and reach past the section.
  const pool = [...'ab政。 \t\n\n\u00a0\u3000'];
  fc.assert(
    fc.property(
      fc.array(fc.constantFrom(...pool), { maxLength: 60 }).map((a) => a.join('')),
      fc.array(fc.tuple(fc.nat(), fc.nat(12)), { maxLength: 4 }),
      fc.nat(),
      fc.nat(),
      (text, raw, x, y) => {
        const a = x % (text.length + 1);
        const b = a + (y % (text.length - a + 1));
        const spans = raw.map(([s, len]): [number, number] => [s % (text.length + 1), Math.min(text.length, (s % (text.length + 1)) + len)]).sort((p, q) => p[0] - q[0]);
        // The definition: the kept text joined, then cleaned.
        let joined = '';
        let pos = a;
        for (const [s, e] of spans) {
          if (e <= pos || s >= b) continue;
          if (s > pos) joined += text.slice(pos, s);
          pos = Math.max(pos, e);
        }
        if (pos < b) joined += text.slice(pos, b);
        assert.equal(cleanRanges(text, keptRanges(a, b, spans)), cleanBody(joined));
      },
    ),
    { numRuns: 20_000 },
  );
});
