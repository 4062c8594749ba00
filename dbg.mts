import { parseFile } from '/work/main/src/index.ts';
import { check } from '/work/main/src/check/index.ts';
const r = await parseFile(process.argv[2]);
const rep = r.report;
console.log(rep.template, rep.year, rep.agency, rep.title, rep.publishedAt, JSON.stringify(rep.sectionTitles), rep.extraSections.map(e=>e.title), r.found, r.info);
if (process.argv[3]) { console.log(JSON.stringify(rep.table2)); console.log(JSON.stringify(rep.table4)); for (const [k,v] of Object.entries(rep.table3)) console.log(k, Object.values(v).join(' ')); console.log('uncertain', rep.uncertain.length, rep.uncertain.slice(0,10)); }
if (process.argv[4]) for (const f of check(r)) console.log(f.ruleId, f.severity, f.message.zh);
