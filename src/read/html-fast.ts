// A fast HTML tree builder for well-formed markup. It tokenizes with htmlparser2's tokenizer and
// builds the tree parse5 (the HTML standard's tree construction) would build, but only for the
// markup whose tree construction is trivial: explicitly closed, properly nested elements, the
// implicit html/head/body wrappers and implicit table bodies. Whenever the standard would do
// anything else (implicitly close an element, reorder content, reconstruct formatting elements,
// switch tokenizer state differently), it gives up and returns null, and the caller parses the
// page with parse5. The tree it returns has the node shape the HTML reader walks.
import { Tokenizer } from 'htmlparser2';

export interface FastNode {
  type: string;
  name?: string;
  data?: string;
  attribs?: Record<string, string>;
  children?: FastNode[];
  parent?: FastNode | null;
}

const VOID = new Set(['area', 'base', 'basefont', 'bgsound', 'br', 'embed', 'hr', 'img', 'input', 'keygen', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
/** Elements the "in head" rules insert, whatever the mode (they never open the body). */
const HEAD_CONTENT = new Set(['base', 'basefont', 'bgsound', 'link', 'meta', 'title', 'style', 'script']);
/** Start tags with non-trivial tree construction or tokenizer states: always parse5. */
const BAIL_START = new Set([
  'html', 'head', 'body', 'frameset', 'frame', 'plaintext', 'xmp', 'iframe', 'noembed', 'noframes', 'noscript', 'template',
  'select', 'option', 'optgroup', 'datalist', 'math', 'svg', 'image', 'isindex', 'nobr', 'rb', 'rp', 'rt', 'rtc', 'listing',
  'caption', 'col', 'colgroup', 'td', 'th', 'tr', 'tbody', 'thead', 'tfoot', 'button', 'menuitem', 'pre', 'textarea', 'form',
  'applet', 'marquee', 'object', 'table', 'li', 'dd', 'dt', 'a', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6',
]);
/** Start tags that close an open <p> in button scope. */
const CLOSES_P = new Set([
  'address', 'article', 'aside', 'blockquote', 'center', 'details', 'dialog', 'dir', 'div', 'dl', 'fieldset', 'figcaption',
  'figure', 'footer', 'header', 'hgroup', 'main', 'menu', 'nav', 'ol', 'p', 'search', 'section', 'summary', 'ul', 'h1', 'h2',
  'h3', 'h4', 'h5', 'h6', 'pre', 'listing', 'form', 'plaintext', 'xmp', 'table', 'hr', 'li', 'dd', 'dt',
]);
const BUTTON_SCOPE = new Set(['applet', 'caption', 'html', 'table', 'td', 'th', 'marquee', 'object', 'template', 'button']);
const HEADING = new Set(['h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
/** The HTML standard's "special" category (for the li/dd/dt rules). */
const SPECIAL = new Set([
  'address', 'applet', 'area', 'article', 'aside', 'base', 'basefont', 'bgsound', 'blockquote', 'body', 'br', 'button', 'caption',
  'center', 'col', 'colgroup', 'dd', 'details', 'dir', 'div', 'dl', 'dt', 'embed', 'fieldset', 'figcaption', 'figure', 'footer',
  'form', 'frame', 'frameset', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'head', 'header', 'hgroup', 'hr', 'html', 'iframe', 'img',
  'input', 'keygen', 'li', 'link', 'listing', 'main', 'marquee', 'menu', 'meta', 'nav', 'noembed', 'noframes', 'noscript',
  'object', 'ol', 'p', 'param', 'plaintext', 'pre', 'script', 'search', 'section', 'select', 'source', 'style', 'summary',
  'table', 'tbody', 'td', 'template', 'textarea', 'tfoot', 'th', 'thead', 'title', 'tr', 'track', 'ul', 'wbr', 'xmp',
]);
const TABLE_CONTEXT = new Set(['table', 'tbody', 'thead', 'tfoot', 'tr']);
const WS = /^[ \t\n\f\r]*$/;
/** Markup whose tokenization differs between htmlparser2 and the standard (or is not modelled). */
const ODD_MARKUP = /\0|<!\[CDATA\[|--!>|<!--->|<!-->|<\/(?![A-Za-z])|<\/(?:script|style|title|textarea)\/|<(?:script|style|title|textarea)\b[^>]*\/>/i;

export interface FastTree {
  root: FastNode;
  body: FastNode;
  /** The first <title> element in document order, if any. */
  title: FastNode | null;
}

class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

const el = (name: string, attribs: Record<string, string>, parent: FastNode): FastNode => ({
  type: name === 'script' ? 'script' : name === 'style' ? 'style' : 'tag',
  name,
  attribs,
  children: [],
  parent,
});

/**
 * The document tree parse5 would build for `html` (comments left out), or null when the markup
 * needs tree construction this builder does not model or nests deeper than `maxDepth` open
 * elements (html and head included).
 */
export function fastParse(html: string, maxDepth = Infinity): FastTree | null {
  if (ODD_MARKUP.test(html)) return null;
  const lastLt = html.lastIndexOf('<');
  if (lastLt >= 0 && html.indexOf('>', lastLt) < 0) return null;
  if (html.includes('\r')) html = html.replace(/\r\n?/g, '\n');
  try {
    return new Builder(html, maxDepth).run();
  } catch (e) {
    if (e instanceof Bail) return null;
    throw e;
  }
}

type Mode = 'before' | 'body' | 'after';

class Builder {
  private readonly root: FastNode = { type: 'root', children: [], parent: null };
  private readonly htmlEl: FastNode;
  private readonly head: FastNode;
  private readonly body: FastNode;
  private mode: Mode = 'before';
  /** Open elements below body (body itself is stack[0] once the body has started). */
  private stack: FastNode[] = [];
  /** Open head-content element (title/style/script) outside the body, receiving its text. */
  private headOpen: FastNode | null = null;
  private tagName = '';
  private attribs: Record<string, string> = {};
  private attrName = '';
  private attrValue = '';
  private text = '';
  private scriptText = false;
  /** Before the body: an element was seen / an explicit <head> is open / was closed. */
  private seenElement = false;
  private inHead = false;
  private headDone = false;
  private title: FastNode | null = null;

  constructor(
    private readonly html: string,
    private readonly maxDepth: number,
  ) {
    this.htmlEl = el('html', {}, this.root);
    this.root.children!.push(this.htmlEl);
    this.head = el('head', {}, this.htmlEl);
    this.body = el('body', {}, this.htmlEl);
    this.htmlEl.children!.push(this.head, this.body);
  }

  run(): FastTree {
    const html = this.html;
    const self = this;
    const tok = new Tokenizer(
      { xmlMode: false, decodeEntities: true },
      {
        ontext(start, end) {
          self.text += html.slice(start, end);
        },
        ontextentity(cp) {
          self.text += String.fromCodePoint(cp);
        },
        onopentagname(start, end) {
          self.flushText();
          self.tagName = lower(html.slice(start, end));
          self.attribs = {};
        },
        onattribname(start, end) {
          self.attrName = lower(html.slice(start, end));
          self.attrValue = '';
        },
        onattribdata(start, end) {
          self.attrValue += html.slice(start, end);
        },
        onattribentity(cp) {
          self.attrValue += String.fromCodePoint(cp);
        },
        onattribend() {
          if (!Object.prototype.hasOwnProperty.call(self.attribs, self.attrName)) self.attribs[self.attrName] = self.attrValue;
          self.attrValue = '';
        },
        onopentagend() {
          self.startTag(self.tagName, self.attribs);
        },
        onselfclosingtag() {
          // The self-closing flag means nothing on HTML elements.
          self.startTag(self.tagName, self.attribs);
        },
        onclosetag(start, end) {
          self.flushText();
          self.endTag(lower(html.slice(start, end)));
        },
        oncomment() {
          self.flushText();
        },
        oncdata() {
          bail();
        },
        ondeclaration() {
          self.flushText();
        },
        onprocessinginstruction() {
          self.flushText();
        },
        onend() {
          self.flushText();
        },
      },
    );
    tok.write(html);
    tok.end();
    if (this.headOpen) bail();
    return { root: this.root, body: this.body, title: this.title };
  }

  private current(): FastNode {
    return this.stack[this.stack.length - 1];
  }

  private startBody(): void {
    if (this.mode !== 'before') bail();
    this.mode = 'body';
    this.stack = [this.body];
  }

  private flushText(): void {
    const t = this.text;
    if (!t) return;
    this.text = '';
    if (this.headOpen) {
      if (this.scriptText && t.includes('<!--')) bail();
      appendText(this.headOpen, t);
      return;
    }
    if (this.mode === 'before') {
      if (WS.test(t)) return; // before the body, white space goes to the head or nowhere
      if (this.inHead) bail();
      this.startBody();
      appendText(this.body, t.replace(/^[ \t\n\f\r]+/, ''));
      return;
    } else if (this.mode === 'after') {
      if (!WS.test(t)) bail();
      appendText(this.body, t);
      return;
    }
    const cur = this.current();
    if (cur.name === 'script' && t.includes('<!--')) bail();
    if (TABLE_CONTEXT.has(cur.name!) && !WS.test(t)) bail(); // would be foster-parented
    appendText(cur, t);
  }

  private startTag(name: string, attribs: Record<string, string>): void {
    if (this.headOpen) bail();
    if (this.mode === 'after') bail();
    if (this.mode === 'before') {
      if (name === 'html') {
        if (this.seenElement) bail();
        this.seenElement = true;
        this.htmlEl.attribs = attribs;
        return;
      }
      if (name === 'head') {
        if (this.inHead || this.headDone || this.head.children!.length) bail();
        this.seenElement = true;
        this.inHead = true;
        this.head.attribs = attribs;
        return;
      }
      if (name === 'body') {
        this.inHead = false;
        this.startBody();
        this.body.attribs = attribs;
        return;
      }
      this.seenElement = true;
      if (HEAD_CONTENT.has(name)) {
        const e = el(name, attribs, this.head);
        if (name === 'title') this.title ??= e;
        this.head.children!.push(e);
        if (!VOID.has(name)) {
          this.headOpen = e;
          this.scriptText = name === 'script';
        }
        return;
      }
      if (this.inHead) bail();
      this.startBody();
    }
    const cur = this.current();
    if (TABLE_CONTEXT.has(cur.name!)) {
      this.tableStart(cur, name, attribs);
      return;
    }
    if (/[^\x00-\x7f]/.test(name)) bail();
    if (BAIL_START.has(name) && !this.allowedInBody(name)) bail();
    if (CLOSES_P.has(name) && this.pInButtonScope()) bail();
    const e = el(name, attribs, cur);
    cur.children!.push(e);
    if (name === 'title') this.title ??= e;
    if (!VOID.has(name)) {
      this.stack.push(e);
      this.checkDepth();
    }
  }

  private checkDepth(): void {
    // The html element is not on this stack; keep a margin for the depth limiter's own count.
    if (this.stack.length + 4 >= this.maxDepth) bail();
  }

  /** Start tags from BAIL_START that are trivial in body content in the current state. */
  private allowedInBody(name: string): boolean {
    if (HEADING.has(name)) return !HEADING.has(this.current().name!);
    if (name === 'table') return true;
    if (name === 'a') return !this.stack.some((e) => e.name === 'a');
    if (name === 'li') return !this.listItemOpen(['li']);
    if (name === 'dd' || name === 'dt') return !this.listItemOpen(['dd', 'dt']);
    return false;
  }

  /** Whether the li/dd/dt rules would close an open item. */
  private listItemOpen(names: string[]): boolean {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const n = this.stack[i].name!;
      if (names.includes(n)) return true;
      if (SPECIAL.has(n) && n !== 'address' && n !== 'div' && n !== 'p') return false;
    }
    return false;
  }

  private pInButtonScope(): boolean {
    for (let i = this.stack.length - 1; i >= 0; i--) {
      const n = this.stack[i].name!;
      if (n === 'p') return true;
      if (BUTTON_SCOPE.has(n)) return false;
    }
    return false;
  }

  private tableStart(cur: FastNode, name: string, attribs: Record<string, string>): void {
    const c = cur.name!;
    if (name === 'script' || name === 'style') return void this.push(cur, name, attribs);
    if (c === 'table') {
      if (name === 'tbody' || name === 'thead' || name === 'tfoot') return void this.push(cur, name, attribs);
      if (name === 'tr') {
        const tbody = this.push(cur, 'tbody', {});
        this.push(tbody, 'tr', attribs);
        return;
      }
      bail();
    }
    if (c === 'tr') {
      if (name === 'td' || name === 'th') return void this.push(cur, name, attribs);
      bail();
    }
    // tbody / thead / tfoot
    if (name === 'tr') return void this.push(cur, name, attribs);
    bail();
  }

  private push(parent: FastNode, name: string, attribs: Record<string, string>): FastNode {
    const e = el(name, attribs, parent);
    parent.children!.push(e);
    this.stack.push(e);
    this.checkDepth();
    return e;
  }

  private endTag(name: string): void {
    if (this.headOpen) {
      if (name !== this.headOpen.name) bail();
      this.headOpen = null;
      return;
    }
    if (this.mode === 'before') {
      if (name === 'head' && this.inHead) {
        this.inHead = false;
        this.headDone = true;
        return;
      }
      bail();
    }
    if (this.mode === 'after') {
      if (name === 'html' || name === 'body') return;
      bail();
    }
    if (name === 'body' || name === 'html') {
      if (this.stack.length !== 1) bail();
      this.mode = 'after';
      return;
    }
    const cur = this.current();
    if (cur.name === name && this.stack.length > 1) {
      this.stack.pop();
      return;
    }
    // </table> closing a table body and row left open (the standard closes them with it).
    if (name === 'table') {
      let i = this.stack.length - 1;
      while (i > 0 && (this.stack[i].name === 'tr' || this.stack[i].name === 'tbody')) i--;
      if (i > 0 && this.stack[i].name === 'table') {
        this.stack.length = i;
        return;
      }
    }
    bail();
  }
}

function appendText(parent: FastNode, t: string): void {
  const ch = parent.children!;
  const last = ch[ch.length - 1];
  if (last && last.type === 'text') last.data += t;
  else ch.push({ type: 'text', data: t, parent });
}

function lower(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 65 && c <= 90) return s.toLowerCase();
  }
  return s;
}
