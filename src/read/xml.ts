// A small, fast XML parser for OOXML parts, producing the few DOM node fields the DOCX reader
// walks (nodeType, localName, namespaceURI, firstChild, nextSibling, attributes, data).
// xmldom spent ~120 ms on a 200 KB document.xml; this does it in a few ms. It is strict where
// strictness protects the output (unbalanced tags throw) and ignores DTDs (no entity expansion,
// so no billion-laughs).
//
// Most of a Word document.xml is formatting (run and paragraph properties) that the reader
// never looks at; an optional filter drops such subtrees while parsing, so no nodes are built
// for them, yet every tag is still scanned and checked exactly as when nothing is dropped:
// filtered or not, the same input fails with the same error.

export interface XAttr {
  name: string;
  localName: string;
  value: string;
}

export interface XNode {
  nodeType: number; // 1 element, 3 text, 4 CDATA, 9 document
  localName?: string | null;
  namespaceURI?: string | null;
  data?: string;
  firstChild: XNode | null;
  nextSibling: XNode | null;
  attributes?: { length: number; item(i: number): XAttr | null };
  /** The element's key from XmlFilter.key, or set later by the reader that walks the tree. */
  key?: string;
}

/**
 * What to build. Elements are identified by a key computed from their resolved namespace and
 * local name; text is kept only inside `whole` elements (and below them nothing is filtered).
 */
export interface XmlFilter {
  key(namespaceURI: string | null, localName: string): string;
  /**
   * True drops the element and its whole subtree (its markup is still checked). `depth` is 1
   * for the root element, whose parent key is '' (the document's).
   */
  drop(key: string, parentKey: string, depth: number): boolean;
  /** Keys of elements kept whole, text included. */
  whole: ReadonlySet<string>;
}

const ENTITY: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  if (s.indexOf('&') < 0) return s;
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
    if (e[0] === '#') {
      const code = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
      return Number.isFinite(code) && code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ENTITY[e] ?? m;
  });
}

const ATTR = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

function parseAttrs(src: string): XAttr[] {
  const attrs: XAttr[] = [];
  ATTR.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = ATTR.exec(src))) {
    const name = m[1];
    const colon = name.indexOf(':');
    attrs.push({ name, localName: colon < 0 ? name : name.slice(colon + 1), value: decodeEntities(m[3] ?? m[4] ?? '') });
  }
  return attrs;
}

/** Attributes parsed on first use: the reader reads those of a few elements only. */
class Attrs {
  private parsed: XAttr[] | null;
  constructor(
    private readonly src: string,
    parsed: XAttr[] | null = null,
  ) {
    this.parsed = parsed;
  }
  private get list(): XAttr[] {
    return (this.parsed ??= parseAttrs(this.src));
  }
  get length(): number {
    return this.list.length;
  }
  item(i: number): XAttr | null {
    return this.list[i] ?? null;
  }
}

const NO_ATTRS = new Attrs('', []);

/** Whether a char code is matched by the regex class \s (what String.prototype.trim strips). */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

const XML_NS = new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);

export function parseXmlFast(xml: string, filter?: XmlFilter): XNode {
  const root: XNode = { nodeType: 9, firstChild: null, nextSibling: null, key: '' };
  // The open elements, as parallel stacks; index 0 is the document. A dropped element has no node.
  const qnames: string[] = [''];
  const nodes: (XNode | null)[] = [root];
  const lasts: (XNode | null)[] = [null];
  const nss: (Map<string, string> | null)[] = [XML_NS];
  let top = 0;
  // Stack index of the dropped (or whole) element we are inside, -1 when none.
  let dropAt = -1;
  let wholeAt = filter ? -1 : 0;
  const lookup = (prefix: string): string | null => {
    for (let d = top; d >= 0; d--) {
      const v = nss[d]?.get(prefix);
      if (v !== undefined) return v;
    }
    return null;
  };
  const append = (n: XNode) => {
    const last = lasts[top];
    if (last) last.nextSibling = n;
    else nodes[top]!.firstChild = n;
    lasts[top] = n;
  };
  let i = 0;
  const len = xml.length;
  while (i < len) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? len : lt;
    if (textEnd > i && top > 0 && wholeAt >= 0 && dropAt < 0) {
      append({ nodeType: 3, data: decodeEntities(xml.slice(i, textEnd)), firstChild: null, nextSibling: null });
    }
    if (lt < 0) break;
    const c = xml.charCodeAt(lt + 1);
    if (c === 33 /* ! */) {
      if (xml.startsWith('<!--', lt)) {
        const e = xml.indexOf('-->', lt + 4);
        if (e < 0) throw new Error('unterminated comment');
        i = e + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const e = xml.indexOf(']]>', lt + 9);
        if (e < 0) throw new Error('unterminated CDATA');
        if ((wholeAt >= 0 || top === 0) && dropAt < 0) append({ nodeType: 4, data: xml.slice(lt + 9, e), firstChild: null, nextSibling: null });
        i = e + 3;
      } else {
        // <!DOCTYPE …>: skipped, internal subsets included; entities are never expanded.
        let depth = 0;
        let j = lt + 2;
        for (; j < len; j++) {
          const ch = xml.charCodeAt(j);
          if (ch === 91 /* [ */) depth++;
          else if (ch === 93 /* ] */) depth--;
          else if (ch === 62 /* > */ && depth <= 0) break;
        }
        i = j + 1;
      }
      continue;
    }
    if (c === 63 /* ? */) {
      const e = xml.indexOf('?>', lt + 2);
      if (e < 0) throw new Error('unterminated processing instruction');
      i = e + 2;
      continue;
    }
    const gt = xml.indexOf('>', lt + 1);
    if (gt < 0) throw new Error('unterminated tag');
    if (c === 47 /* / */) {
      const open = qnames[top];
      // The usual `</name>` is compared in place; anything else is trimmed first.
      const same = top > 0 && gt - lt - 2 === open.length && xml.startsWith(open, lt + 2);
      if (!same) {
        const qname = xml.slice(lt + 2, gt).trim();
        if (top === 0 || open !== qname) throw new Error(`mismatched closing tag </${qname}>`);
      }
      if (top === dropAt) dropAt = -1;
      if (top === wholeAt) wholeAt = -1;
      qnames.pop();
      nodes.pop();
      lasts.pop();
      nss.pop();
      top--;
      i = gt + 1;
      continue;
    }
    // Attribute values may contain '>': find the real end of the tag.
    let end = gt;
    let q = 0; // char code of the open quote, 0 when none
    for (let j = lt + 1; j < len; j++) {
      const ch = xml.charCodeAt(j);
      if (q) {
        if (ch === q) q = 0;
      } else if (ch === 34 || ch === 39) q = ch;
      else if (ch === 62) {
        end = j;
        break;
      }
    }
    const selfClosing = xml.charCodeAt(end - 1) === 47;
    const innerEnd = selfClosing ? end - 1 : end;
    let nameEnd = lt + 1;
    while (nameEnd < innerEnd && !isSpace(xml.charCodeAt(nameEnd))) nameEnd++;
    const qname = xml.slice(lt + 1, nameEnd);
    i = end + 1;
    if (dropAt >= 0) {
      // Inside a dropped subtree only the names matter, to check the nesting.
      if (!selfClosing) {
        qnames.push(qname);
        nodes.push(null);
        lasts.push(null);
        nss.push(null);
        top++;
      }
      continue;
    }
    const attrSrc = nameEnd < innerEnd ? xml.slice(nameEnd, innerEnd) : '';
    let ns: Map<string, string> | null = null;
    let attrs = NO_ATTRS;
    if (attrSrc) {
      if (attrSrc.includes('xmlns')) {
        const list = parseAttrs(attrSrc);
        for (const a of list) {
          if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) (ns ??= new Map()).set(a.name === 'xmlns' ? '' : a.name.slice(6), a.value);
        }
        attrs = new Attrs(attrSrc, list);
      } else attrs = new Attrs(attrSrc);
    }
    const colon = qname.indexOf(':');
    const localName = colon < 0 ? qname : qname.slice(colon + 1);
    const parent = top;
    qnames.push(qname);
    nss.push(ns);
    top++;
    const namespaceURI = lookup(colon < 0 ? '' : qname.slice(0, colon));
    let key: string | undefined;
    let keep = true;
    let whole = false;
    if (wholeAt < 0) {
      key = filter!.key(namespaceURI, localName);
      keep = !filter!.drop(key, nodes[parent]!.key!, top);
      whole = keep && filter!.whole.has(key);
    }
    let node: XNode | null = null;
    if (keep) {
      node = { nodeType: 1, localName, namespaceURI, firstChild: null, nextSibling: null, attributes: attrs, key };
      const last = lasts[parent];
      if (last) last.nextSibling = node;
      else nodes[parent]!.firstChild = node;
      lasts[parent] = node;
    }
    if (selfClosing) {
      qnames.pop();
      nss.pop();
      top--;
      continue;
    }
    nodes.push(node);
    lasts.push(null);
    if (!keep) dropAt = top;
    else if (whole) wholeAt = top;
  }
  if (top !== 0) throw new Error(`unclosed element <${qnames[top]}>`);
  let r = root.firstChild;
  while (r && r.nodeType !== 1) r = r.nextSibling;
  if (!r) throw new Error('no root element');
  return r;
}
