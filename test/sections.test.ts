// findHeadings searches each part's core phrase first and starts its heading patterns just
// before it (src/recognize/sections.ts, numberedFloor). This property holds it to the plain
// search from the previous heading, written out here as it was before that shortcut.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { findHeadings, type Heading } from '../src/recognize/sections.js';
import { buildStream } from '../src/recognize/stream.js';
import { readText } from '../src/read/text.js';
import { SECTIONS, type SectionKey } from '../src/model/template.js';

const NUMERAL = '[一二三四五六七八九十]{1,2}';

function lineStartAt(text: string, off: number): boolean {
  for (let i = off - 1; i >= 0; i--) {
    if (text[i] === '\n') return true;
    if (!/[\s#*>•·]/.test(text[i])) return false;
  }
  return true;
}
const clean = (t: string) => t.replace(/^#+\s*/, '').replace(/\s+/g, ' ').trim();

/** The search from `from` with no shortcut. */
function plainFindOne(text: string, key: SectionKey, numeral: string, core: RegExp, from: number): Heading | null {
  const numbered = new RegExp(`(${NUMERAL})\\s*[、.．]\\s*([^\\n]{0,40}?)(${core.source})([^\\n]{0,16})`, 'g');
  const bare = new RegExp(`(?:^|\\n)[ \\t#]*((?:行政机关|政府信息公开工作|因政府信息公开工作被申请|政府信息公开)?[^\\n(（]{0,6}?(?:${core.source})[^\\n]{0,10})(?=\\n|$)`, 'g');
  numbered.lastIndex = from;
  let m: RegExpExecArray | null;
  let midLine: Heading | null = null;
  while ((m = numbered.exec(text))) {
    const start = m.index;
    if (!(m[2].length <= 20 && !/[。；，,\d]/.test(m[2].replace(/\d{4}\s*年度?/, '')))) {
      numbered.lastIndex = m.index + 1;
      continue;
    }
    if (lineStartAt(text, start)) {
      const lineEnd = text.indexOf('\n', start);
      const title = text.slice(start, lineEnd < 0 ? text.length : lineEnd).trim();
      if (title.length <= 60) return { key, title: clean(title), start: text.lastIndexOf('\n', start - 1) + 1, end: lineEnd < 0 ? text.length : lineEnd };
    }
    if (!midLine && m[1] === numeral) {
      const coreEnd = m.index + m[0].indexOf(m[3]) + m[3].length;
      midLine = { key, title: clean(text.slice(start, coreEnd)), start, end: coreEnd };
    }
  }
  bare.lastIndex = from;
  const b = bare.exec(text);
  if (b) {
    const start = b.index + (b[0].startsWith('\n') ? 1 : 0);
    const h: Heading = { key, title: clean(b[1].trim()), start, end: b.index + b[0].length };
    if (!midLine || h.start < midLine.start) return h;
  }
  return midLine;
}

function plainStatutory(text: string): Heading[] {
  const out: Heading[] = [];
  let pos = 0;
  for (const def of SECTIONS) {
    const h = plainFindOne(text, def.key, def.numeral, def.core, pos);
    if (h) {
      out.push(h);
      pos = h.end;
    }
  }
  return out;
}

// Pieces of heading lines in every arrangement: numerals, separators, white space and line
// breaks between them, prose prefixes up to past 40 characters, the core phrases, sentences, and
// the prefixes a heading without numeral may have (the bare pattern's, up to 18 characters).
const PIECES = ['一', '二', '三', '四', '五', '六', '十', '、', '.', '．', ' ', '\n', '\n\n', '\t', '#', '2023年度', '本机关', '。', '，', '1', '我局认真贯彻落实条例要求', '（', '行政机关', '因政府信息公开工作被申请', '政府信息公开', '本年度', 'ab', ...SECTIONS.flatMap((d) => d.title.zh.replace(/^.、/, '')), '总体情况', '政务公开活动工作情况', '行政复议、行政诉讼情况', '存在的主要问题'];
const textArb = fc.array(fc.constantFrom(...PIECES), { minLength: 20, maxLength: 120 }).map((a) => a.join(''));

describe('findHeadings', () => {
  test('finds the statutory headings the plain search from the previous heading finds', () => {
    fc.assert(
      fc.property(textArb, (text) => {
        // The stream's text: the document's lines, each ending in "\n", white space normalised.
        const s = buildStream(readText(text));
        assert.deepEqual(findHeadings(s).filter((h) => h.key !== 'extra'), plainStatutory(s.text));
      }),
      { numRuns: 5000 },
    );
  });
  test('a heading without numeral after a long run of "#", tabs and spaces, and the longest prefix', () => {
    for (const lead of ['#'.repeat(20), ' \t'.repeat(12), '## \t #'.repeat(4)]) {
      const text = `前言\n${lead}因政府信息公开工作被申请行政复议、行政诉讼情况\n正文`;
      const s = buildStream(readText(text));
      assert.deepEqual(findHeadings(s), plainStatutory(s.text), JSON.stringify(lead));
      assert.deepEqual(findHeadings(s).map((h) => h.key), ['reviewLitigation']);
    }
  });
  test('a numeral separated from its heading by blank lines and a 40-character prefix', () => {
    const prefix = '关于'.repeat(10);
    const text = `前言\n二、\n\n  ${prefix}主动公开政府信息情况\n正文`;
    const s = buildStream(readText(text));
    assert.deepEqual(findHeadings(s).map((h) => h.key), plainStatutory(s.text).map((h) => h.key));
    assert.deepEqual(findHeadings(s).map((h) => h.key), ['proactive']);
  });
});
