// The region a body belongs to, read from the front of its name: the first administrative
// division named (省/自治区/市/州/盟/地区/区/县/旗). Null when the name starts with none
// (e.g. a ministry). Heuristic, for grouping only: 兴隆台区兴海街道 → 兴隆台区,
// 朝阳市国资委 → 朝阳市, 江苏省人民政府办公厅 → 江苏省.
const DIVISION = /^(.{1,8}?(?:特别行政区|自治区|自治州|自治县|地区|省|市|州|盟|区|县|旗))/u;
const NOT_REGION = /^(?:中华人民共和国|国务院|中共|国家)/;

export function regionOf(agency: string | null | undefined): string | null {
  if (!agency) return null;
  const name = agency.replace(/\s+/g, '');
  if (NOT_REGION.test(name)) return null;
  const m = DIVISION.exec(name);
  if (!m) return null;
  const r = m[1];
  // "市场监督管理局", "区政府" and the like are not place names.
  if (/^(?:市|区|县|州|省)/.test(r) || r.length < 2) return null;
  return r;
}
