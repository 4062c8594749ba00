// `gongkai parse --explain`: every non-empty cell with its value, raw text and source place —
// "show me exactly which cell".
import { cellPaths, getCell, type ParseResult } from '../model/report.js';
import { pathLabel, type Lang } from '../model/labels.js';
import { formatPlace } from '../read/document.js';

export function explain(source: string, r: ParseResult, lang: Lang): string {
  const rep = r.report;
  const out = [`# ${source}`, `${rep.title ?? '(无标题)'} · ${rep.template} · ${rep.year ?? '?'} · ${r.info.format}${r.info.encoding ? ` · ${r.info.encoding}` : ''}`];
  for (const p of cellPaths(rep.template)) {
    const v = getCell(rep, p);
    const pv = r.provenance.cells[p];
    if (rep.uncertain.includes(p)) {
      out.push(`${p}\t?\t${lang === 'zh' ? '无法确定' : 'uncertain'}\t${pathLabel(p, lang, rep.template)}`);
      continue;
    }
    if (v === null || v === undefined) continue;
    out.push(`${p}\t${v}\t${JSON.stringify(pv?.raw ?? '')}\t${pv ? formatPlace(pv.place) : ''}\t${pathLabel(p, lang, rep.template)}`);
  }
  return out.join('\n');
}
