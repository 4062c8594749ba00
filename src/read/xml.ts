// A small, fast XML parser for OOXML parts, producing the few DOM node fields the DOCX reader
// walks (nodeType, localName, namespaceURI, firstChild, nextSibling, attributes, data).
// xmldom spent ~120 ms on a 200 KB document.xml; this does it in a few ms. It is strict where
// strictness protects the output (unbalanced tags throw) and ignores DTDs (no entity expansion,
// so no billion-laughs).

export interface XAttr {
  name: string;
  localName: string;
  value: string;
}

export interface XNode {
  nodeType: number; // 1 element, 3 text, 4 CDATA
  localName?: string | null;
  namespaceURI?: string | null;
  nodeValue?: string | null;
  data?: string;
  firstChild: XNode | null;
  nextSibling: XNode | null;
  attributes?: { length: number; item(i: number): XAttr | null };
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

class Attrs {
  constructor(readonly list: XAttr[]) {}
  get length(): number {
    return this.list.length;
  }
  item(i: number): XAttr | null {
    return this.list[i] ?? null;
  }
}

interface Open {
  node: XNode;
  last: XNode | null;
  qname: string;
  ns: Map<string, string> | null;
}

const ATTR = /([^\s=/>]+)\s*=\s*("([^"]*)"|'([^']*)')/g;

export function parseXmlFast(xml: string): XNode {
  const root: XNode = { nodeType: 9, firstChild: null, nextSibling: null };
  const stack: Open[] = [{ node: root, last: null, qname: '', ns: new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]) }];
  const lookup = (prefix: string): string | null => {
    for (let i = stack.length - 1; i >= 0; i--) {
      const v = stack[i].ns?.get(prefix);
      if (v !== undefined) return v;
    }
    return null;
  };
  const append = (n: XNode) => {
    const top = stack[stack.length - 1];
    if (top.last) top.last.nextSibling = n;
    else top.node.firstChild = n;
    top.last = n;
  };
  let i = 0;
  const len = xml.length;
  while (i < len) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? len : lt;
    if (textEnd > i && stack.length > 1) {
      const t = decodeEntities(xml.slice(i, textEnd));
      append({ nodeType: 3, data: t, nodeValue: t, firstChild: null, nextSibling: null });
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
        const t = xml.slice(lt + 9, e);
        append({ nodeType: 4, data: t, nodeValue: t, firstChild: null, nextSibling: null });
        i = e + 3;
      } else {
        // <!DOCTYPE …>: skipped, internal subsets included; entities are never expanded.
        let depth = 0;
        let j = lt + 2;
        for (; j < len; j++) {
          const ch = xml[j];
          if (ch === '[') depth++;
          else if (ch === ']') depth--;
          else if (ch === '>' && depth <= 0) break;
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
      const qname = xml.slice(lt + 2, gt).trim();
      const top = stack.pop();
      if (!top || stack.length === 0 || top.qname !== qname) throw new Error(`mismatched closing tag </${qname}>`);
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
    const inner = xml.slice(lt + 1, selfClosing ? end - 1 : end);
    const sp = inner.search(/\s/);
    const qname = sp < 0 ? inner : inner.slice(0, sp);
    const attrs: XAttr[] = [];
    let ns: Map<string, string> | null = null;
    if (sp >= 0) {
      ATTR.lastIndex = sp;
      let m: RegExpExecArray | null;
      while ((m = ATTR.exec(inner))) {
        const name = m[1];
        const value = decodeEntities(m[3] ?? m[4] ?? '');
        if (name === 'xmlns' || name.startsWith('xmlns:')) {
          (ns ??= new Map()).set(name === 'xmlns' ? '' : name.slice(6), value);
        }
        const colon = name.indexOf(':');
        attrs.push({ name, localName: colon < 0 ? name : name.slice(colon + 1), value });
      }
    }
    const colon = qname.indexOf(':');
    const node: XNode = { nodeType: 1, localName: colon < 0 ? qname : qname.slice(colon + 1), namespaceURI: null, firstChild: null, nextSibling: null, attributes: new Attrs(attrs) };
    append(node);
    const entry: Open = { node, last: null, qname, ns };
    stack.push(entry);
    node.namespaceURI = lookup(colon < 0 ? '' : qname.slice(0, colon));
    if (selfClosing) stack.pop();
    i = end + 1;
  }
  if (stack.length !== 1) throw new Error(`unclosed element <${stack[stack.length - 1].qname}>`);
  let r = root.firstChild;
  while (r && r.nodeType !== 1) r = r.nextSibling;
  if (!r) throw new Error('no root element');
  return r;
}
