// The canonical JSON object of a report, keys in the contract's order.
import type { Report } from './report.js';

export function canonical(r: Report): Record<string, unknown> {
  const o: Record<string, unknown> = {
    template: r.template,
    year: r.year,
    agency: r.agency,
    title: r.title,
    publishedAt: r.publishedAt,
    sections: r.sections,
    sectionTitles: r.sectionTitles,
    extraSections: r.extraSections,
    table2: r.table2,
    table3: r.table3,
    table4: r.table4,
    uncertain: r.uncertain,
  };
  if (r.infoProcessingFee !== undefined) o.infoProcessingFee = r.infoProcessingFee;
  if (r.agencyKey !== undefined) o.agencyKey = r.agencyKey;
  return o;
}
