// HTML → Document. Handles whole government pages (site chrome dropped conservatively),
// CMS fragments and Word-exported HTML. Block elements become paragraphs, each <tr> a row of
// its physical <td>/<th> cells (cells hidden under a rowspan are simply absent in HTML).
// Layout tables (a row whose cell holds another table or long running text) are read as
// flowing content, so a statutory table nested in a layout table still yields its own rows.
// The tree is walked with an explicit stack, and pathological nesting is flattened before
// parsing, so deep documents neither overflow the call stack nor take quadratic time.
import * as cheerio from 'cheerio';
import type { Block, Cell, Document } from './document.js';
import type { ReadResult } from './index.js';
import { decodeText } from './decode.js';
import { fastParse } from './html-fast.js';
import { MAX_BLOCKS, MAX_MARKUP_DEPTH } from './limits.js';

/** The slice of domhandler's node shape this reader uses (kept local: no extra dependency). */
interface HNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: HNode[];
  parent?: HNode | null;
}

export function readHtml(bytes: Uint8Array, source: string): ReadResult {
  void source;
  const { text, encoding } = decodeHtml(bytes);
  return { doc: htmlToDocument(text), encoding };
}

/** Parse an HTML string already decoded. */
export function htmlToDocument(html: string): Document {
  // Well-formed markup gets the same tree from the fast builder; anything else goes to parse5.
  // Markup the fast builder accepts within the depth limit is left unchanged by limitDepth, so
  // that pass is needed only when the builder gives up.
  let fast = fastParse(html, MAX_MARKUP_DEPTH);
  const src = fast ? html : limitDepth(html);
  if (!fast && src !== html) fast = fastParse(src);
  let body: HNode;
  let title: string;
  if (fast) {
    body = fast.body;
    const t = fast.title;
    title = t ? collapse((t.children ?? []).map((c) => c.data ?? '').join('')) : '';
  } else {
    const $ = cheerio.load(src);
    const root = $.root()[0] as unknown as HNode;
    title = collapse($('title').first().text());
    body = findFirst(root, 'body') ?? root;
  }
  const blocks = new Walker().run(body);
  const doc: Document = { format: 'html', blocks };
  if (title) doc.meta = { title };
  return doc;
}

// ---------------------------------------------------------------------------------------
// Charset

const GB_LABEL = /^(?:gb2312|gbk|gb_2312-80|x-gbk|cp936|gb18030|csgb2312|euc-cn|x-euc-cn|hz-gb-2312)$/i;

/** The charset a page declares in its first bytes (<meta charset>, http-equiv), if any. */
export function sniffCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 4096)).toString('latin1');
  const m =
    /<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head) ??
    /<\?xml[^>]+encoding\s*=\s*["']([\w.:-]+)/i.exec(head);
  if (!m) return undefined;
  const label = m[1].toLowerCase();
  return GB_LABEL.test(label) ? 'gb18030' : label;
}

export function decodeHtml(bytes: Uint8Array): { text: string; encoding: string } {
  const declared = sniffCharset(bytes);
  // A page that is valid UTF-8 with non-ASCII text is UTF-8 whatever it declares (CMS
  // templates often keep a stale gb2312 declaration); otherwise trust the declaration.
  if (declared && declared !== 'utf-8' && declared !== 'utf8') {
    const hasBom = bytes[0] === 0xef || bytes[0] === 0xff || bytes[0] === 0xfe;
    if (!hasBom && isStrictUtf8WithNonAscii(bytes)) return { text: new TextDecoder('utf-8').decode(bytes), encoding: 'utf-8' };
    return decodeText(bytes, declared);
  }
  return decodeText(bytes);
}

function isStrictUtf8WithNonAscii(bytes: Uint8Array): boolean {
  let nonAscii = false;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] >= 0x80) {
      nonAscii = true;
      break;
    }
  }
  if (!nonAscii) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------
// Depth limiting (before parsing: parse5 is quadratic in nesting depth)

const VOID = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr', 'basefont', 'bgsound', 'frame', 'keygen']);
const SELF_CLOSING_SIBLINGS = new Set(['p', 'li', 'td', 'th', 'tr', 'option', 'dt', 'dd']);
/** Paragraph-like tags survive unwrapping: the parser closes them implicitly, so they add no depth. */
const KEEP_WHEN_DEEP = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'dt', 'dd']);
const MARKUP = /<!--[\s\S]*?(?:-->|$)|<(script|style|textarea|title)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)|<(\/?)([a-zA-Z][\w:-]*)\b(?:[^>"']|"[^"]*"|'[^']*')*?(\/?)>/g;

/**
 * Unwraps elements nested deeper than MAX_MARKUP_DEPTH (their text is kept, their tags
 * dropped). Documents within the limit are returned unchanged.
 */
export function limitDepth(html: string, maxDepth = MAX_MARKUP_DEPTH): string {
  const stack: string[] = [];
  const dropped = new Map<string, number>();
  const out: string[] = [];
  let last = 0;
  let changed = false;
  MARKUP.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = MARKUP.exec(html))) {
    if (m[3] === undefined) continue; // comment or raw-text element
    const name = m[3].toLowerCase();
    const closing = m[2] === '/';
    if (!closing) {
      if (VOID.has(name) || m[4] === '/') continue;
      if (SELF_CLOSING_SIBLINGS.has(name) && stack[stack.length - 1] === name) stack.pop();
      if (stack.length >= maxDepth && KEEP_WHEN_DEEP.has(name)) {
        // Kept, but not tracked: it is closed implicitly at the latest by the next sibling.
        continue;
      }
      if (stack.length >= maxDepth) {
        dropped.set(name, (dropped.get(name) ?? 0) + 1);
        out.push(html.slice(last, m.index));
        last = m.index + m[0].length;
        changed = true;
        continue;
      }
      stack.push(name);
    } else {
      const d = dropped.get(name) ?? 0;
      if (d > 0) {
        // Dropped elements are the deepest open ones, so a closing tag of that name is theirs.
        dropped.set(name, d - 1);
        out.push(html.slice(last, m.index));
        last = m.index + m[0].length;
        continue;
      }
      const at = stack.lastIndexOf(name);
      if (at >= 0 && stack.length - at <= 64) stack.length = at;
    }
  }
  if (!changed) return html;
  out.push(html.slice(last));
  return out.join('');
}

// ---------------------------------------------------------------------------------------
// Tree helpers (all iterative)

function findFirst(root: HNode, name: string): HNode | null {
  const stack: HNode[] = [root];
  while (stack.length) {
    const n = stack.pop()!;
    if (n.type === 'tag' && n.name === name) return n;
    if (n.children) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  }
  return null;
}

function isElement(n: HNode): boolean {
  return n.type === 'tag' || n.type === 'script' || n.type === 'style';
}

/** Visits every descendant element of n (not n itself), pruning where visit returns false. */
function eachDescendant(n: HNode, visit: (e: HNode) => boolean | void): void {
  const stack: HNode[] = [];
  if (n.children) for (let i = n.children.length - 1; i >= 0; i--) stack.push(n.children[i]);
  while (stack.length) {
    const e = stack.pop()!;
    if (!isElement(e)) continue;
    if (visit(e) === false) continue;
    if (e.children) for (let i = e.children.length - 1; i >= 0; i--) stack.push(e.children[i]);
  }
}

/** Plain text of a subtree, with link text counted apart. */
function textStats(n: HNode): { text: string; linkChars: number } {
  const parts: string[] = [];
  let linkChars = 0;
  const stack: Array<{ n: HNode; inLink: boolean }> = [{ n, inLink: false }];
  while (stack.length) {
    const { n: e, inLink } = stack.pop()!;
    if (e.type === 'text') {
      parts.push(e.data ?? '');
      if (inLink) linkChars += (e.data ?? '').replace(/\s+/g, '').length;
      continue;
    }
    if (e.type !== 'tag' && e !== n) continue;
    if (e.name && ALWAYS_DROP.has(e.name)) continue;
    const link = inLink || e.name === 'a';
    if (e.children) for (let i = e.children.length - 1; i >= 0; i--) stack.push({ n: e.children[i], inLink: link });
  }
  return { text: parts.join(''), linkChars };
}

function collapse(s: string): string {
  return s.replace(/[ \t\r\n\f]+/g, ' ').trim();
}

// ---------------------------------------------------------------------------------------
// What to keep

/** Never content. Their text (scripts, alt texts, form controls) is not report text. */
const ALWAYS_DROP = new Set([
  'script', 'style', 'noscript', 'template', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'svg', 'math', 'canvas',
  'img', 'picture', 'video', 'audio', 'map', 'area', 'select', 'option', 'datalist', 'textarea', 'input', 'button', 'head',
  'link', 'meta', 'base', 'title', 'xml', 'o:smarttagtype', 'v:shapetype', 'v:shape', 'v:imagedata',
]);
/** Page chrome by element name; kept only when they hold report content. */
const CHROME_TAGS = new Set(['nav', 'header', 'footer', 'aside', 'form', 'dialog', 'menu']);
/** Id/class words of site chrome: navigation, breadcrumbs, share bars, footers, sidebars. */
const CHROME_SUBSTRING = /nav(?!e)|menu|breadcrumb|crumb|share|footer|sidebar|copyright|fenxiang|bdsharebutton|toolbar|topbar|skiplink/i;
const CHROME_SEGMENT = /^(?:foot|side|top|bottom|search|searchbox|login|position|location|weizhi|dqwz|wz|bread|print|qr|qrcode|ewm|erweima|related|xgxx|xglj|links?|friendlink|yqlj|tools?|close|fx|gotop|totop|backtop|zihao|fontsize)$/i;
/** Text that only a report body carries; an element holding it is never dropped. */
const REPORT_CONTENT = /总计|本年新收|上年结转|主动公开政府信息情况|收到和处理政府信息公开申请|行政复议|行政诉讼|政府信息公开(?:工作)?(?:年度)?报告|政务公开(?:工作)?年度报告|发布日期|发布时间|成文日期/;
const HIDDEN_STYLE = /display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all/i;

function looksLikeChrome(e: HNode): boolean {
  const name = e.name ?? '';
  if (CHROME_TAGS.has(name)) return true;
  const a = e.attribs ?? {};
  if ('hidden' in a || HIDDEN_STYLE.test(a.style ?? '')) return true;
  if (a.role && /^(?:navigation|banner|contentinfo|search|complementary|menu|menubar|toolbar)$/i.test(a.role)) return true;
  const words = `${a.id ?? ''} ${a.class ?? ''}`.split(/\s+/).filter(Boolean);
  for (const w of words) {
    if (CHROME_SUBSTRING.test(w)) return true;
    for (const seg of w.split(/[-_]+/)) if (CHROME_SEGMENT.test(seg.replace(/\d+$/, ''))) return true;
  }
  return false;
}

/** Report content: a statutory keyword in text that is not mostly links. */
function holdsReportContent(e: HNode): boolean {
  const { text, linkChars } = textStats(e);
  const compact = text.replace(/\s+/g, '');
  if (!REPORT_CONTENT.test(compact)) return false;
  return linkChars < compact.length * 0.5;
}

const FILE_NAME = /^[\w.-]+\.(?:png|jpe?g|gif|bmp|webp|svg|ico)$/i;

// ---------------------------------------------------------------------------------------
// The walk

const BLOCK = new Set([
  'p', 'div', 'section', 'article', 'main', 'body', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'ul', 'ol', 'dl', 'dt', 'dd',
  'blockquote', 'pre', 'address', 'center', 'figure', 'figcaption', 'caption', 'hr', 'fieldset', 'legend', 'details', 'summary',
  'table', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'hgroup', 'header', 'footer', 'nav', 'aside', 'form',
]);

type Item =
  | { k: 'node'; n: HNode }
  | { k: 'end'; n: HNode } // leaving a block element: close its paragraph
  | { k: 'row'; tr: HNode; path: string }
  | { k: 'br' };

class Walker {
  private blocks: Block[] = [];
  private buf: string[] = [];
  private bufPath = '';
  private counts = new Map<string, number>();
  private tables = 0;
  private paths = new Map<HNode, string>();
  private dropCache = new Map<HNode, boolean>();

  run(body: HNode): Block[] {
    const stack: Item[] = [{ k: 'node', n: body }];
    while (stack.length) {
      if (this.blocks.length > MAX_BLOCKS) break;
      const it = stack.pop()!;
      if (it.k === 'br') {
        this.flush();
        continue;
      }
      if (it.k === 'end') {
        this.flush();
        continue;
      }
      if (it.k === 'row') {
        this.emitRow(it.tr, it.path);
        continue;
      }
      const n = it.n;
      if (n.type === 'text') {
        if (!this.buf.length) this.bufPath = this.pathOfNearestBlock(n);
        this.buf.push(n.data ?? '');
        continue;
      }
      if (n.type !== 'tag' && n.type !== 'root') continue;
      const name = n.name ?? '';
      if (n.type === 'tag' && this.drop(n)) continue;
      if (name === 'br') {
        this.flush();
        continue;
      }
      if (name === 'table') {
        this.flush();
        this.pushTable(n, stack);
        continue;
      }
      const block = BLOCK.has(name);
      if (block) {
        this.flush();
        this.assignPath(n);
        stack.push({ k: 'end', n });
      }
      const ch = n.children ?? [];
      for (let i = ch.length - 1; i >= 0; i--) stack.push({ k: 'node', n: ch[i] });
    }
    this.flush();
    return this.blocks;
  }

  private drop(e: HNode): boolean {
    const name = e.name ?? '';
    if (ALWAYS_DROP.has(name)) return true;
    if (name.includes(':') && name !== 'o:p' && !/^(?:st1|w):/.test(name)) return false;
    if (!looksLikeChrome(e)) return false;
    let v = this.dropCache.get(e);
    if (v === undefined) {
      v = !holdsReportContent(e);
      this.dropCache.set(e, v);
    }
    return v;
  }

  private assignPath(e: HNode): string {
    const name = e.name ?? 'body';
    const k = (this.counts.get(name) ?? 0) + 1;
    this.counts.set(name, k);
    const p = `${name}[${k}]`;
    this.paths.set(e, p);
    return p;
  }

  private pathOfNearestBlock(n: HNode): string {
    for (let p = n.parent; p; p = p.parent) {
      const path = this.paths.get(p);
      if (path) return path;
    }
    return 'body';
  }

  private flush(): void {
    if (!this.buf.length) return;
    const text = collapse(this.buf.join(''));
    this.buf = [];
    if (!text || FILE_NAME.test(text)) return;
    this.blocks.push({ kind: 'para', text, place: { path: this.bufPath || 'body' } });
  }

  /** Queues a table's rows (data rows as rows, layout rows as flowing content) in order. */
  private pushTable(table: HNode, stack: Item[]): void {
    const tIndex = ++this.tables;
    const tpath = `table[${tIndex}]`;
    this.paths.set(table, tpath);
    const items: Item[] = [];
    let r = 0;
    for (const part of table.children ?? []) {
      if (part.type !== 'tag') continue;
      if (part.name === 'caption') {
        items.push({ k: 'node', n: part });
        continue;
      }
      const rows = part.name === 'tr' ? [part] : /^(?:tbody|thead|tfoot)$/.test(part.name ?? '') ? (part.children ?? []).filter((c) => c.type === 'tag' && c.name === 'tr') : [];
      for (const tr of rows) {
        r++;
        const path = `${tpath}/tr[${r}]`;
        this.paths.set(tr, path);
        if (this.isLayoutRow(tr)) {
          for (const c of cellsOf(tr)) {
            this.paths.set(c, `${path}/${c.name}`);
            items.push({ k: 'node', n: c });
          }
          items.push({ k: 'br' });
        } else items.push({ k: 'row', tr, path });
      }
    }
    for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
  }

  /** A row that lays out a page rather than holding table data. */
  private isLayoutRow(tr: HNode): boolean {
    for (const c of cellsOf(tr)) {
      let nested = false;
      let blocks = 0;
      eachDescendant(c, (e) => {
        if (e.name === 'table') nested = true;
        else if (e.name && /^(?:p|div|h[1-6]|li|section|article)$/.test(e.name)) blocks++;
        return !nested;
      });
      if (nested) return true;
      if (blocks >= 3 && collapse(textStats(c).text).length > 200) return true;
    }
    return false;
  }

  private emitRow(tr: HNode, path: string): void {
    const cells: Cell[] = [];
    let k = 0;
    for (const c of cellsOf(tr)) {
      k++;
      cells.push({ text: cellText(c), place: { path: `${path}/${c.name}[${k}]` } });
    }
    if (!cells.length) return;
    this.blocks.push({ kind: 'row', cells, place: { path }, blanksReliable: true });
  }
}

function cellsOf(tr: HNode): HNode[] {
  return (tr.children ?? []).filter((c) => c.type === 'tag' && (c.name === 'td' || c.name === 'th'));
}

/** A cell's text: lines from <br> and block children, white space collapsed per line. */
function cellText(td: HNode): string {
  const lines: string[] = [];
  let cur: string[] = [];
  const breakLine = () => {
    const t = collapse(cur.join(''));
    if (t) lines.push(t);
    cur = [];
  };
  type CItem = { n: HNode } | { end: true };
  const stack: CItem[] = [];
  const ch = td.children ?? [];
  for (let i = ch.length - 1; i >= 0; i--) stack.push({ n: ch[i] });
  while (stack.length) {
    const it = stack.pop()!;
    if ('end' in it) {
      breakLine();
      continue;
    }
    const n = it.n;
    if (n.type === 'text') {
      cur.push(n.data ?? '');
      continue;
    }
    if (n.type !== 'tag') continue;
    const name = n.name ?? '';
    if (ALWAYS_DROP.has(name)) continue;
    if (HIDDEN_STYLE.test(n.attribs?.style ?? '')) continue;
    if (name === 'br') {
      breakLine();
      continue;
    }
    const block = BLOCK.has(name);
    if (block) {
      breakLine();
      stack.push({ end: true });
    }
    const kids = n.children ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push({ n: kids[i] });
  }
  breakLine();
  return lines.filter((l) => !FILE_NAME.test(l)).join('\n');
}
