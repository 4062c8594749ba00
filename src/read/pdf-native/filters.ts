// Stream filters the native reader decodes (§7.4): FlateDecode (with PNG/TIFF predictors),
// ASCIIHexDecode, ASCII85Decode. Anything else (LZW, RunLength, image codecs, Crypt) is refused:
// content streams and CMaps in the reports seen are all Flate, and pdfjs reads the rest.
import { inflateSync } from 'node:zlib';
import { isDict, isName, type PdfDict, type PdfObj } from './lexer.js';
import { unsupported } from './unsupported.js';

/** A decoded stream larger than this is not a page description we want to interpret. */
export const MAX_DECODED_BYTES = 64 * 1024 * 1024;

function flate(data: Uint8Array): Uint8Array {
  try {
    return inflateSync(data, { maxOutputLength: MAX_DECODED_BYTES });
  } catch {
    // pdfjs salvages truncated or corrupt deflate data in its own ways: let it.
    unsupported('corrupt deflate data');
  }
}

function asciiHex(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  let hi = -1;
  for (const c of data) {
    if (c === 0x3e) break;
    const h = c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 55 : c >= 0x61 && c <= 0x66 ? c - 87 : -1;
    if (h < 0) {
      if (c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 0) continue;
      unsupported('bad ASCIIHex data');
    }
    if (hi < 0) hi = h;
    else {
      out.push(hi * 16 + h);
      hi = -1;
    }
  }
  if (hi >= 0) out.push(hi * 16);
  return Uint8Array.from(out);
}

function ascii85(data: Uint8Array): Uint8Array {
  const out: number[] = [];
  const group: number[] = [];
  let i = 0;
  if (data[0] === 0x3c && data[1] === 0x7e) i = 2;
  for (; i < data.length; i++) {
    const c = data[i];
    if (c === 0x7e) break; // "~>"
    if (c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 0) continue;
    if (c === 0x7a && group.length === 0) {
      out.push(0, 0, 0, 0);
      continue;
    }
    if (c < 0x21 || c > 0x75) unsupported('bad ASCII85 data');
    group.push(c - 0x21);
    if (group.length === 5) {
      let v = 0;
      for (const g of group) v = v * 85 + g;
      out.push((v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255);
      group.length = 0;
    }
  }
  if (group.length === 1) unsupported('bad ASCII85 tail');
  if (group.length) {
    const n = group.length;
    while (group.length < 5) group.push(84);
    let v = 0;
    for (const g of group) v = v * 85 + g;
    const bytes = [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
    out.push(...bytes.slice(0, n - 1));
  }
  return Uint8Array.from(out);
}

function num(d: PdfDict | undefined, key: string, dflt: number): number {
  const v = d?.get(key);
  return typeof v === 'number' ? v : dflt;
}

/** Undoes a PNG (10–15) or TIFF (2) predictor (§7.4.4.4). */
function unpredict(data: Uint8Array, parms: PdfDict | undefined): Uint8Array {
  const predictor = num(parms, 'Predictor', 1);
  if (predictor <= 1) return data;
  const colors = num(parms, 'Colors', 1);
  const bpc = num(parms, 'BitsPerComponent', 8);
  const columns = num(parms, 'Columns', 1);
  if (![1, 2, 4, 8, 16].includes(bpc) || colors < 1 || colors > 32 || columns < 1 || columns > 1 << 20) unsupported('bad predictor parameters');
  const bpp = Math.max(1, Math.ceil((colors * bpc) / 8));
  const rowLen = Math.ceil((colors * bpc * columns) / 8);
  if (predictor === 2) {
    if (bpc !== 8) unsupported('TIFF predictor with bits per component other than 8');
    const out = Uint8Array.from(data);
    for (let r = 0; r + rowLen <= out.length; r += rowLen) for (let i = bpp; i < rowLen; i++) out[r + i] = (out[r + i] + out[r + i - bpp]) & 255;
    return out;
  }
  if (predictor < 10 || predictor > 15) unsupported(`predictor ${predictor}`);
  const rows = Math.floor(data.length / (rowLen + 1));
  const out = new Uint8Array(rows * rowLen);
  let prev = new Uint8Array(rowLen);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowLen + 1)];
    const src = data.subarray(r * (rowLen + 1) + 1, (r + 1) * (rowLen + 1));
    const cur = out.subarray(r * rowLen, (r + 1) * rowLen);
    for (let i = 0; i < rowLen; i++) {
      const a = i >= bpp ? cur[i - bpp] : 0;
      const b = prev[i];
      const c = i >= bpp ? prev[i - bpp] : 0;
      let v = src[i];
      switch (type) {
        case 0: break;
        case 1: v += a; break;
        case 2: v += b; break;
        case 3: v += (a + b) >> 1; break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          v += pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default:
          unsupported(`PNG filter type ${type}`);
      }
      cur[i] = v & 255;
    }
    prev = cur;
  }
  return out;
}

/** Applies a stream's /Filter chain. `resolve` dereferences indirect filter names/parameters. */
export function decodeStream(dict: PdfDict, raw: Uint8Array, resolve: (o: PdfObj | undefined) => PdfObj | undefined): Uint8Array {
  let filters = resolve(dict.get('Filter') ?? dict.get('F'));
  let parms = resolve(dict.get('DecodeParms') ?? dict.get('DP'));
  if (filters === undefined || filters === null) return raw;
  if (!Array.isArray(filters)) {
    filters = [filters];
    parms = [parms ?? null];
  }
  const parmList = Array.isArray(parms) ? parms : [];
  let data = raw;
  filters.forEach((f, i) => {
    const name = resolve(f);
    const p = resolve(parmList[i]);
    const parm = isDict(p) ? p : undefined;
    if (isName(name, 'FlateDecode') || isName(name, 'Fl')) data = unpredict(flate(data), parm);
    else if (isName(name, 'ASCIIHexDecode') || isName(name, 'AHx')) data = asciiHex(data);
    else if (isName(name, 'ASCII85Decode') || isName(name, 'A85')) data = ascii85(data);
    else unsupported(`filter ${name instanceof Object && 'name' in name ? (name as { name: string }).name : String(name)}`);
    if (data.length > MAX_DECODED_BYTES) unsupported('stream too large');
  });
  return data;
}
