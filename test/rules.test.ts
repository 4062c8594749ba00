// The rule catalogue (src/check): for every rule, a valid report yields no finding of that rule,
// and a report mutated to break exactly that rule yields a finding with the right id and cell
// paths. Base reports come from the generator (all relations R1–R4 hold).
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { check, RULES, ARITHMETIC_RULES, type Finding } from '../src/check/index.js';
import { cellPaths, emptySections, emptyTables, type ParseResult, type Report } from '../src/model/report.js';
import { SECTIONS, TABLE4_COLUMNS, TABLE4_GROUPS, type TemplateId } from '../src/model/template.js';
import { addRequests, asParseResult, clone, resyncNarrative, sampleReport } from './gen.js';

const TEMPLATES: TemplateId[] = ['2019', '2021'];
const SEEDS = [1, 2, 3, 4, 5, 6];

interface Case {
  rule: string;
  name: string;
  templates?: TemplateId[];
  /** Optional set-up that keeps the report valid (applied to both the valid and the broken report). */
  prepare?: (r: Report) => void;
  /** Breaks the rule. */
  mutate: (r: Report, res: ParseResult) => void;
  /** Paths the finding must name ([] for whole-report findings). */
  paths: (r: Report) => string[];
  /** Every rule that may fire on the broken report (default: the rule alone). */
  alsoFires?: string[];
}

const CASES: Case[] = [
  {
    rule: 'table3-balance',
    name: '结转下年度 one more than 一 + 二 − 三(七) allows',
    mutate: (r) => {
      r.table3.carriedForward.naturalPerson! += 1;
      r.table3.carriedForward.total! += 1;
    },
    paths: () => ['newReceived', 'carriedOver', 'totalHandled', 'carriedForward'].map((k) => `table3.${k}.naturalPerson`),
  },
  {
    rule: 'table3-outcome-sum',
    name: '（一）予以公开 grows without 三(七)',
    mutate: (r) => {
      r.table3.granted.commercial! += 2;
      r.table3.granted.total! += 2;
    },
    paths: () => ['table3.totalHandled.commercial', 'table3.granted.commercial'],
  },
  {
    rule: 'table3-row-total',
    name: 'a request moved between two outcome rows in one column only',
    prepare: (r) => addRequests(r, 'partiallyGranted', 'research', 1),
    mutate: (r) => {
      // Column sums (R1, R2) still hold; the 总计 of both rows is now wrong.
      r.table3.partiallyGranted.research! -= 1;
      r.table3.granted.research! += 1;
    },
    paths: () => ['table3.granted.total', 'table3.partiallyGranted.total'],
  },
  {
    rule: 'table3-row-total',
    name: 'a blank 总计 with non-zero parts',
    prepare: (r) => addRequests(r, 'denied.processInfo', 'naturalPerson', 3),
    // Blank counts as 0, so 三(七)'s 总计 no longer adds up either (R2 on the total column).
    mutate: (r) => (r.table3['denied.processInfo'].total = null),
    paths: () => ['table3.denied.processInfo.total'],
    alsoFires: ['table3-outcome-sum'],
  },
  {
    rule: 'table4-total',
    name: '结果维持 grows without 总计',
    mutate: (r) => (r.table4.review.upheld! += 1),
    paths: () => ['table4.review.total', 'table4.review.upheld'],
  },
  {
    rule: 'table4-total',
    name: 'a wrong 总计 of 复议后起诉',
    mutate: (r) => {
      r.table4.litigationAfterReview.total! += 2;
      resyncNarrative(r); // the text follows the table: only the arithmetic is wrong
    },
    paths: () => ['table4.litigationAfterReview.total'],
  },
  {
    rule: 'count-values',
    name: 'a negative count in table 2',
    mutate: (r) => (r.table2.licensing.decisions = -3),
    paths: () => ['table2.licensing.decisions'],
  },
  {
    rule: 'count-values',
    name: 'a decimal count in table 2',
    mutate: (r) => (r.table2.punishment.decisions = 2.5),
    paths: () => ['table2.punishment.decisions'],
  },
  {
    rule: 'count-values',
    name: 'a negative fee amount (2021)',
    templates: ['2021'],
    mutate: (r) => (r.table2.fees.amount = -0.5),
    paths: () => ['table2.fees.amount'],
  },
  {
    rule: 'count-values',
    name: 'a negative procurement amount (2019)',
    templates: ['2019'],
    mutate: (r) => (r.table2.procurement.amount = -1),
    paths: () => ['table2.procurement.amount'],
  },
  {
    rule: 'count-values',
    name: 'a decimal 本年增/减 (2019)',
    templates: ['2019'],
    mutate: (r) => (r.table2.enforcement.change = 1.5),
    paths: () => ['table2.enforcement.change'],
  },
  {
    rule: 'count-values',
    name: 'a decimal count in table 4 (its group still adds up)',
    mutate: (r) => {
      r.table4.review.other! += 0.5;
      r.table4.review.total! += 0.5;
      resyncNarrative(r);
    },
    paths: () => ['table4.review.other', 'table4.review.total'],
  },
  {
    rule: 'table2-sanity',
    name: '本年新公开数量 above 对外公开总数量 (2019)',
    templates: ['2019'],
    mutate: (r) => (r.table2.normativeDocuments.published = (r.table2.normativeDocuments.total ?? 0) + 1),
    paths: () => ['table2.normativeDocuments.published', 'table2.normativeDocuments.total'],
  },
  {
    rule: 'table2-sanity',
    name: 'a county bureau reports new 规章',
    mutate: (r) => {
      r.agency = '安平县交通运输局';
      if (r.template === '2021') r.table2.regulations.issued = 2;
      else r.table2.regulations.made = 2;
    },
    paths: (r) => [r.template === '2021' ? 'table2.regulations.issued' : 'table2.regulations.made'],
  },
  {
    rule: 'table2-sanity',
    name: 'yuan in a 万元 column',
    mutate: (r) => {
      if (r.template === '2021') r.table2.fees.amount = 25_100_000;
      else r.table2.procurement.amount = 25_100_000;
    },
    paths: (r) => [r.template === '2021' ? 'table2.fees.amount' : 'table2.procurement.amount'],
  },
  {
    rule: 'template-year',
    name: 'a report of the other template’s years',
    mutate: () => {},
    paths: () => [],
  },
  {
    rule: 'template-year',
    name: 'a report for a year before the unified format',
    mutate: () => {},
    paths: () => [],
  },
  {
    rule: 'tables-present',
    name: 'table 3 not found',
    mutate: (_r, res) => (res.found.table3 = false),
    paths: () => [],
  },
  {
    rule: 'tables-present',
    name: 'no table found at all',
    mutate: (_r, res) => (res.found = { table2: false, table3: false, table4: false }),
    paths: () => [],
  },
  {
    rule: 'sections-present',
    name: 'section 四 missing',
    mutate: (r) => {
      r.sections.reviewLitigation = null;
      delete r.sectionTitles.reviewLitigation;
    },
    paths: () => [],
  },
  {
    rule: 'sections-present',
    name: 'an empty 存在的主要问题 part',
    mutate: (r) => (r.sections.problems = ''),
    paths: () => [],
  },
  {
    rule: 'sections-present',
    name: 'an added non-statutory part',
    mutate: (r) => r.extraSections.push({ title: '七、下步工作计划', text: '继续做好政务公开工作。' }),
    paths: () => [],
  },
  {
    rule: 'report-year',
    name: 'the statistical period names the previous year',
    mutate: (r) => (r.sections.overview = r.sections.overview!.replace(`统计期限自${r.year}年`, `统计期限自${r.year! - 1}年`)),
    paths: () => [],
  },
  {
    rule: 'report-year',
    name: 'the preamble’s statistical period names another year',
    mutate: (r, res) => {
      res.preamble = `报告所列数据的统计期限自${r.year! + 1}年1月1日起至${r.year! + 1}年12月31日止。`;
      r.sections.overview = r.sections.overview!.replace(/报告所列数据的统计期限[^。]*。/, '');
    },
    paths: () => [],
  },
  {
    rule: 'report-year',
    name: 'the text names a year after the publication year',
    mutate: (r) => (r.sections.problems += `\n计划于${r.year! + 3}年完成平台改版。`),
    paths: () => [],
  },
  {
    rule: 'report-year',
    name: 'the overview opens with last year',
    mutate: (r) => (r.sections.overview = `${r.year! - 1}年，我局认真贯彻落实《条例》。\n` + r.sections.overview),
    paths: () => [],
  },
  {
    rule: 'report-year',
    name: 'no year at all',
    mutate: (r) => (r.year = null),
    paths: () => [],
  },
  {
    rule: 'narrative-tables',
    name: 'the text states another number of requests',
    mutate: (r) => {
      const n = r.table3.newReceived.total!;
      r.sections.overview = r.sections.overview!.replace(/本年度(?:共收到政府信息公开申请\d+件|未收到政府信息公开申请)/, `本年度共收到政府信息公开申请${n + 1}件`);
    },
    paths: () => ['table3.newReceived.total'],
  },
  {
    rule: 'narrative-tables',
    name: '“no requests received” with requests in table 3',
    prepare: (r) => addRequests(r, 'granted', 'naturalPerson', 1),
    mutate: (r) => (r.sections.requests += '本年度未收到政府信息公开申请。'),
    paths: () => ['table3.newReceived.total'],
  },
  {
    rule: 'narrative-tables',
    name: '“no review or litigation” with cases in table 4',
    prepare: (r) => {
      r.table4.litigationDirect.corrected! += 1;
      r.table4.litigationDirect.total! += 1;
      resyncNarrative(r);
    },
    mutate: (r) => (r.sections.reviewLitigation = '本年度未发生行政复议、行政诉讼案件。'),
    paths: () => ['table4.litigationDirect.total'],
  },
  {
    rule: 'fees-statement',
    name: 'section 六 silent on 信息处理费 (2021)',
    templates: ['2021'],
    mutate: (r) => (r.sections.other = '无。'),
    paths: () => [],
  },
  {
    rule: 'publication-deadline',
    name: 'a department report published in February',
    mutate: (r) => (r.publishedAt = `${r.year! + 1}-02-15`),
    paths: () => [],
  },
  {
    rule: 'publication-deadline',
    name: 'published before the period ended',
    mutate: (r) => (r.publishedAt = `${r.year}-11-30`),
    paths: () => [],
  },
  {
    rule: 'title-format',
    name: '工作报告 for 年度报告',
    mutate: (r) => (r.title = `${r.agency}${r.year}年政府信息公开工作报告`),
    paths: () => [],
  },
  {
    rule: 'title-format',
    name: 'no title',
    mutate: (r) => (r.title = null),
    paths: () => [],
  },
  {
    rule: 'uncertain-cells',
    name: 'two cells left uncertain',
    mutate: (r) => {
      r.table3.granted.naturalPerson = null;
      r.table4.review.total = null;
      r.uncertain = ['table3.granted.naturalPerson', 'table4.review.total'];
    },
    paths: () => ['table3.granted.naturalPerson', 'table4.review.total'],
  },
];

// Two cases need their own base: the year decides the template expected.
const BASE_OPTIONS: Record<string, (t: TemplateId) => { year: number }> = {
  'a report of the other template’s years': (t) => ({ year: t === '2019' ? 2022 : 2020 }),
  'a report for a year before the unified format': () => ({ year: 2018 }),
};

function base(t: TemplateId, seed: number, c?: Case): Report {
  const opts = c && BASE_OPTIONS[c.name] ? BASE_OPTIONS[c.name](t) : {};
  return sampleReport(t, seed, opts);
}

const firing = (fs: Finding[]) => [...new Set(fs.map((f) => f.ruleId))].sort();

describe('the catalogue', () => {
  test('every rule has an id, a severity, a zh+en title and doc', () => {
    const ids = new Set<string>();
    for (const r of RULES) {
      assert.match(r.id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
      assert.ok(!ids.has(r.id), `duplicate id ${r.id}`);
      ids.add(r.id);
      assert.ok(['error', 'warning', 'info'].includes(r.severity), r.id);
      for (const k of ['title', 'doc'] as const) {
        assert.ok(r[k].zh.trim().length > 0, `${r.id} ${k}.zh`);
        assert.ok(r[k].en.trim().length > 0, `${r.id} ${k}.en`);
        assert.match(r[k].zh, /[\u4e00-\u9fff]/, `${r.id} ${k}.zh is Chinese`);
        assert.match(r[k].en, /^[\x20-\x7e\u2018-\u201d\u2013\u2014…（）〔〕\u3000-\u303f\u4e00-\u9fff]+$/, `${r.id} ${k}.en is English`);
      }
      assert.equal(typeof r.check, 'function');
    }
    for (const a of ARITHMETIC_RULES) assert.ok(ids.has(a), `arithmetic rule ${a} is in the catalogue`);
  });

  test('every rule has at least one valid/invalid case here', () => {
    const covered = new Set(CASES.map((c) => c.rule));
    assert.deepEqual(RULES.map((r) => r.id).filter((id) => !covered.has(id)), []);
  });
});

describe('generated valid reports: no findings at all', () => {
  for (const t of TEMPLATES) {
    test(`template ${t}`, () => {
      for (const seed of SEEDS) {
        const r = base(t, seed);
        const fs = check(asParseResult(r));
        assert.deepEqual(fs.map((f) => `${f.ruleId}: ${f.message.en}`), [], `seed ${seed}`);
      }
    });
  }
});

describe('each rule: valid → no finding, broken → a finding with its paths', () => {
  for (const c of CASES) {
    for (const t of c.templates ?? TEMPLATES) {
      test(`${c.rule} · ${c.name} · ${t}`, () => {
        const rule = RULES.find((r) => r.id === c.rule);
        assert.ok(rule, `rule ${c.rule} exists`);
        for (const seed of SEEDS) {
          const valid = base(t, seed, c);
          c.prepare?.(valid);
          const validFindings = check(asParseResult(clone(valid)), { rules: [rule] });
          // The template-year bases are valid for everything else but the template/year pair.
          if (!BASE_OPTIONS[c.name]) assert.deepEqual(validFindings, [], `seed ${seed}: the valid report has no ${c.rule} finding`);

          const broken = clone(valid);
          const res = asParseResult(broken);
          c.mutate(broken, res);
          const fs = check(res);
          const mine = fs.filter((f) => f.ruleId === c.rule);
          assert.ok(mine.length > 0, `seed ${seed}: ${c.rule} fires`);
          for (const f of mine) {
            assert.ok(f.message.zh && f.message.en, 'a message in both languages');
            assert.ok(['error', 'warning', 'info'].includes(f.severity));
          }
          const want = c.paths(broken);
          if (want.length === 0) assert.ok(mine.some((f) => f.paths.length === 0), `seed ${seed}: a whole-report finding`);
          else for (const p of want) assert.ok(mine.some((f) => f.paths.includes(p)), `seed ${seed}: a finding names ${p}; got ${JSON.stringify(mine.map((f) => f.paths))}`);
          // Exactly this rule is broken (the two template-year bases also break nothing else).
          const allowed = new Set([c.rule, ...(c.alsoFires ?? [])]);
          const others = firing(fs).filter((id) => !allowed.has(id));
          assert.deepEqual(others, [], `seed ${seed}: only ${c.rule} fires; also got ${others.map((id) => fs.find((f) => f.ruleId === id)!.message.en).join(' | ')}`);
        }
      });
    }
  }
});

describe('finding details', () => {
  test('R1 names every column it breaks, with all four rows', () => {
    const r = base('2021', 3);
    r.table3.carriedForward.legal! += 1;
    r.table3.carriedForward.total! += 1;
    const fs = check(asParseResult(r)).filter((f) => f.ruleId === 'table3-balance');
    assert.deepEqual(fs.map((f) => f.paths), ['legal', 'total'].map((c) => ['newReceived', 'carriedOver', 'totalHandled', 'carriedForward'].map((k) => `table3.${k}.${c}`)));
    assert.ok(fs.every((f) => f.severity === 'error'));
  });

  test('uncertain cells are skipped by the arithmetic rules', () => {
    const r = base('2019', 2);
    r.table3.granted.naturalPerson! += 5; // breaks R2 and R3 …
    r.uncertain = ['table3.granted.naturalPerson']; // … unless the cell is uncertain
    const ids = firing(check(asParseResult(r)));
    assert.deepEqual(ids, ['uncertain-cells']);
  });

  test('the place of a finding comes from the provenance of its first path', () => {
    const r = base('2021', 4);
    r.table4.review.upheld! += 1;
    const res = asParseResult(r);
    res.provenance.cells['table4.review.total'] = { raw: '0', place: { line: 42, column: 7 } };
    const f = check(res).find((x) => x.ruleId === 'table4-total')!;
    assert.deepEqual(f.place, { line: 42, column: 7 });
  });

  test('only the rules asked for are run', () => {
    const r = base('2021', 1);
    r.title = null;
    r.table4.review.upheld! += 1;
    const only = RULES.filter((x) => x.id === 'table4-total');
    assert.deepEqual(firing(check(asParseResult(r), { rules: only })), ['table4-total']);
  });
});

describe('check() on odd input', () => {
  const crashes = (fs: Finding[]) => fs.filter((f) => /规则执行出错|The rule failed/.test(f.message.en + f.message.zh));

  function empty(t: TemplateId): Report {
    return { template: t, year: null, agency: null, title: null, publishedAt: null, sections: emptySections(), sectionTitles: {}, extraSections: [], ...emptyTables(t), uncertain: [] };
  }

  for (const t of TEMPLATES) {
    test(`all-null tables, no year, no title, no sections (${t})`, () => {
      const fs = check({ ...asParseResult(empty(t)), found: { table2: false, table3: false, table4: false } });
      assert.deepEqual(crashes(fs), []);
      assert.ok(fs.some((f) => f.ruleId === 'tables-present'));
      assert.ok(fs.some((f) => f.ruleId === 'sections-present'));
      assert.ok(!fs.some((f) => ARITHMETIC_RULES.has(f.ruleId)), 'blank tables add up');
    });

    test(`every cell uncertain (${t})`, () => {
      const r = empty(t);
      r.uncertain = cellPaths(t);
      const fs = check(asParseResult(r));
      assert.deepEqual(crashes(fs), []);
      const u = fs.find((f) => f.ruleId === 'uncertain-cells')!;
      assert.deepEqual(u.paths, cellPaths(t));
    });

    test(`a generated report with the year removed and nulls sprinkled (${t})`, () => {
      for (const seed of SEEDS) {
        const r = base(t, seed);
        r.year = null;
        r.publishedAt = null;
        r.agency = null;
        for (const [i, p] of cellPaths(t).entries()) if (i % 3 === seed % 3) {
          const [table, ...rest] = p.split('.');
          const c = rest.pop()!;
          (r as any)[table][rest.join('.')][c] = null;
        }
        assert.deepEqual(crashes(check(asParseResult(r))), []);
      }
    });
  }

  test('malformed reports: missing tables, rows and sections do not throw', () => {
    const r = empty('2021') as any;
    r.table3 = {};
    r.table2 = { regulations: {} };
    r.table4 = { review: { total: 3 } };
    r.sections = {};
    r.sectionTitles = { other: '六、其他需要报告的事项' };
    r.year = Number.NaN;
    r.publishedAt = 'not a date';
    const res: ParseResult = asParseResult(r);
    assert.doesNotThrow(() => check(res));
    res.provenance = { cells: {}, sections: {} };
    assert.doesNotThrow(() => check(res, { previous: empty('2021') }));
  });

  test('a report whose template disagrees with its table keys does not throw', () => {
    const r = base('2021', 5);
    r.template = '2019';
    assert.doesNotThrow(() => check(asParseResult(r)));
    assert.deepEqual(crashes(check(asParseResult(r))), []);
  });

  test('every section missing but titles present', () => {
    const r = base('2019', 1);
    for (const s of SECTIONS) r.sections[s.key] = null;
    const fs = check(asParseResult(r));
    assert.deepEqual(crashes(fs), []);
    assert.ok(fs.some((f) => f.ruleId === 'sections-present' && f.severity === 'warning'));
  });

  test('table-4 columns are all covered by the catalogue’s arithmetic', () => {
    // A sanity check that the table-4 rule reads every column of every group.
    for (const g of TABLE4_GROUPS) for (const c of TABLE4_COLUMNS.filter((x) => x !== 'total')) {
      const r = base('2021', 2);
      r.table4[g][c]! += 1;
      const f = check(asParseResult(r)).find((x) => x.ruleId === 'table4-total');
      assert.ok(f && f.paths.includes(`table4.${g}.${c}`), `${g}.${c}`);
    }
  });

  test('every table-3 row is covered by R3', () => {
    for (const t of TEMPLATES) {
      const r = base(t, 1);
      for (const row of Object.keys(r.table3)) {
        const b = clone(r);
        b.table3[row].total! += 1;
        const f = check(asParseResult(b), { rules: RULES.filter((x) => x.id === 'table3-row-total') });
        assert.deepEqual(f.map((x) => x.paths[0]), [`table3.${row}.total`], `${t} ${row}`);
      }
    }
  });
});
