// cleanBody (src/recognize/index.ts): section text with each line trimmed and empty lines
// dropped. Held to that definition over strings of every kind of white space.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { cleanBody } from '../src/recognize/index.js';

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
