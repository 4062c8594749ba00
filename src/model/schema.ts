// JSON Schema (draft 2020-12) of the canonical report (../shared/spec/canonical-json.md),
// generated from the statutory templates in template.ts: no row or column key is written here.
//
// The schema is a discriminated union on `template`: each template has its own table-2 rows
// and fields and its own table-3 rows (the 2019 template has no other.noCorrection /
// other.unpaidFees). Every type is written without union `type` arrays so that Ajv's strict
// mode accepts the schema as is.
import { cellPaths } from './report.js';
import {
  SECTIONS,
  TABLE2,
  TABLE3_COLUMN_LABELS,
  TABLE3_COLUMNS,
  TABLE4_COLUMN_LABELS,
  TABLE4_COLUMNS,
  TABLE4_GROUP_LABELS,
  TABLE4_GROUPS,
  TEMPLATES,
  table3Rows,
  type Table2FieldDef,
  type TemplateId,
} from './template.js';

export const REPORT_SCHEMA_ID = 'urn:gongkai:canonical-report';

const ref = (name: string) => ({ $ref: `#/$defs/${name}` });

const CELL_DEF: Record<Table2FieldDef['kind'], string> = { count: 'count', signed: 'signed', money: 'money' };

/** An object with exactly these keys, all required, no others. */
function closedObject(props: Record<string, object>, extra: Record<string, unknown> = {}): object {
  return { type: 'object', properties: props, required: Object.keys(props), additionalProperties: false, ...extra };
}

function table2Schema(t: TemplateId): object {
  const rows: Record<string, object> = {};
  for (const row of TABLE2[t]) {
    const fields: Record<string, object> = {};
    for (const f of row.fields) fields[f.key] = { ...ref(CELL_DEF[f.kind]), description: `${f.label.zh} / ${f.label.en}` };
    rows[row.key] = closedObject(fields, { description: `第二十条第${row.block}项 ${row.label.zh} / ${row.label.en}` });
  }
  return closedObject(rows, { description: `表二 (template ${t})` });
}

function table3Schema(t: TemplateId): object {
  const cols: Record<string, object> = {};
  for (const c of TABLE3_COLUMNS) cols[c] = { ...ref('count'), description: `${TABLE3_COLUMN_LABELS[c].zh} / ${TABLE3_COLUMN_LABELS[c].en}` };
  const rows: Record<string, object> = {};
  for (const row of table3Rows(t)) rows[row.key] = closedObject(cols, { description: `${row.label.zh} / ${row.label.en}` });
  return closedObject(rows, { description: `表三 (template ${t})` });
}

function table4Schema(): object {
  const cols: Record<string, object> = {};
  for (const c of TABLE4_COLUMNS) cols[c] = { ...ref('count'), description: `${TABLE4_COLUMN_LABELS[c].zh} / ${TABLE4_COLUMN_LABELS[c].en}` };
  const groups: Record<string, object> = {};
  for (const g of TABLE4_GROUPS) groups[g] = closedObject(cols, { description: `${TABLE4_GROUP_LABELS[g].zh} / ${TABLE4_GROUP_LABELS[g].en}` });
  return closedObject(groups, { description: '表四' });
}

function variant(t: TemplateId): object {
  return {
    type: 'object',
    description: t === '2019' ? '国办公开办函〔2019〕60号 format (reports for 2019 and 2020)' : '国办公开办函〔2021〕30号 format (reports for 2021 on)',
    properties: {
      source: { type: 'string', description: 'input path (added by the CLI)' },
      template: { const: t },
      year: ref('year'),
      agency: ref('nullableString'),
      title: ref('nullableString'),
      publishedAt: ref('date'),
      sections: ref('sections'),
      sectionTitles: ref('sectionTitles'),
      extraSections: ref('extraSections'),
      table2: table2Schema(t),
      table3: table3Schema(t),
      table4: ref('table4'),
      uncertain: { type: 'array', uniqueItems: true, items: { enum: cellPaths(t) } },
      infoProcessingFee: ref('money'),
      agencyKey: ref('nullableString'),
    },
    required: ['template', 'year', 'agency', 'title', 'publishedAt', 'sections', 'sectionTitles', 'extraSections', 'table2', 'table3', 'table4', 'uncertain'],
    additionalProperties: false,
  };
}

/** The JSON Schema of one canonical report (what `parse --json` prints). */
export function reportJsonSchema(): object {
  const sectionKeys = SECTIONS.map((s) => s.key);
  const nullableStringProps = (): Record<string, object> => Object.fromEntries(sectionKeys.map((k) => [k, ref('nullableString')]));
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: REPORT_SCHEMA_ID,
    title: '政府信息公开工作年度报告 (canonical JSON)',
    description: 'One annual report, as in canonical-json.md. A cell is an integer count, a decimal amount, or null (blank, placeholder or uncertain).',
    oneOf: TEMPLATES.map(variant),
    $defs: {
      count: { description: 'a count (件); null when blank or uncertain', anyOf: [{ type: 'integer' }, { type: 'null' }] },
      signed: { description: 'a signed count (2019 本年增/减)', anyOf: [{ type: 'integer' }, { type: 'null' }] },
      money: { description: 'an amount (万元 in table 2)', anyOf: [{ type: 'number' }, { type: 'null' }] },
      year: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
      nullableString: { anyOf: [{ type: 'string' }, { type: 'null' }] },
      date: { anyOf: [{ type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' }, { type: 'null' }] },
      sections: closedObject(nullableStringProps(), {
        description: SECTIONS.map((s) => `${s.key}: ${s.title.zh}`).join('; '),
      }),
      sectionTitles: {
        type: 'object',
        properties: Object.fromEntries(sectionKeys.map((k) => [k, { type: 'string' }])),
        additionalProperties: false,
      },
      extraSections: {
        type: 'array',
        items: closedObject({ title: { type: 'string' }, text: { type: 'string' } }),
      },
      table4: table4Schema(),
    },
  };
}
