// Writers that print a canonical report as plain text the way real copies look (spec §8 and
// ../shared/corpus/seeds/*/source.txt): one cell per paragraph (A), ` | ` pipe rows padded to
// the grid width (B), tab-indented cells with a blank line between rows (C), `pdftotext
// -layout` column-aligned lines (D), tab-separated rows as browsers copy them (E), Markdown
// tables (F), LibreOffice's text export of a document with tables (G). Every writer prints the
// title, a 发布日期 line, the six statutory headings with their text and the three tables in the
// official row order with the template's labels.
// Every value cell is written explicitly (0 included): no blank is dropped; G also writes null
// cells, as empty ones.
import type { Report } from '../src/model/report.js';
import {
  SECTIONS,
  TABLE2,
  TABLE3_COLUMN_LABELS,
  TABLE3_COLUMNS,
  TABLE4_COLUMN_LABELS,
  TABLE4_COLUMNS,
  TABLE4_GROUPS,
  table3Rows,
  type Table2FieldDef,
  type TemplateId,
} from '../src/model/template.js';

// ---------------------------------------------------------------- the tables as rows of cells

export interface TRow {
  cells: string[];
  /** Cells of this grid row covered by a rowspan from above (left out of `cells`). */
  covered: number;
  /** The row holds the table's values (as opposed to headings and header rows). */
  values: boolean;
}

export interface TableModel {
  name: 'table2' | 'table3' | 'table4';
  /** Grid width in columns. */
  width: number;
  rows: TRow[];
}

/** `blank`: how the layout writes an empty cell; the layouts without one write every cell explicitly. */
export function fmtValue(v: number | null, kind: Table2FieldDef['kind'] = 'count', blank?: string): string {
  if (v === null) {
    if (blank !== undefined) return blank;
    throw new Error('the layouts write every cell explicitly; a null cell cannot be written');
  }
  if (kind === 'signed' && v > 0) return `+${v}`;
  return String(v);
}

const BLOCK_TITLES: Record<string, string> = { '（一）': '第二十条第（一）项', '（五）': '第二十条第（五）项', '（六）': '第二十条第（六）项', '（八）': '第二十条第（八）项', '（九）': '第二十条第（九）项' };

/** Header label of a table-2 field as printed (the 2019 procurement amount names its unit). */
function fieldHeader(f: Table2FieldDef, t: TemplateId): string {
  if (t === '2019' && f.kind === 'money') return `${f.label.zh}（单位：万元）`;
  return f.label.zh;
}

export function table2Model(r: Report, blank?: string): TableModel {
  const t = r.template;
  const rows: TRow[] = [];
  let block = '';
  for (const def of TABLE2[t]) {
    if (def.block !== block) {
      block = def.block;
      rows.push({ cells: [BLOCK_TITLES[block] ?? `第二十条第${block}项`], covered: 0, values: false });
      rows.push({ cells: ['信息内容', ...def.fields.map((f) => fieldHeader(f, t))], covered: 0, values: false });
    }
    rows.push({ cells: [def.label.zh, ...def.fields.map((f) => fmtValue(r.table2[def.key][f.key], f.kind, blank))], covered: 0, values: true });
  }
  return { name: 'table2', width: 4, rows };
}

export const T3_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';
const PARTIAL_NOTE = '（区分处理的，只计这一情形，不计其他情形）';

/** The printed labels of the table-3 rows of a template: an optional block label, then the row label. */
export function table3Labels(t: TemplateId): { key: string; head?: string; block?: string; label: string }[] {
  return table3Rows(t).map((def) => {
    if (def.key === 'other.other') return t === '2021' ? { key: def.key, label: '3.其他' } : { key: def.key, label: '（六）其他处理' };
    const parts = def.label.zh.split(' ');
    let out: { key: string; head?: string; block?: string; label: string } = parts.length === 2 ? { key: def.key, block: parts[0], label: parts[1] } : { key: def.key, label: parts[0] };
    if (def.key === 'partiallyGranted') out.label += PARTIAL_NOTE;
    if (def.key === 'granted') out = { ...out, head: '三、本年度办理结果' };
    return out;
  });
}

export function table3Model(r: Report, blank?: string): TableModel {
  const t = r.template;
  const L = (c: (typeof TABLE3_COLUMNS)[number]) => TABLE3_COLUMN_LABELS[c].zh;
  const rows: TRow[] = [
    { cells: [T3_NOTE, '申请人情况'], covered: 0, values: false },
    { cells: [L('naturalPerson'), '法人或其他组织', L('total')], covered: 1, values: false },
    { cells: ['commercial', 'research', 'social', 'legal', 'otherOrg'].map((c) => L(c as 'commercial')), covered: 3, values: false },
  ];
  const inResults = (key: string) => !['newReceived', 'carriedOver', 'carriedForward'].includes(key);
  for (const lab of table3Labels(t)) {
    const vals = TABLE3_COLUMNS.map((c) => fmtValue(r.table3[lab.key][c], 'count', blank));
    const labels = [lab.head, lab.block, lab.label].filter((x): x is string => !!x);
    // Cells covered by the rowspans of 三、本年度办理结果 and of a block label (（三）不予公开 …).
    const covered = inResults(lab.key) ? 3 - labels.length : 0;
    rows.push({ cells: [...labels, ...vals], covered, values: true });
  }
  return { name: 'table3', width: 10, rows };
}

export function table4Model(r: Report, blank?: string): TableModel {
  const five = TABLE4_COLUMNS.map((c) => TABLE4_COLUMN_LABELS[c].zh);
  return {
    name: 'table4',
    width: 15,
    rows: [
      { cells: ['行政复议', '行政诉讼'], covered: 0, values: false },
      { cells: [...five, '未经复议直接起诉', '复议后起诉'], covered: 0, values: false },
      { cells: [...five, ...five], covered: 5, values: false },
      { cells: TABLE4_GROUPS.flatMap((g) => TABLE4_COLUMNS.map((c) => fmtValue(r.table4[g][c], 'count', blank))), covered: 0, values: true },
    ],
  };
}

// ---------------------------------------------------------------- the document as parts

type Part = { kind: 'title'; text: string } | { kind: 'date'; text: string } | { kind: 'heading'; text: string } | { kind: 'text'; text: string } | { kind: 'table'; table: TableModel };

export function parts(r: Report, opts: { dateStyle?: 'iso' | 'zh'; blank?: string } = {}): Part[] {
  const out: Part[] = [];
  out.push({ kind: 'title', text: r.title ?? '' });
  if (r.publishedAt) {
    const [y, m, d] = r.publishedAt.split('-');
    out.push({ kind: 'date', text: opts.dateStyle === 'zh' ? `发布日期：${y}年${Number(m)}月${Number(d)}日` : `发布日期：${r.publishedAt}` });
  }
  for (const s of SECTIONS) {
    out.push({ kind: 'heading', text: r.sectionTitles[s.key] ?? s.title.zh });
    for (const line of (r.sections[s.key] ?? '').split('\n').filter(Boolean)) out.push({ kind: 'text', text: line });
    if (s.key === 'proactive') out.push({ kind: 'table', table: table2Model(r, opts.blank) });
    if (s.key === 'requests') out.push({ kind: 'table', table: table3Model(r, opts.blank) });
    if (s.key === 'reviewLitigation') out.push({ kind: 'table', table: table4Model(r, opts.blank) });
  }
  return out;
}

// ---------------------------------------------------------------- A. one cell per paragraph

const NBSP = '\u00a0';
// In-cell line breaks become paragraph breaks (seed 000).
const SPLIT_A: Record<string, string> = { 第二十条第: '第二十条\n\n第', 社会公益组织: '社会公\n\n益组织', 法律服务机构: '法律服\n\n务机构', 结果维持: '结果\n\n维持', 尚未审结: '尚未\n\n审结' };

function splitCellA(c: string): string {
  for (const [k, v] of Object.entries(SPLIT_A)) if (c.startsWith(k)) return v + c.slice(k.length);
  return c;
}

export function writeA(r: Report): string {
  const paras: string[] = [];
  for (const p of parts(r)) {
    if (p.kind !== 'table') {
      paras.push(p.kind === 'heading' && p.text.startsWith('二') ? `${NBSP}${NBSP}  ${p.text}` : p.text);
      if (p.kind === 'title') paras.push(NBSP);
      continue;
    }
    for (const row of p.table.rows) {
      for (const c of row.cells) paras.push(row.values ? c : splitCellA(c));
      // Stray empty cells (a paragraph holding one NBSP) after some rows, as in seed 000.
      if (p.table.name === 'table3' && row.values && /二、上年结转/.test(row.cells[0])) paras.push(NBSP, NBSP, NBSP, NBSP, NBSP);
      if (p.table.name === 'table3' && row.values && /部分公开/.test(row.cells[0])) paras.push(NBSP, NBSP, NBSP);
    }
  }
  return paras.join('\n\n') + '\n';
}

// ---------------------------------------------------------------- B. pipe rows

function pipeRow(cells: string[], width: number, pad: boolean): string {
  const missing = width - cells.length;
  return cells.join(' | ') + ' |' + (pad && missing > 0 ? ' ' + '|'.repeat(missing) : '');
}

export function writeB(r: Report): string {
  const lines: string[] = [];
  for (const p of parts(r)) {
    if (p.kind !== 'table') {
      lines.push(p.text);
      continue;
    }
    const rows = p.table.rows;
    rows.forEach((row, i) => {
      // The last row of tables 2 and 3 is not padded (seed 001); in-cell breaks become spaces.
      const last = i === rows.length - 1 && p.table.name !== 'table4';
      const cells = row.values ? row.cells : row.cells.map((c) => c.replace(/^(结果|尚未|其他)(.+)$/, '$1 $2'));
      lines.push(pipeRow(cells, p.table.width, !last));
    });
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- C. tab-indented cells

// In-cell line breaks continue on a line without the TAB (seed 003).
const SPLIT_C: Record<string, string> = { 商业企业: '商业\n企业', 科研机构: '科研\n机构' };

export function writeC(r: Report): string {
  const out: string[] = [];
  for (const p of parts(r)) {
    if (p.kind !== 'table') {
      out.push(p.text + '\n');
      continue;
    }
    const rows = p.table.rows.map((row) => {
      const cells = [...Array(row.covered).fill(''), ...row.cells.map((c) => SPLIT_C[c] ?? c)];
      return cells.map((c) => `\t${c}\n`).join('');
    });
    out.push(rows.join('\n') + '\n\n');
  }
  return out.join('');
}

// ---------------------------------------------------------------- D. pdftotext -layout

/** Display width: CJK and full-width characters take two columns. */
function dw(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u201c\u201d]/.test(ch) ? 2 : 1;
  return w;
}
const padTo = (s: string, w: number) => s + ' '.repeat(Math.max(1, w - dw(s)));
const lpad = (s: string, w: number) => ' '.repeat(Math.max(1, w - dw(s))) + s;

/** Space out digits from CJK text the way pdftotext does ("2023 年"). */
function spaced(s: string): string {
  return s.replace(/(\d+)/g, ' $1 ').replace(/ +/g, ' ').trim();
}

/** A stray space inside a wrapped label, as pdftotext leaves them ("只计这一情 形"). */
function spacedAt(s: string, at: number): string {
  return at > 0 && at < s.length ? `${s.slice(0, at)} ${s.slice(at)}` : s;
}

function wrap(s: string, width: number): string[] {
  const out: string[] = [];
  let cur = '';
  for (const ch of s) {
    cur += ch;
    if (dw(cur) >= width) {
      out.push(cur);
      cur = '';
    }
  }
  if (cur) out.push(cur);
  return out;
}

export interface DOptions {
  /** Wrap table-3 labels longer than 24 characters over two lines, values on a third (default true). */
  wrapLabels?: boolean;
}

export function writeD(r: Report, opts: DOptions = {}): string {
  const wrapLabels = opts.wrapLabels ?? true;
  const lines: string[] = [];
  let page = 1;
  const footer = () => lines.push('', ' '.repeat(43) + `-${page++}-`);
  for (const p of parts(r, { dateStyle: 'zh' })) {
    if (p.kind === 'title') lines.push(' '.repeat(6) + spaced(p.text), '');
    else if (p.kind === 'date') lines.push('   ' + spaced(p.text), '');
    else if (p.kind === 'heading') lines.push('   ' + p.text);
    else if (p.kind === 'text') {
      wrap('   ' + spaced(p.text), 62).forEach((l, i) => lines.push(i === 0 ? l : l.trimStart()));
      if (p.text.startsWith(r.agency ?? '\u0000')) footer();
    } else {
      const t = p.table;
      if (t.name === 'table2') {
        for (const row of t.rows) {
          if (row.cells.length === 1) lines.push('', ' '.repeat(14) + row.cells[0], '', '');
          else if (!row.values) lines.push(' '.repeat(7) + row.cells.map((c) => padTo(c, 16)).join('  ').trimEnd(), '', '');
          else lines.push(padTo(row.cells[0], 20) + row.cells.slice(1).map((c) => lpad(c, 12)).join(''), '');
        }
      } else if (t.name === 'table3') {
        lines.push(' '.repeat(62) + '申请人情况', '', ' '.repeat(57) + '法人或其他组织');
        lines.push(T3_NOTE.slice(0, 22), T3_NOTE.slice(22));
        lines.push(' '.repeat(45) + ['自然人', ...['commercial', 'research', 'social', 'legal', 'otherOrg', 'total'].map((c) => TABLE3_COLUMN_LABELS[c as 'total'].zh)].join('  '), '');
        // Rowspan labels (三、本年度办理结果, （三）不予公开 …) are printed vertically centred, on a
        // line of their own in the middle of their block; long labels wrap and the values
        // follow on a line of their own (as in the pdftotext renderings of the corpus).
        const valueLine = (label: string, vals: string[]) => padTo(label, 56) + vals.map((v, i) => (i === 0 ? lpad(v, 4) : lpad(v, 7))).join('');
        const labs = table3Labels(r.template);
        const blockRows = new Map<string, number>();
        for (const l of labs) if (l.block) blockRows.set(l.block, 0);
        let curBlock = '';
        for (const l of labs) {
          if (l.block) curBlock = l.block;
          else if (!/^\d/.test(l.label)) curBlock = '';
          if (curBlock) blockRows.set(curBlock, blockRows.get(curBlock)! + 1);
        }
        let n = 0;
        let inBlock = '';
        let blockIndex = 0;
        labs.forEach((l, i) => {
          const vals = TABLE3_COLUMNS.map((c) => fmtValue(r.table3[l.key][c]));
          if (l.block) {
            inBlock = l.block;
            blockIndex = 0;
          } else if (!/^\d/.test(l.label)) inBlock = '';
          const indent = ['newReceived', 'carriedOver', 'carriedForward'].includes(l.key) ? '' : /^\d/.test(l.label) ? ' '.repeat(18) : ' '.repeat(10);
          if (wrapLabels && l.label.length > 24) {
            const cut = l.label.length > 30 ? 14 : 16;
            lines.push(indent + spacedAt(l.label.slice(0, cut), cut - 3), indent + '    ' + l.label.slice(cut), valueLine('', vals));
          } else lines.push(valueLine(indent + l.label, vals));
          if (inBlock) {
            blockIndex++;
            if (blockIndex === Math.ceil(blockRows.get(inBlock)! / 2)) lines.push(' '.repeat(10) + inBlock);
          }
          if (l.key === 'denied.stateSecret') lines.push(' 三 、本 年 度办 理 结果', '', '');
          if (++n === 12) footer();
          void i;
        });
        lines.push('', '');
      } else {
        lines.push(' '.repeat(10) + '行政复议' + ' '.repeat(30) + '行政诉讼', '');
        lines.push(' '.repeat(30) + '未经复议直接起诉' + ' '.repeat(18) + '复议后起诉', '');
        const five = TABLE4_COLUMNS.map((c) => TABLE4_COLUMN_LABELS[c].zh);
        lines.push([...five, ...five, ...five].join(' '), '', '');
        lines.push(t.rows[3].cells.map((v) => lpad(v, 5)).join(' '), '');
      }
    }
  }
  footer();
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- E. tab-separated rows

export function writeE(r: Report): string {
  const lines: string[] = [];
  for (const p of parts(r)) {
    if (p.kind !== 'table') {
      lines.push(p.text, '');
      continue;
    }
    for (const row of p.table.rows) lines.push(row.cells.join('\t'));
    lines.push('');
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- F. Markdown tables

export function writeF(r: Report): string {
  const lines: string[] = [];
  for (const p of parts(r)) {
    if (p.kind === 'title') lines.push(`# ${p.text}`, '');
    else if (p.kind === 'date') lines.push(p.text, '');
    else if (p.kind === 'heading') lines.push(`## ${p.text}`, '');
    else if (p.kind === 'text') lines.push(p.text, '');
    else {
      const w = p.table.width;
      p.table.rows.forEach((row, i) => {
        const cells = [...row.cells, ...Array(w - row.cells.length).fill('')];
        lines.push(`| ${cells.join(' | ')} |`);
        if (i === 0) lines.push(`|${Array(w).fill(' --- ').join('|')}|`);
      });
      lines.push('');
    }
  }
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------- G. LibreOffice's text export

/**
 * A Word or LibreOffice document saved as text by LibreOffice ("Text (encoded)"): a line per
 * paragraph and per table cell, nothing between them; an empty cell holding a no-break space (a
 * document made from a web page) is a line of that space; before a row, an empty line per cell of
 * it that a merged cell above covers (../shared/corpus/real/sh-office-2019 exported so). The one
 * layout that writes empty cells: a report's null cells are written as such lines, or, with
 * `blank` '', as empty lines (a document whose empty cells hold nothing).
 */
export function writeG(r: Report, blank = NBSP): string {
  const lines: string[] = [];
  for (const p of parts(r, { blank })) {
    if (p.kind !== 'table') {
      lines.push(p.text);
      continue;
    }
    for (const row of p.table.rows) lines.push(...Array<string>(row.covered).fill(''), ...row.cells);
  }
  return lines.join('\n') + '\n';
}

export const LAYOUTS = { A: writeA, B: writeB, C: writeC, D: (r: Report) => writeD(r), E: writeE, F: writeF, G: writeG } as const;
export type LayoutName = keyof typeof LAYOUTS;
