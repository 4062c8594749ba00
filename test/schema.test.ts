// The JSON Schema of the canonical report (src/model/schema.ts) against parser output, broken
// reports and generated reports.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import Ajv2020Module from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { parseFile, GongkaiError } from '../src/index.js';
import { canonical } from '../src/model/canonical.js';
import { cellPaths, emptySections, emptyTables, type Report } from '../src/model/report.js';
import { reportJsonSchema } from '../src/model/schema.js';
import { TABLE2, TABLE3_COLUMNS, TABLE4_COLUMNS, TABLE4_GROUPS, table3Rows, type TemplateId } from '../src/model/template.js';
import { corpusCases } from './helpers.js';
import { clone, reportArb, sampleReport } from './gen.js';

// ajv's CJS default export seen through ESM interop.
const Ajv2020 = ((Ajv2020Module as unknown as { default?: unknown }).default ?? Ajv2020Module) as typeof Ajv2020Module.default;
const ajv = new Ajv2020({ strict: true, allErrors: true });
const validate = ajv.compile(reportJsonSchema());
const errorsOf = () => ajv.errorsText(validate.errors, { separator: '\n' });

const valid = (o: unknown) => validate(o) === true;

describe('schema shape', () => {
  const schema = reportJsonSchema() as Record<string, any>;
  test('draft 2020-12, a union of one variant per template', () => {
    assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
    assert.deepEqual(schema.oneOf.map((v: any) => v.properties.template.const), ['2019', '2021']);
  });

  test('each variant lists exactly the template’s table keys (generated from template.ts)', () => {
    for (const v of schema.oneOf) {
      const t = v.properties.template.const as TemplateId;
      const t2 = v.properties.table2;
      assert.deepEqual(Object.keys(t2.properties), TABLE2[t].map((r) => r.key));
      for (const r of TABLE2[t]) assert.deepEqual(Object.keys(t2.properties[r.key].properties), r.fields.map((f) => f.key));
      const t3 = v.properties.table3;
      assert.deepEqual(Object.keys(t3.properties), table3Rows(t).map((r) => r.key));
      assert.deepEqual(t3.required, table3Rows(t).map((r) => r.key));
      for (const k of Object.keys(t3.properties)) assert.deepEqual(Object.keys(t3.properties[k].properties), [...TABLE3_COLUMNS]);
      assert.equal(t2.additionalProperties, false);
      assert.equal(t3.additionalProperties, false);
    }
    const t4 = schema.$defs.table4;
    assert.deepEqual(Object.keys(t4.properties), [...TABLE4_GROUPS]);
    for (const g of TABLE4_GROUPS) assert.deepEqual(Object.keys(t4.properties[g].properties), [...TABLE4_COLUMNS]);
  });

  test('2019 has no other.noCorrection / other.unpaidFees; 2021 has them', () => {
    const [v19, v21] = schema.oneOf;
    assert.ok(!('other.noCorrection' in v19.properties.table3.properties));
    assert.ok(!('other.unpaidFees' in v19.properties.table3.properties));
    assert.ok('other.noCorrection' in v21.properties.table3.properties);
    assert.ok('other.unpaidFees' in v21.properties.table3.properties);
  });

  test('the schema is plain JSON', () => {
    assert.deepEqual(JSON.parse(JSON.stringify(schema)), schema);
  });
});

describe('(a) parser output of every corpus case validates', () => {
  for (const c of corpusCases()) {
    test(c.id, async (t) => {
      let report: Report;
      try {
        report = (await parseFile(c.source)).report;
      } catch (e) {
        if (e instanceof GongkaiError && e.code === 'unsupported-format') return t.skip(`unsupported format: ${c.source}`);
        throw e;
      }
      const json = JSON.parse(JSON.stringify(canonical(report)));
      assert.ok(valid(json), errorsOf());
      // …also with the "source" key the CLI adds.
      assert.ok(valid({ source: c.source, ...json }), errorsOf());
    });
  }
});

describe('(b) broken reports do not validate', () => {
  const base = (t: TemplateId) => JSON.parse(JSON.stringify(canonical(sampleReport(t, 7)))) as Record<string, any>;

  test('the generated base reports are valid', () => {
    assert.ok(valid(base('2019')), errorsOf());
    assert.ok(valid(base('2021')), errorsOf());
  });

  const cases: [string, TemplateId, (o: Record<string, any>) => void][] = [
    ['a string in a table-3 cell', '2021', (o) => (o.table3.granted.naturalPerson = '3')],
    ['a string in a table-2 cell', '2019', (o) => (o.table2.licensing.change = '+4')],
    ['a decimal count', '2021', (o) => (o.table4.review.upheld = 1.5)],
    ['a decimal 2019 change', '2019', (o) => (o.table2.fees.change = 0.5)],
    ['a wrong column key in table 3', '2021', (o) => { o.table3.granted.natural = o.table3.granted.naturalPerson; delete o.table3.granted.naturalPerson; }],
    ['an extra column in table 3', '2019', (o) => (o.table3.granted.extra = 0)],
    ['an unknown table-3 row', '2021', (o) => (o.table3['denied.other'] = o.table3.granted)],
    ['a 2021-only row in a 2019 report', '2019', (o) => (o.table3['other.noCorrection'] = o.table3['other.other'])],
    ['a missing 2021 row', '2021', (o) => delete o.table3['other.unpaidFees']],
    ['2021 table-2 keys in a 2019 report', '2019', (o) => (o.table2.regulations = { issued: 0, repealed: 0, inForce: 0 })],
    ['2019 table-2 rows in a 2021 report', '2021', (o) => (o.table2.procurement = { projects: 0, amount: 0 })],
    ['a missing table-2 field', '2021', (o) => delete o.table2.fees.amount],
    ['a wrong key in table 4', '2021', (o) => (o.table4.appeal = o.table4.review)],
    ['a table-4 group with a missing column', '2019', (o) => delete o.table4.litigationDirect.pending],
    ['an unknown template', '2021', (o) => (o.template = '2020')],
    ['a year as a string', '2021', (o) => (o.year = '2023')],
    ['a malformed date', '2021', (o) => (o.publishedAt = '2024年1月19日')],
    ['a missing section key', '2021', (o) => delete o.sections.other],
    ['an unknown section key', '2019', (o) => (o.sections.plans = '…')],
    ['an unknown section title key', '2019', (o) => (o.sectionTitles.plans = '六、下步工作计划')],
    ['an extra section without text', '2021', (o) => (o.extraSections = [{ title: '六、下步工作计划' }])],
    ['an uncertain path of another template', '2019', (o) => (o.uncertain = ['table3.other.noCorrection.total'])],
    ['an uncertain entry that is not a path', '2021', (o) => (o.uncertain = [3])],
    ['an unknown top-level key', '2021', (o) => (o.comment = 'x')],
    ['a missing top-level key', '2019', (o) => delete o.uncertain],
    ['infoProcessingFee as a string', '2021', (o) => (o.infoProcessingFee = '0元')],
  ];
  for (const [name, t, mutate] of cases) {
    test(`${name} (${t})`, () => {
      const o = base(t);
      mutate(o);
      assert.equal(valid(o), false, `should not validate: ${name}`);
    });
  }

  test('nulls, a negative 2019 change, decimals in money cells and the optional keys are valid', () => {
    const o19 = base('2019');
    o19.table2.licensing.change = -2;
    o19.table2.procurement.amount = 25.1;
    o19.table3.granted.naturalPerson = null;
    o19.uncertain = ['table3.granted.naturalPerson'];
    o19.agencyKey = null;
    assert.ok(valid(o19), errorsOf());
    const o21 = base('2021');
    o21.table2.fees.amount = 0.35;
    o21.year = null;
    o21.publishedAt = null;
    o21.sections.other = null;
    o21.sectionTitles = {};
    o21.extraSections = [{ title: '七、下步工作计划', text: '' }];
    o21.infoProcessingFee = 100;
    assert.ok(valid(o21), errorsOf());
  });

  test('an empty report of each template (all cells null) validates', () => {
    for (const t of ['2019', '2021'] as const) {
      const r: Report = { template: t, year: null, agency: null, title: null, publishedAt: null, sections: emptySections(), sectionTitles: {}, extraSections: [], ...emptyTables(t), uncertain: cellPaths(t) };
      assert.ok(valid(JSON.parse(JSON.stringify(canonical(r)))), errorsOf());
    }
  });
});

describe('(c) generated reports validate', () => {
  test('random valid reports of both templates', () => {
    fc.assert(
      fc.property(reportArb(), (r) => {
        const json = JSON.parse(JSON.stringify(canonical(clone(r))));
        assert.ok(valid(json), errorsOf());
      }),
      { numRuns: 200 },
    );
  });
});

test('the published schema file equals the schema generated from the template model', async () => {
  const { readFileSync } = await import('node:fs');
  const published = JSON.parse(readFileSync(new URL('../schema/report.schema.json', import.meta.url), 'utf8'));
  assert.deepEqual(published, JSON.parse(JSON.stringify(reportJsonSchema())), 'run `npm run schema` to regenerate schema/report.schema.json');
});
