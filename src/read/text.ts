// Plain text → Document. Rebuilds table rows from the serialisations seen in the wild
// (spec §8): `|` rows and Markdown tables, tab-separated rows (browser copies), tab-indented
// cells with a blank line between rows (Word exports), cells separated by lone tab lines
// (Chromium's innerText). Everything else — one cell per line, column-aligned `pdftotext
// -layout` lines, crawler text with cells run together — stays as paragraphs: the recogniser
// reads the values that follow each row label, wherever the line breaks fall.
import type { Block, Cell, Document } from './document.js';
import { isSpaceCode } from './chars.js';

const PIPE_SEPARATOR_ROW = /^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$/;

/** `lines`: text.split('\n'), when the caller already made it (text without CR). */
export function readText(text: string, lines = (text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text).split('\n')): Document {
  const items: Item[] = [];
  let hasSep = false;
  let i = 0;
  while (i < lines.length) {
    const raw = lines[i];
    const lineNo = i + 1;
    // A line whose first character is not white space is not blank: no trimmed copy to test.
    if (raw.length === 0 || (isSpaceCode(raw.charCodeAt(0)) && raw.trim() === '' && !/[\u00a0\u3000\t]/.test(raw))) {
      items.push(raw.length > 0 ? GAP_SPACES : GAP_EMPTY);
      i++;
      continue;
    }
    if (raw.startsWith('\t')) {
      // A group of tab-started cell lines up to the next empty line (layout C), or a lone
      // tab line between empty lines (Chromium's cell separator).
      const start = i;
      const cells: Cell[] = [];
      while (i < lines.length && lines[i].trim() !== '' || (i < lines.length && lines[i].startsWith('\t'))) {
        const l = lines[i];
        if (l.startsWith('\t')) cells.push({ text: l.slice(1), place: { line: i + 1, column: 2 } });
        else if (cells.length) cells[cells.length - 1].text += l.trim(); // in-cell line break
        i++;
      }
      const prevGap = start === 0 || lines[start - 1].trim() === '';
      if (cells.length === 1 && cells[0].text.trim() === '' && prevGap) {
        // "\t\u00a0\t\u00a0\t": separators with empty cells between them on one line.
        // A line that does not end in a tab closes the row.
        items.push({ kind: 'sep', line: start + 1, blanks: filledAfterFirstTab(lines[start]), closes: !lines[start].endsWith('\t') });
        hasSep = true;
      }
      else items.push({ kind: 'row', cells, place: { line: start + 1 }, blanksReliable: true });
      continue;
    }
    const bar = raw.indexOf('|');
    if (bar >= 0 && raw.indexOf('|', bar + 1) > 0) {
      if (!PIPE_SEPARATOR_ROW.test(raw)) items.push(splitRow(raw, '|', lineNo));
      i++;
      continue;
    }
    if (raw.includes('\t') && /\S\t+\S/.test(raw)) {
      items.push(splitRow(raw, '\t', lineNo));
      i++;
      continue;
    }
    const text = raw.trimEnd();
    // White space only, holding a no-break or ideographic space (the test above let it through)
    // and no tab.
    if (text === '' && !raw.includes('\t')) items.push({ kind: 'para', text, place: { line: lineNo, column: 1 }, emptyCell: true });
    else items.push({ kind: 'para', text, place: { line: lineNo, column: 1 } });
    i++;
  }
  // Without separator lines nothing chains: the blocks are the items other than gaps.
  const blocks = hasSep ? chainSeparated(items) : (items.filter((it) => it.kind !== 'gap') as Block[]);
  return { format: 'text', blocks };
}

/**
 * How many of the line's tab-separated pieces after its first tab are not empty
 * (line.split('\t').slice(1).filter((x) => x !== '').length, without the copies).
 */
export function filledAfterFirstTab(line: string): number {
  let n = 0;
  let tab = line.indexOf('\t');
  while (tab >= 0) {
    const next = line.indexOf('\t', tab + 1);
    const end = next < 0 ? line.length : next;
    if (end > tab + 1) n++;
    tab = next;
  }
  return n;
}

function splitRow(raw: string, sep: string, line: number): Block {
  const parts = raw.split(sep);
  const cells: Cell[] = [];
  let col = 1;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    // Text-mode table renderers (html2text, w3m) pad cells with "_" and draw rules with "-"/"─".
    const text = padded(p) ? stripPad(p) : p;
    // "| a | b |" and a trailing tab have empty edges that are no cells. A first or last tab cell
    // holding white space is one: Chromium's innerText writes an empty cell as "\u00a0" (" " once
    // saved as GBK), and dropping it shifts the row or lets it take its last value from the next
    // line (a page number).
    const edge = (k === 0 || k === parts.length - 1) && text === '' && !(sep === '\t' && p !== '');
    if (!edge) cells.push({ text, place: { line, column: col + leadingSpace(p) } });
    col += p.length + sep.length;
  }
  return { kind: 'row', cells, place: { line, column: 1 }, blanksReliable: true };
}

/** How many white-space code units open `p` (p.length - p.trimStart().length, without the copy). */
function leadingSpace(p: string): number {
  let i = 0;
  while (i < p.length && isSpaceCode(p.charCodeAt(i))) i++;
  return i;
}

/**
 * The cell without its leading and trailing padding runs, except a run of "-" (minus signs
 * or a dash placeholder) in a cell holding a digit; then trimmed. The same as
 * p.replace(/^[\s_─━═-]+|[\s_─━═-]+$/g, (m) => (/^-+$/.test(m.trim()) && /\d/.test(p) ? m : '')).trim()
 * (test/read-text.test.ts checks it), without a RegExp pass and callback per cell.
 */
export function stripPad(p: string): string {
  let a = 0;
  let dash = false;
  for (; a < p.length; a++) {
    const c = p.charCodeAt(a);
    if (!isPad(c)) break;
    if (c === 0x2d) dash = true;
  }
  // Padding only: no digit, so no run is kept.
  if (a === p.length) return '';
  let b = p.length;
  for (; b > a; b--) {
    const c = p.charCodeAt(b - 1);
    if (!isPad(c)) break;
    if (c === 0x2d) dash = true;
  }
  // Runs without a "-" are never kept (the most cells: white space or "_" around a value), and
  // the text between them starts and ends with no white space: nothing is left to trim.
  if (!dash) return p.slice(a, b);
  const digit = /\d/.test(p);
  const keep = (m: string) => (digit && /^-+$/.test(m.trim()) ? m : '');
  const lead = a > 0 ? keep(p.slice(0, a)) : '';
  const trail = b < p.length ? keep(p.slice(b)) : '';
  return (lead + p.slice(a, b) + trail).trim();
}

function isPad(c: number): boolean {
  return c === 0x5f || c === 0x2d || c === 0x2500 || c === 0x2501 || c === 0x2550 || isSpaceCode(c);
}


/** The cell starts or ends with padding or white space (the class [\s_─━═-]; most cells do not: no work then). */
function padded(p: string): boolean {
  return p.length > 0 && (isPad(p.charCodeAt(0)) || isPad(p.charCodeAt(p.length - 1)));
}

type Item = Block | { kind: 'sep'; line: number; blanks: number; closes: boolean } | { readonly kind: 'gap'; readonly spaces?: boolean };
// An empty line, and a line of plain spaces: the same two items for every such line (never changed).
const GAP_EMPTY: Item = { kind: 'gap', spaces: false };
const GAP_SPACES: Item = { kind: 'gap', spaces: true };

/** items[from, to) holds a line of plain spaces. */
function spacesGapBetween(items: Item[], from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const g = items[k];
    if (g.kind === 'gap' && g.spaces) return true;
  }
  return false;
}

/** Paragraphs joined by lone-tab separator lines form one table row (Chromium innerText). */
function chainSeparated(items: Item[]): Block[] {
  const out: Block[] = [];
  let k = 0;
  const nextSolid = (from: number): number => {
    let j = from;
    while (j < items.length && items[j].kind === 'gap') j++;
    return j;
  };
  while (k < items.length) {
    const it = items[k];
    if (it.kind === 'gap') {
      k++;
      continue;
    }
    // A row starts at a paragraph followed by a separator, or at a separator with no paragraph
    // before it: its first cell was empty. Three or more empty lines between a cell and the
    // next separator end the row (a cell's text and its separators are one empty line apart;
    // rows are further apart), and that separator opens the next row with an empty cell.
    const first = it.kind === 'para' ? nextSolid(k + 1) : k;
    if (first < items.length && items[first].kind === 'sep' && (it.kind === 'sep' || first - k - 1 < ROW_GAP)) {
      let j = first;
      const place = it.kind === 'para' ? it.place : { line: (it as { line: number }).line };
      const cells: Cell[] = [it.kind === 'para' ? { text: it.text, place } : { text: '', place }];
      let last = k;
      while (j < items.length && items[j].kind === 'sep') {
        const sep = items[j] as { line: number; blanks: number; closes: boolean };
        for (let b = 0; b < sep.blanks; b++) cells.push({ text: '', place: { line: sep.line } });
        const c = nextSolid(j + 1);
        if (sep.closes) {
          last = j;
          j = c;
          break;
        }
        const cell = items[c];
        if (spacesGapBetween(items, j + 1, c)) {
          // An empty cell whose no-break space became a plain space (the copy saved as GBK,
          // which has no U+00A0): still a cell after the separator. Only another separator
          // continues the row; a paragraph with none before it starts the next row.
          cells.push({ text: '', place: { line: sep.line + 1 } });
          last = j;
          j = c;
          if (c < items.length && cell.kind === 'sep') continue;
          break;
        }
        if (c < items.length && cell.kind === 'sep') {
          // Nothing but empty lines up to the next separator: an empty cell whose paragraph
          // was empty (<td><p></p></td>), not the end of the row.
          cells.push({ text: '', place: { line: sep.line + 1 } });
          last = j;
          j = c;
          continue;
        }
        if (c < items.length && cell.kind === 'para' && c - j - 1 >= ROW_GAP) {
          // The row's last cell was empty, and the row ended.
          cells.push({ text: '', place: { line: sep.line + 1 } });
          last = j;
          j = c;
          break;
        }
        if (c < items.length && cell.kind === 'para') {
          cells.push({ text: cell.text, place: cell.place });
          last = c;
          j = nextSolid(c + 1);
          if (j < items.length && items[j].kind === 'sep' && j - c - 1 >= ROW_GAP) break;
        } else {
          cells.push({ text: '', place: { line: (items[j] as { line: number }).line } });
          last = j;
          j = c;
          break;
        }
      }
      out.push({ kind: 'row', cells, place, blanksReliable: true });
      k = last + 1;
      continue;
    }
    // A paragraph outside any chain, or a row read already (a sep always starts a chain above).
    out.push(it as Block);
    k++;
  }
  return out;
}

// Empty lines between a cell and a separator that mean the row ended there (see chainSeparated).
const ROW_GAP = 3;
