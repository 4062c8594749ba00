// ToUnicode CMaps (§9.10.3): code → Unicode text, from bfchar and bfrange (both forms). Anything
// else in the stream that changes the mapping (usecmap, cidchar/cidrange) is refused.
import { Cmd, EOF, isCmd, Lexer, type Token } from './lexer.js';
import { unsupported } from './unsupported.js';

/** A bfrange wider than this is not a real font's mapping (pdfjs ignores them too). */
const MAX_RANGE = 1 << 16;
/** Codes one ToUnicode may map: a CJK font maps some tens of thousands. */
const MAX_CODES = 1 << 18;

/** UTF-16BE bytes → string; an odd length or a lone surrogate is not certain text. */
function utf16(b: Uint8Array): string {
  if (b.length % 2) unsupported('ToUnicode value of odd length');
  let s = '';
  for (let i = 0; i < b.length; i += 2) s += String.fromCharCode((b[i] << 8) | b[i + 1]);
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(s)) unsupported('ToUnicode value with a lone surrogate');
  return s;
}

function code(b: Token): number {
  if (!(b instanceof Uint8Array) || b.length < 1 || b.length > 4) unsupported('bad code in ToUnicode');
  let v = 0;
  for (const x of b) v = v * 256 + x;
  return v;
}

export function parseToUnicode(data: Uint8Array): Map<number, string> {
  const map = new Map<number, string>();
  const lx = new Lexer(data);
  for (let t = lx.next(); t !== EOF; t = lx.next()) {
    if (!(t instanceof Cmd)) continue;
    const c = t.cmd;
    if (c === 'usecmap' || c === 'begincidchar' || c === 'begincidrange' || c === 'beginnotdefrange' || c === 'beginnotdefchar') unsupported(`ToUnicode ${c}`);
    if (c === 'beginbfchar') {
      for (;;) {
        const src = lx.next();
        if (isCmd(src, 'endbfchar')) break;
        const dst = lx.next();
        if (dst instanceof Uint8Array) map.set(code(src), utf16(dst));
        else unsupported('bfchar to a non-string');
      }
    } else if (c === 'beginbfrange') {
      for (;;) {
        const lo = lx.next();
        if (isCmd(lo, 'endbfrange')) break;
        const hi = lx.next();
        const a = code(lo);
        const z = code(hi);
        if (z < a || z - a > MAX_RANGE) unsupported('bad bfrange');
        const dst = lx.next();
        if (dst instanceof Uint8Array) {
          // The last byte counts up, carrying into the one before (as pdfjs does).
          if (dst.length < 2 || dst.length % 2) unsupported('bfrange destination of odd length');
          const d = Uint8Array.from(dst);
          const n = d.length;
          for (let k = a; k <= z; k++) {
            map.set(k, utf16(d));
            if (d[n - 1] === 0xff) {
              d[n - 1] = 0;
              d[n - 2]++;
            } else d[n - 1]++;
          }
        } else if (isCmd(dst, '[')) {
          for (let k = a; ; k++) {
            const v = lx.next();
            if (isCmd(v, ']')) break;
            if (!(v instanceof Uint8Array)) unsupported('bfrange array entry is not a string');
            if (k <= z) map.set(k, utf16(v));
          }
        } else unsupported('bad bfrange destination');
        if (map.size > MAX_CODES) unsupported('ToUnicode too large');
      }
    }
  }
  return map;
}
