// Character classes as code-unit tests, for loops that look at each character of a text (one
// comparison instead of a RegExp per character).

/** The code units of the RegExp class \s (also what String.prototype.trim removes). */
export function isSpaceCode(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  // CJK text (above U+3000) is tested once, not against every white-space code below it.
  if (c > 0x3000) return c === 0xfeff;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** An ASCII digit 0-9 (the RegExp class \d). */
export function isDigitCode(c: number): boolean {
  return c >= 48 && c <= 57;
}
