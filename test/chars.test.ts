// isSpaceCode (src/read/chars.ts) stands in for the RegExp class \s in loops over code units.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isSpaceCode } from '../src/read/chars.js';

test('isSpaceCode is the RegExp class \\s, for every UTF-16 code unit', () => {
  for (let c = 0; c <= 0xffff; c++) assert.equal(isSpaceCode(c), /\s/.test(String.fromCharCode(c)), `U+${c.toString(16)}`);
});
