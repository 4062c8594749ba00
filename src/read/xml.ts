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
    /** `src` is UTF-8 bytes read as Latin-1 (parseXmlBytes). */
    private readonly latin1 = false,
  ) {
    this.parsed = parsed;
  }
  private get list(): XAttr[] {
    return (this.parsed ??= parseAttrs(this.latin1 ? fromLatin1(this.src) : this.src));
  }
  get length(): number {
    return this.list.length;
  }
  item(i: number): XAttr | null {
    return this.list[i] ?? null;
  }
}

const NO_ATTRS = new Attrs('', []);

/** UTF-8 bytes held as a Latin-1 string, decoded. */
function fromLatin1(s: string): string {
  return /[^\x00-\x7f]/.test(s) ? Buffer.from(s, 'latin1').toString('utf8') : s;
}

/**
 * Leading BOM bytes of a UTF-8 part: the text readers work on has lost one BOM to TextDecoder
 * and one more to ZipArchive.readText. The text is empty exactly when nothing follows them.
 */
export function bomBytes(bytes: Uint8Array): number {
  let n = 0;
  for (let k = 0; k < 2; k++) if (bytes[n] === 0xef && bytes[n + 1] === 0xbb && bytes[n + 2] === 0xbf) n += 3;
  return n;
}

/** Thrown where scanning bytes could differ from scanning decoded text: parse the text instead. */
const DECODE_FIRST = new Error('decode first');

/**
 * Parses a UTF-8 XML part without decoding it whole. Markup is ASCII and UTF-8 never uses
 * ASCII bytes inside a multi-byte character, so the bytes read as Latin-1 (one char per
 * byte, ten times cheaper than decoding) have every '<', '>', quote and name where the
 * decoded text has them; only kept text and attribute values are decoded, from boundaries
 * that are ASCII bytes, so they equal slices of the decoded whole. A non-ASCII element name,
 * an odd closing tag or any error sends the part through the decoded text instead, so the
 * result (or the error) is always what parseXmlFast gives for the text.
 */
export function parseXmlBytes(bytes: Uint8Array, filter?: XmlFilter): XNode {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const base = bomBytes(bytes);
  try {
    return parse(buf.toString('latin1', base), filter, buf, base);
  } catch {
    let text = new TextDecoder('utf-8').decode(bytes);
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    return parse(text, filter);
  }
}

/** Whether a char code is matched by the regex class \s (what String.prototype.trim strips). */
function isSpace(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 0xa0) return false;
  return c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/**
 * Where the tag whose attributes start at `from` ends: its first '>' outside quotes, -1 when
 * there is none.
 */
function tagEnd(xml: string, from: number): number {
  const len = xml.length;
  let q = 0; // char code of the open quote, 0 when none
  for (let j = from; j < len; j++) {
    const ch = xml.charCodeAt(j);
    if (q) {
      if (ch === q) q = 0;
    } else if (ch === 34 || ch === 39) q = ch;
    else if (ch === 62) return j;
  }
  return -1;
}

/** Whether `s` occurs in `xml` at `at` (startsWith, without its cost on mixed string kinds). */
function sameAt(xml: string, at: number, s: string): boolean {
  for (let k = 0; k < s.length; k++) if (xml.charCodeAt(at + k) !== s.charCodeAt(k)) return false;
  return true;
}

interface Name {
  qname: string;
  localName: string;
  namespaceURI: string | null;
  key: string | undefined;
}

const XML_NS = new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);

export function parseXmlFast(xml: string, filter?: XmlFilter): XNode {
  return parse(xml, filter);
}

/** `raw`: the UTF-8 bytes `xml` holds as Latin-1 from byte `base` on (parseXmlBytes). */
function parse(xml: string, filter: XmlFilter | undefined, raw?: Buffer, base = 0): XNode {
  const text = (from: number, to: number): string => (raw ? raw.toString('utf8', base + from, base + to) : xml.slice(from, to));
  const latin1 = raw !== undefined;
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
  // Element names resolved under the namespace bindings in force, by a hash of the name
  // (checked against the text); cleared when the bindings change.
  const names = new Map<number, Name>();
  // Names holding '>' (possible only through quotes), which the closing tag's fast check would misread.
  const odd = new Set<string>();
  let i = 0;
  const len = xml.length;
  while (i < len) {
    const lt = xml.indexOf('<', i);
    const textEnd = lt < 0 ? len : lt;
    if (textEnd > i && top > 0 && wholeAt >= 0 && dropAt < 0) {
      append({ nodeType: 3, data: decodeEntities(text(i, textEnd)), firstChild: null, nextSibling: null });
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
        if ((wholeAt >= 0 || top === 0) && dropAt < 0) append({ nodeType: 4, data: text(lt + 9, e), firstChild: null, nextSibling: null });
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
    if (c === 47 /* / */) {
      const open = qnames[top];
      // The usual `</name>` is compared in place; anything else is trimmed first.
      let gt = lt + 2 + open.length;
      if (!(top > 0 && xml.charCodeAt(gt) === 62 && sameAt(xml, lt + 2, open) && !(odd.size && odd.has(open)))) {
        if (latin1) throw DECODE_FIRST; // trim() and the message need the decoded name
        gt = xml.indexOf('>', lt + 1);
        if (gt < 0) throw new Error('unterminated tag');
        const qname = xml.slice(lt + 2, gt).trim();
        if (top === 0 || open !== qname) throw new Error(`mismatched closing tag </${qname}>`);
      }
      if (top === dropAt) dropAt = -1;
      if (top === wholeAt) wholeAt = -1;
      if (nss[top]) names.clear();
      qnames.pop();
      nodes.pop();
      lasts.pop();
      nss.pop();
      top--;
      i = gt + 1;
      continue;
    }
    // The name runs to the first white space; the tag ends at the first '>' outside quotes
    // (attribute values may contain '>'). The common shapes (<name>, <name/>, <name attrs…>)
    // are read in one pass that also hashes the name; anything odd goes the general way.
    let end = -1;
    let nameEnd = lt + 1;
    let hash = 0;
    for (; nameEnd < len; nameEnd++) {
      const ch = xml.charCodeAt(nameEnd);
      if (ch === 62 /* > */) {
        end = nameEnd;
        break;
      }
      if (ch === 32 || (ch >= 9 && ch <= 13)) {
        end = tagEnd(xml, nameEnd);
        break;
      }
      if (ch === 47 /* / */ && xml.charCodeAt(nameEnd + 1) === 62) {
        end = nameEnd + 1;
        break;
      }
      if (ch === 34 || ch === 39 || ch === 47 || ch >= 0x80) break;
      hash = (Math.imul(hash, 31) + ch) | 0;
    }
    let name: Name | undefined;
    if (end >= 0) {
      name = names.get(hash);
      if (name && !(name.qname.length === nameEnd - lt - 1 && sameAt(xml, lt + 1, name.qname))) name = undefined;
    } else {
      if (latin1) throw DECODE_FIRST; // white space and names beyond ASCII need the decoded text
      hash = NaN; // not cached
      const gt = xml.indexOf('>', lt + 1);
      if (gt < 0) throw new Error('unterminated tag');
      end = tagEnd(xml, lt + 1);
      if (end < 0) end = gt;
      const innerEnd = xml.charCodeAt(end - 1) === 47 ? end - 1 : end;
      nameEnd = lt + 1;
      while (nameEnd < innerEnd && !isSpace(xml.charCodeAt(nameEnd))) nameEnd++;
    }
    if (end < 0) {
      // An unclosed quote: the first '>' ends the tag.
      end = xml.indexOf('>', lt + 1);
      if (end < 0) throw new Error('unterminated tag');
    }
    const selfClosing = xml.charCodeAt(end - 1) === 47;
    const innerEnd = selfClosing ? end - 1 : end;
    if (nameEnd > innerEnd) nameEnd = innerEnd;
    const qname = name ? name.qname : xml.slice(lt + 1, nameEnd);
    if (hash !== hash && qname.includes('>')) odd.add(qname);
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
        const list = parseAttrs(latin1 ? fromLatin1(attrSrc) : attrSrc);
        for (const a of list) {
          if (a.name === 'xmlns' || a.name.startsWith('xmlns:')) (ns ??= new Map()).set(a.name === 'xmlns' ? '' : a.name.slice(6), a.value);
        }
        attrs = new Attrs(attrSrc, list);
      } else attrs = new Attrs(attrSrc, null, latin1);
    }
    const parent = top;
    qnames.push(qname);
    nss.push(ns);
    top++;
    if (ns) {
      names.clear();
      name = undefined;
    }
    if (!name) {
      const colon = qname.indexOf(':');
      name = { qname, localName: colon < 0 ? qname : qname.slice(colon + 1), namespaceURI: lookup(colon < 0 ? '' : qname.slice(0, colon)), key: undefined };
      if (hash === hash) names.set(hash, name);
    }
    const { localName, namespaceURI } = name;
    let key: string | undefined;
    let keep = true;
    let whole = false;
    if (wholeAt < 0) {
      key = name.key ??= filter!.key(namespaceURI, localName);
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
      if (ns) names.clear();
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
