// DOCX (WordprocessingML) → Document, with our own walker over word/document.xml.
// Paragraphs become paras (runs joined; w:tab → tab, w:br → newline; automatic list
// numbering rendered as a prefix, since headings such as "一、总体情况" are often numbered
// by Word). Each w:tr becomes a row of its physical cells: a gridSpan cell is one cell,
// a vMerge continuation cell is left out. Rows whose cells hold nested tables are read as
// flowing content so the nested tables yield their own rows. Everything is iterative.
import { bomBytes, parseXmlBytes, parseXmlFast, type XmlFilter, type XNode } from './xml.js';
import { GongkaiError } from '../errors.js';
import type { Block, Cell, Document } from './document.js';
import type { ReadResult } from './index.js';
import { MAX_BLOCKS } from './limits.js';
import { decodeHtml, htmlToDocument } from './html.js';
import type { ZipArchive } from './zip.js';

const W_NS = new Set(['http://schemas.openxmlformats.org/wordprocessingml/2006/main', 'http://purl.oclc.org/ooxml/wordprocessingml/main']);
const MC_NS = 'http://schemas.openxmlformats.org/markup-compatibility/2006';

const ELEMENT = 1;
const TEXT = 3;
const CDATA = 4;

/** "w:p" for WordprocessingML elements, "mc:Fallback" for markup compatibility, else "?:name". */
function tagOf(namespaceURI: string | null | undefined, localName: string | null | undefined): string {
  const ns = namespaceURI ?? '';
  return W_NS.has(ns) ? `w:${localName}` : ns === MC_NS ? `mc:${localName}` : `?:${localName}`;
}

function tag(n: XNode): string {
  if (n.nodeType !== ELEMENT) return '';
  // Computed once per node (the parser's filter sets it for most): the walker asks often.
  return (n.key ??= tagOf(n.namespaceURI, n.localName));
}

function children(n: XNode): XNode[] {
  const out: XNode[] = [];
  for (let c = n.firstChild; c; c = c.nextSibling) if (c.nodeType === ELEMENT) out.push(c);
  return out;
}

function child(n: XNode, t: string): XNode | undefined {
  for (let c = n.firstChild; c; c = c.nextSibling) if (tag(c) === t) return c;
  return undefined;
}

/** A w: attribute by local name, whatever its prefix. */
function wAttr(n: XNode | undefined, name: string): string | null {
  if (!n || !n.attributes) return null;
  for (let i = 0; i < n.attributes.length; i++) {
    const a = n.attributes.item(i);
    if (a && (a.localName === name || a.name === name || a.name.endsWith(`:${name}`))) return a.value;
  }
  return null;
}

export function parseXml(xml: string | Uint8Array, source: string, part: string, filter?: XmlFilter): XNode {
  try {
    return typeof xml === 'string' ? parseXmlFast(xml, filter) : parseXmlBytes(xml, filter);
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0] : String(e);
    throw new GongkaiError('corrupt-file', source, {
      zh: `文档内部 XML（${part}）已损坏：${msg}。请用 Word/WPS 打开后另存一份再试。`,
      en: `The document's XML (${part}) is corrupt: ${msg}. Open it in Word/WPS, save a new copy and retry.`,
    });
  }
}

/** Read DOCX bytes directly (used by the .doc converter path). */
export async function readDocx(bytes: Uint8Array, source: string): Promise<ReadResult> {
  const { readZip } = await import('./zip.js');
  return readZip(bytes, source);
}

export function docxFromZip(zip: ZipArchive, mainPart = 'word/document.xml'): Document {
  const xml = zip.read(mainPart);
  if (xml === undefined) {
    throw new GongkaiError('corrupt-file', zip.source, {
      zh: `DOCX 文件缺少正文（${mainPart}）。请用 Word/WPS 打开后另存一份再试。`,
      en: `The DOCX file lacks its body (${mainPart}). Open it in Word/WPS, save a new copy and retry.`,
    });
  }
  const root = parseXml(xml, zip.source, mainPart, WORD_FILTER);
  const numbering = readNumbering(zip);
  const body = child(root, 'w:body') ?? root;
  const blocks = new DocxWalker(numbering, (id) => altChunkBlocks(zip, mainPart, id)).run(body);
  const doc: Document = { format: 'docx', blocks };
  const meta = readCoreProps(zip);
  if (meta) doc.meta = meta;
  return doc;
}

function readCoreProps(zip: ZipArchive): Document['meta'] | undefined {
  const xml = zip.readText('docProps/core.xml');
  if (!xml) return undefined;
  let root: XNode;
  try {
    root = parseXml(xml, zip.source, 'docProps/core.xml');
  } catch {
    return undefined; // metadata is optional; a broken core.xml does not spoil the body
  }
  const meta: NonNullable<Document['meta']> = {};
  for (const c of children(root)) {
    const text = textContent(c).trim();
    if (!text) continue;
    if (c.localName === 'title') meta.title = text;
    else if (c.localName === 'created') meta.created = text;
  }
  return meta.title || meta.created ? meta : undefined;
}

function textContent(n: XNode): string {
  const parts: string[] = [];
  const stack: XNode[] = [n];
  while (stack.length) {
    const e = stack.pop()!;
    if (e.nodeType === TEXT || e.nodeType === CDATA) {
      parts.push(e.data ?? '');
      continue;
    }
    const kids: XNode[] = [];
    for (let c = e.firstChild; c; c = c.nextSibling) kids.push(c);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return parts.join('');
}

// ---------------------------------------------------------------------------------------
// altChunk: HTML or MHT imported into the document whole (web CMS exports do this)

function altChunkBlocks(zip: ZipArchive, mainPart: string, relId: string): Block[] {
  const dir = mainPart.includes('/') ? mainPart.slice(0, mainPart.lastIndexOf('/') + 1) : '';
  const rels = zip.readText(`${dir}_rels/${mainPart.slice(dir.length)}.rels`);
  if (!rels) return [];
  let target: string | undefined;
  for (const m of rels.matchAll(/<Relationship\b[^>]*>/g)) {
    if (new RegExp(`\\bId\\s*=\\s*"${relId.replace(/[^\w-]/g, '')}"`).test(m[0])) target = /Target\s*=\s*"([^"]+)"/.exec(m[0])?.[1];
  }
  if (!target) return [];
  const path = target.startsWith('/') ? target.slice(1) : normalizePath(dir + target);
  const bytes = zip.read(path);
  if (!bytes) return [];
  let html: string;
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  if (/^\s*(?:MIME-Version|Content-Type)\s*:/im.test(head) && /multipart\/related|Content-Transfer-Encoding/i.test(head)) {
    const h = mhtHtml(bytes);
    if (h === undefined) return [];
    html = h;
  } else html = decodeHtml(bytes).text;
  return htmlToDocument(html).blocks;
}

function normalizePath(p: string): string {
  const out: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '..') out.pop();
    else if (seg && seg !== '.') out.push(seg);
  }
  return out.join('/');
}

/** The text/html part of an MHT (MIME) file, decoded. */
export function mhtHtml(bytes: Uint8Array): string | undefined {
  const raw = Buffer.from(bytes).toString('latin1');
  const boundary = /boundary\s*=\s*"?([^";\r\n]+)"?/i.exec(raw)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`) : [raw];
  for (const part of parts) {
    const sep = part.search(/\r?\n\r?\n/);
    if (sep < 0) continue;
    const headers = part.slice(0, sep);
    if (!/Content-Type\s*:\s*text\/html/i.test(headers)) continue;
    const body = part.slice(sep).replace(/^\r?\n\r?\n/, '');
    const cte = /Content-Transfer-Encoding\s*:\s*([\w-]+)/i.exec(headers)?.[1]?.toLowerCase();
    let data: Buffer;
    if (cte === 'base64') data = Buffer.from(body.replace(/\s+/g, ''), 'base64');
    else if (cte === 'quoted-printable') {
      data = Buffer.from(body.replace(/=\r?\n/g, '').replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
    } else data = Buffer.from(body, 'latin1');
    const charset = /charset\s*=\s*"?([\w-]+)/i.exec(headers)?.[1];
    const bytesOut = new Uint8Array(data);
    if (charset) {
      const prefix = new TextEncoder().encode(`<meta charset="${charset}">`);
      const joined = new Uint8Array(prefix.length + bytesOut.length);
      joined.set(prefix);
      joined.set(bytesOut, prefix.length);
      return decodeHtml(joined).text;
    }
    return decodeHtml(bytesOut).text;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------
// Numbering (w:numPr → "一、", "（二）", "1." …)

interface Level {
  start: number;
  fmt: string;
  text: string;
}

interface Numbering {
  levels(numId: string): Map<number, Level> | undefined;
  counters: Map<string, number[]>;
}

function readNumbering(zip: ZipArchive): Numbering | undefined {
  const xml = zip.read('word/numbering.xml');
  if (!xml || xml.length === bomBytes(xml)) return undefined; // absent or empty
  let root: XNode;
  try {
    root = parseXml(xml, zip.source, 'word/numbering.xml', WORD_FILTER);
  } catch {
    return undefined;
  }
  const abstract = new Map<string, Map<number, Level>>();
  const nums = new Map<string, { abs: string; overrides: Map<number, number> }>();
  for (const c of children(root)) {
    if (tag(c) === 'w:abstractNum') {
      const levels = new Map<number, Level>();
      for (const l of children(c)) {
        if (tag(l) !== 'w:lvl') continue;
        const ilvl = Number(wAttr(l, 'ilvl') ?? 0);
        levels.set(ilvl, {
          start: Number(wAttr(child(l, 'w:start'), 'val') ?? 1),
          fmt: wAttr(child(l, 'w:numFmt'), 'val') ?? 'decimal',
          text: wAttr(child(l, 'w:lvlText'), 'val') ?? '',
        });
      }
      abstract.set(wAttr(c, 'abstractNumId') ?? '', levels);
    } else if (tag(c) === 'w:num') {
      const overrides = new Map<number, number>();
      for (const o of children(c)) {
        if (tag(o) !== 'w:lvlOverride') continue;
        const s = wAttr(child(o, 'w:startOverride'), 'val');
        if (s !== null) overrides.set(Number(wAttr(o, 'ilvl') ?? 0), Number(s));
      }
      nums.set(wAttr(c, 'numId') ?? '', { abs: wAttr(child(c, 'w:abstractNumId'), 'val') ?? '', overrides });
    }
  }
  return {
    levels(numId: string) {
      const n = nums.get(numId);
      if (!n) return undefined;
      const base = abstract.get(n.abs);
      if (!base || !n.overrides.size) return base;
      const m = new Map(base);
      for (const [lvl, start] of n.overrides) {
        const l = m.get(lvl);
        if (l) m.set(lvl, { ...l, start });
      }
      return m;
    },
    counters: new Map(),
  };
}

const CN = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];
function chineseCount(n: number): string {
  if (n < 10) return CN[n];
  if (n < 20) return `十${n % 10 ? CN[n % 10] : ''}`;
  if (n < 100) return `${CN[Math.floor(n / 10)]}十${n % 10 ? CN[n % 10] : ''}`;
  return String(n);
}
function roman(n: number): string {
  const t: Array<[number, string]> = [[1000, 'm'], [900, 'cm'], [500, 'd'], [400, 'cd'], [100, 'c'], [90, 'xc'], [50, 'l'], [40, 'xl'], [10, 'x'], [9, 'ix'], [5, 'v'], [4, 'iv'], [1, 'i']];
  let s = '';
  for (const [v, r] of t) while (n >= v) { s += r; n -= v; }
  return s;
}
function formatNumber(n: number, fmt: string): string {
  switch (fmt) {
    case 'chineseCounting':
    case 'chineseCountingThousand':
    case 'japaneseCounting':
    case 'chineseLegalSimplified':
    case 'ideographLegalTraditional':
    case 'taiwaneseCounting':
    case 'taiwaneseCountingThousand':
      return chineseCount(n);
    case 'ideographTraditional':
      return '甲乙丙丁戊己庚辛壬癸'[n - 1] ?? String(n);
    case 'ideographZodiac':
      return '子丑寅卯辰巳午未申酉戌亥'[n - 1] ?? String(n);
    case 'decimalEnclosedCircle':
    case 'decimalEnclosedCircleChinese':
      return n >= 1 && n <= 20 ? String.fromCharCode(0x2460 + n - 1) : String(n);
    case 'decimalEnclosedParen':
      return `(${n})`;
    case 'decimalFullWidth':
    case 'decimalFullWidth2':
      return String(n).replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    case 'lowerLetter':
      return String.fromCharCode(97 + ((n - 1) % 26));
    case 'upperLetter':
      return String.fromCharCode(65 + ((n - 1) % 26));
    case 'lowerRoman':
      return roman(n);
    case 'upperRoman':
      return roman(n).toUpperCase();
    case 'bullet':
    case 'none':
      return '';
    default:
      return String(n);
  }
}

function numberPrefix(numbering: Numbering | undefined, p: XNode): string {
  if (!numbering) return '';
  const numPr = child(child(p, 'w:pPr') ?? p, 'w:numPr');
  if (!numPr) return '';
  const numId = wAttr(child(numPr, 'w:numId'), 'val');
  const ilvl = Number(wAttr(child(numPr, 'w:ilvl'), 'val') ?? 0);
  if (!numId || numId === '0') return '';
  const levels = numbering.levels(numId);
  const lvl = levels?.get(ilvl);
  if (!levels || !lvl || lvl.fmt === 'bullet' || lvl.fmt === 'none') return '';
  let c = numbering.counters.get(numId);
  if (!c) {
    c = [];
    numbering.counters.set(numId, c);
  }
  for (let i = 0; i <= ilvl; i++) if (c[i] === undefined) c[i] = (levels.get(i)?.start ?? 1) - (i === ilvl ? 1 : 0);
  c[ilvl] += 1;
  c.length = ilvl + 1; // deeper levels restart
  const text = lvl.text.replace(/%(\d)/g, (_, d) => {
    const i = Number(d) - 1;
    return formatNumber(c![i] ?? levels.get(i)?.start ?? 1, levels.get(i)?.fmt ?? 'decimal');
  });
  return text;
}

// ---------------------------------------------------------------------------------------
// The walk

/** Elements whose subtree never holds body text. */
const SKIP = new Set(['w:pPr', 'w:rPr', 'w:tblPr', 'w:trPr', 'w:tcPr', 'w:tblGrid', 'w:sectPr', 'w:del', 'w:moveFrom', 'w:instrText', 'w:delText', 'w:delInstrText', 'mc:Fallback', 'w:footnoteReference', 'w:endnoteReference', 'w:commentReference', 'w:fldData']);

/**
 * What the walk never reads is not built: the subtrees of SKIP elements, except that
 * paragraph properties keep w:numPr (numbering) and cell properties keep w:vMerge / w:hMerge
 * (merges). Text is kept inside w:t only (the one place it is read), whole. The root element
 * is always kept and its children are judged as body content, since a document without
 * w:body is walked from its root.
 */
const PRUNED = new Set([...SKIP].filter((t) => t !== 'w:pPr' && t !== 'w:tcPr'));
const WORD_FILTER: XmlFilter = {
  key: tagOf,
  drop(key, parentKey, depth) {
    if (depth === 1) return false;
    if (depth === 2) return PRUNED.has(key);
    if (parentKey === 'w:pPr') return key !== 'w:numPr';
    if (parentKey === 'w:tcPr') return key !== 'w:vMerge' && key !== 'w:hMerge';
    return PRUNED.has(key);
  },
  whole: new Set(['w:t']),
};

type Item = { k: 'node'; n: XNode } | { k: 'row'; cells: XNode[]; table: number; row: number };

class DocxWalker {
  private blocks: Block[] = [];
  private paras = 0;
  private tables = 0;
  constructor(
    private numbering: Numbering | undefined,
    private altChunk: (relId: string) => Block[] = () => [],
  ) {}

  run(body: XNode): Block[] {
    const stack: Item[] = [];
    pushChildren(stack, body);
    while (stack.length) {
      if (this.blocks.length > MAX_BLOCKS) break;
      const it = stack.pop()!;
      if (it.k === 'row') {
        this.emitRow(it.cells, it.table, it.row);
        continue;
      }
      const n = it.n;
      const t = tag(n);
      if (SKIP.has(t)) continue;
      if (t === 'w:p') {
        this.paras++;
        const text = paragraphText(n, this.numbering).trim();
        if (text) this.blocks.push({ kind: 'para', text, place: { path: `p[${this.paras}]` } });
        continue;
      }
      if (t === 'w:tbl') {
        this.pushTable(n, stack);
        continue;
      }
      if (t === 'w:altChunk') {
        const id = wAttr(n, 'id');
        if (id) for (const b of this.altChunk(id)) this.blocks.push(b);
        continue;
      }
      // Containers: w:sdt, w:sdtContent, w:customXml, w:ins, w:moveTo, mc:AlternateContent, …
      pushChildren(stack, n);
    }
    return this.blocks;
  }

  private pushTable(tbl: XNode, stack: Item[]): void {
    const table = ++this.tables;
    const items: Item[] = [];
    let row = 0;
    for (const tr of flatten(tbl, 'w:tr')) {
      row++;
      const cells = flatten(tr, 'w:tc');
      if (cells.some((c) => hasDescendant(c, 'w:tbl'))) {
        // A layout row: its cells' content flows, nested tables become rows of their own.
        for (const c of cells) for (const k of children(c)) items.push({ k: 'node', n: k });
      } else items.push({ k: 'row', cells, table, row });
    }
    for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
  }

  private emitRow(tcs: XNode[], table: number, row: number): void {
    const cells: Cell[] = [];
    tcs.forEach((tc, i) => {
      const pr = child(tc, 'w:tcPr');
      const vMerge = pr && child(pr, 'w:vMerge');
      if (vMerge && (wAttr(vMerge, 'val') ?? 'continue') === 'continue') return;
      const hMerge = pr && child(pr, 'w:hMerge');
      if (hMerge && (wAttr(hMerge, 'val') ?? 'continue') === 'continue') return;
      cells.push({ text: this.cellText(tc), place: { table, row, cell: i + 1 } });
    });
    if (cells.length) this.blocks.push({ kind: 'row', cells, place: { table, row }, blanksReliable: true });
  }

  private cellText(tc: XNode): string {
    const lines: string[] = [];
    const stack: XNode[] = [];
    pushChildrenNodes(stack, tc);
    while (stack.length) {
      const n = stack.pop()!;
      const t = tag(n);
      if (SKIP.has(t)) continue;
      if (t === 'w:p') {
        const s = paragraphText(n, this.numbering).replace(/[ \t]+/g, ' ').trim();
        if (s) lines.push(s);
        continue;
      }
      pushChildrenNodes(stack, n);
    }
    return lines.join('\n');
  }
}

function pushChildren(stack: Item[], n: XNode): void {
  const kids = children(n);
  for (let i = kids.length - 1; i >= 0; i--) stack.push({ k: 'node', n: kids[i] });
}

function pushChildrenNodes(stack: XNode[], n: XNode): void {
  const kids = children(n);
  for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
}

/** Descendants named `want`, looking through wrappers (w:sdt, w:customXml …) but not into them. */
function flatten(n: XNode, want: string): XNode[] {
  const out: XNode[] = [];
  const stack: XNode[] = [];
  pushChildrenNodes(stack, n);
  while (stack.length) {
    const c = stack.pop()!;
    const t = tag(c);
    if (t === want) out.push(c);
    else if (t === 'w:sdt' || t === 'w:sdtContent' || t === 'w:customXml' || t === 'w:ins' || t === 'w:moveTo' || t === 'mc:AlternateContent' || t === 'mc:Choice') pushChildrenNodes(stack, c);
  }
  return out;
}

function hasDescendant(n: XNode, want: string): boolean {
  const stack: XNode[] = [];
  pushChildrenNodes(stack, n);
  while (stack.length) {
    const c = stack.pop()!;
    const t = tag(c);
    if (t === want) return true;
    if (!SKIP.has(t)) pushChildrenNodes(stack, c);
  }
  return false;
}

/** Text of one paragraph: all visible runs, in order. Text boxes inside it add lines. */
function paragraphText(p: XNode, numbering: Numbering | undefined): string {
  const parts: string[] = [numberPrefix(numbering, p)];
  type PItem = XNode | '\n';
  const stack: PItem[] = [];
  for (const k of children(p).reverse()) stack.push(k);
  while (stack.length) {
    const n = stack.pop()!;
    if (n === '\n') {
      parts.push('\n');
      continue;
    }
    const t = tag(n);
    if (SKIP.has(t)) continue;
    switch (t) {
      case 'w:t':
        parts.push(textContent(n));
        continue;
      case 'w:tab':
      case 'w:ptab':
        parts.push('\t');
        continue;
      case 'w:br':
      case 'w:cr':
        parts.push('\n');
        continue;
      case 'w:noBreakHyphen':
        parts.push('-');
        continue;
      case 'w:p': // a paragraph inside a text box
        parts.push('\n');
        stack.push('\n');
        break;
    }
    const kids = children(n);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return parts.join('').replace(/\n{2,}/g, '\n');
}
