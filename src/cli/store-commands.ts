// Store commands of the `gongkai` CLI: import, reparse, list, findings, stats, sum, coverage,
// compare, export, review. Thin: the work is in src/store and src/analyze.
import { Command, Option } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseBytes, parseFile } from '../index.js';
import { toGongkaiError } from '../errors.js';
import { cellPaths, getCell, type Report } from '../model/report.js';
import { SECTIONS, TABLE3_COLUMNS, TABLE3_COLUMN_LABELS, TABLE3_ROWS, TABLE4_COLUMNS, TABLE4_COLUMN_LABELS, TABLE4_GROUP_LABELS, TABLE4_GROUPS } from '../model/template.js';
import { expandInputs } from './files.js';
import { jobsOption } from './jobs-option.js';
import { readInput } from '../parse-pool.js';
import { Store, StoreError, withStore, applyDecisions, decisionKeyOf, type AliasChange, type ImportOutcome, type OpenOptions, type StoredReport } from '../store/index.js';
import { coverage, expectedUnitsFromCsv, regionScope, stats, sumBy, SUM_BY, type SumBy, type SumGroup } from '../analyze/aggregate.js';
import { builtinDivisionsFile, builtinRegionRows, BUILTIN_DIVISIONS_SOURCE, inferDivision, RegionFormatError, regionsFromRows, type RegionRow } from '../analyze/region.js';
import { readTableFile } from '../store/table-file.js';
import { compareReports } from '../analyze/compare.js';

type Lang = 'zh' | 'en';
interface Common {
  db?: string;
  lang: Lang;
}

const out = (s: string) => process.stdout.write(s);
const err = (s: string) => process.stderr.write(s);
const t = (lang: Lang, zh: string, en: string) => (lang === 'zh' ? zh : en);

function common(cmd: Command): Command {
  return cmd
    .option('--db <file>', `SQLite 数据库文件（默认 ./gongkai.db；设置 DATABASE_URL 时使用 PostgreSQL） / SQLite database file (default ./gongkai.db; PostgreSQL when DATABASE_URL is set)`)
    .addOption(new Option('--lang <lang>', '提示语言 / message language').choices(['zh', 'en']).default('zh'));
}

function openOpts(o: Common): OpenOptions {
  return { db: o.db };
}

/** Opens the store, says where it is (stderr), runs fn. */
async function using<T>(o: Common, fn: (s: Store) => Promise<T>): Promise<T> {
  return withStore(openOpts(o), async (s) => {
    err(`${t(o.lang, '数据库', 'database')}: ${s.location}\n`);
    return fn(s);
  });
}

function intArg(v: string, what: string): number {
  if (!/^\d+$/.test(v)) throw new StoreError('bad-argument', { zh: `${what}应为整数：${v}`, en: `${what} must be an integer: ${v}` });
  return Number(v);
}

// ---------------------------------------------------------------- text tables

function width(s: string): number {
  let w = 0;
  for (const ch of s) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[\u{20000}-\u{3fffd}]/u.test(ch) ? 2 : 1;
  return w;
}
function pad(s: string, w: number, right = false): string {
  const p = ' '.repeat(Math.max(0, w - width(s)));
  return right ? p + s : s + p;
}
export function renderTable(header: string[], rows: string[][]): string {
  const ws = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const num = (c: string) => /^[-+]?[\d.,%∅—]+$/.test(c);
  const line = (r: string[]) => r.map((c, i) => pad(c ?? '', ws[i], num(c ?? ''))).join('  ').trimEnd();
  return [line(header), ws.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n') + '\n';
}

const rowLabel = (key: string, lang: Lang) => {
  const def = TABLE3_ROWS.find((r) => r.key === key);
  return def ? (lang === 'zh' ? def.label.zh.replace(/政府信息公开申请数量$/, '') : def.label.en) : key;
};

// ---------------------------------------------------------------- commands

let pipeGuard = false;

export function registerStoreCommands(program: Command): void {
  if (!pipeGuard) {
    // `gongkai stats | head`: a closed pipe ends the output quietly, not with a stack trace.
    pipeGuard = true;
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0);
      throw e;
    });
  }
  common(
    program
      .command('import')
      .description('读取、核查报告并存入数据库（按内容去重，可中断后续传） / parse, check and store reports (deduplicated by content, resumable)')
      .argument('<inputs...>', '文件、目录或 - / files, directories or -')
      .option('--json', '以 JSON 输出汇总 / print the summary as JSON')
      .addOption(jobsOption()),
  ).action(async (inputs: string[], o: Common & { json?: boolean; jobs?: number }) => {
    const files = expandInputs(inputs);
    await using(o, async (s) => {
      const tty = !!process.stderr.isTTY;
      const t0 = Date.now();
      const counts = { imported: 0, duplicates: 0, failed: 0 };
      const failures: { source: string; code: string; message: string }[] = [];
      const readStdin = async (input: string) => {
        if (input !== '-') return readInput(input);
        try {
          return readFileSync(0);
        } catch (e) {
          throw toGongkaiError(e, '-');
        }
      };
      let i = 0;
      try {
        for await (const r of s.importFiles(files, { jobs: o.jobs, read: readStdin })) {
          i++;
          if (r.status === 'imported') counts.imported++;
          else if (r.status === 'duplicate') counts.duplicates++;
          else {
            counts.failed++;
            failures.push({ source: r.source, code: r.error.code, message: r.error.text[o.lang] });
            if (tty) err('\r\x1b[K');
            err(`${r.source}: [${r.error.code}] ${r.error.text[o.lang]}\n`);
          }
          if (tty) {
            const secs = Math.max(0.001, (Date.now() - t0) / 1000);
            const rate = i / secs;
            const eta = Math.round((files.length - i) / rate);
            err(`\r\x1b[K${i}/${files.length}  ${rate.toFixed(1)}/s  ETA ${eta}s`);
          }
        }
      } catch (e) {
        // The database failed (full disk, server gone): what is stored so far stays; say how far it got.
        const f = files[i] ?? files[files.length - 1];
        if (tty) err('\n');
        err(t(o.lang, `导入中断于 ${f}（第 ${i + 1}/${files.length} 个文件）；此前已导入 ${counts.imported} 份。\n`, `import stopped at ${f} (file ${i + 1} of ${files.length}); ${counts.imported} imported before.\n`));
        throw e;
      }
      if (tty) err('\n');
      // Some files failed: exit 1 (the summary is still printed).
      if (counts.failed > 0) process.exitCode = Math.max(1, typeof process.exitCode === 'number' ? process.exitCode : 0);
      if (o.json) {
        out(JSON.stringify({ database: s.location, files: files.length, ...counts, failures }, null, 2) + '\n');
        return;
      }
      out(`已导入 ${counts.imported} 份，跳过重复 ${counts.duplicates} 份，失败 ${counts.failed} 份。\n`);
      out(`imported ${counts.imported}, skipped ${counts.duplicates} duplicates, ${counts.failed} failed\n`);
    });
  });

  common(
    program
      .command('reparse')
      .description('用当前解析器重新解析版本不同的已存报告 / re-parse stored sources whose parser version differs')
      .option('--all', '全部重新解析 / re-parse every stored report'),
  ).action(async (o: Common & { all?: boolean }) => {
    await using(o, async (s) => {
      const tty = !!process.stderr.isTTY;
      const r = await s.reparse({ all: o.all, onProgress: tty ? (d, n) => err(`\r\x1b[K${d}/${n}`) : undefined });
      if (tty) err('\n');
      for (const f of r.failed) err(`#${f.id} ${f.source}: [${f.error.code}] ${f.error.text[o.lang]}\n`);
      out(`已重新解析 ${r.reparsed} 份，失败 ${r.failed.length} 份。\nre-parsed ${r.reparsed}, ${r.failed.length} failed\n`);
    });
  });

  common(
    program
      .command('recheck')
      .description('重新运行跨报告核查（上年结转、表二现行有效件数、叙述重复、重复入库）并重新关联地区 / re-run the cross-report checks (carry-over, table2-stock, narrative-repetition, duplicate-report) and the region links')
      .option('--json', 'JSON 输出 / JSON output'),
  ).action(async (o: Common & { json?: boolean }) => {
    await using(o, async (s) => {
      const tty = !!process.stderr.isTTY;
      const r = await s.recheck({ onProgress: tty ? (d, n) => err(`\r\x1b[K${d}/${n}`) : undefined });
      if (tty) err('\n');
      if (o.json) return void out(JSON.stringify(r, null, 2) + '\n');
      out(`已重新核查 ${r.checked} 份，核查结果有变化 ${r.changed} 份。\nre-checked ${r.checked}, findings changed for ${r.changed}\n`);
    });
  });

  registerRegionCommands(program);
  registerAgencyCommands(program);

  common(
    program
      .command('list')
      .description('列出已存报告 / list stored reports')
      .option('--year <year>', '只列该年度 / only this year')
      .option('--json', 'JSON 输出 / JSON output'),
  ).action(async (o: Common & { year?: string; json?: boolean }) => {
    await using(o, async (s) => {
      const rows = await s.list(o.year ? { year: intArg(o.year, '年度 / year') } : {});
      const brief = rows.map((r) => ({ id: r.id, agency: r.agency, agencyKey: r.agencyKey, year: r.year, template: r.template, publishedAt: r.publishedAt, region: r.region, errors: r.findings.filter((f) => f.severity === 'error').length, fileName: r.fileName, hash: r.hash, parserVersion: r.parserVersion }));
      if (o.json) return void out(JSON.stringify(brief, null, 2) + '\n');
      out(renderTable(['id', t(o.lang, '机关', 'agency'), t(o.lang, '年度', 'year'), t(o.lang, '格式', 'template'), t(o.lang, '发布日期', 'published'), t(o.lang, '错误', 'errors'), t(o.lang, '文件', 'file')], brief.map((b) => [String(b.id), b.agency ?? '', String(b.year ?? ''), b.template, b.publishedAt ?? '', String(b.errors), b.fileName])));
    });
  });

  common(
    program
      .command('findings')
      .description('列出一份已存报告的核查结果及审核决定 / show a stored report’s findings with reviewer decisions')
      .argument('<reportId>', '报告编号 / report id')
      .option('--json', 'JSON 输出 / JSON output'),
  ).action(async (id: string, o: Common & { json?: boolean }) => {
    await using(o, async (s) => {
      const { report, findings } = await s.reviewedFindings(intArg(id, '报告编号 / report id'));
      if (o.json) return void out(JSON.stringify({ id: report.id, agency: report.agency, year: report.year, findings }, null, 2) + '\n');
      out(`#${report.id} ${report.report.title ?? report.agency ?? ''} (${report.year ?? '?'})\n`);
      if (!findings.length) out(t(o.lang, '  ✔ 未发现问题\n', '  ✔ no problems found\n'));
      for (const f of findings) {
        const mark = f.severity === 'error' ? '✖' : f.severity === 'warning' ? '⚠' : 'ℹ';
        const d = f.decision ? `  [${f.decision.decision === 'confirmed' ? t(o.lang, '已确认', 'confirmed') : t(o.lang, '已驳回', 'dismissed')}${f.decision.comment ? `: ${f.decision.comment}` : ''}]` : '';
        out(`  ${mark} ${f.message[o.lang]}  (${f.ruleId}${f.paths.length ? ` ${f.paths[0]}${f.paths.length > 1 ? ` +${f.paths.length - 1}` : ''}` : ''})${d}\n`);
      }
    });
  });

  common(
    program
      .command('stats')
      .description('数据库统计：报告数、按年度/格式计数、各规则错误率、申请量最多的机关 / store statistics')
      .option('--top <n>', '列出前 N 个机关 / top N agencies', '10')
      .option('--json', 'JSON 输出 / JSON output'),
  ).action(async (o: Common & { json?: boolean; top: string }) => {
    await using(o, async (s) => {
      const decisions = await s.allDecisions();
      const reports = (await s.list()).map((r) => ({ ...r, reviewed: applyDecisions(r.findings, decisions.filter((d) => { const k = decisionKeyOf(r); return d.agencyKey === k.agencyKey && d.year === k.year; })) }));
      const st = stats(reports, intArg(o.top, 'top'));
      if (o.json) return void out(JSON.stringify(st, null, 2) + '\n');
      const L = o.lang;
      out(`${t(L, '报告', 'reports')}: ${st.reports}\n\n`);
      out(renderTable([t(L, '年度', 'year'), t(L, '份数', 'reports')], Object.entries(st.byYear).map(([k, v]) => [k, String(v)])) + '\n');
      out(renderTable([t(L, '格式', 'template'), t(L, '份数', 'reports')], Object.entries(st.byTemplate).map(([k, v]) => [k, String(v)])) + '\n');
      out(renderTable([t(L, '规则', 'rule'), t(L, '有错误的报告', 'reports with errors'), t(L, '比例', 'rate')], st.errorRates.map((e) => [e.ruleId, String(e.reports), `${(e.rate * 100).toFixed(1)}%`])) + '\n');
      out(renderTable([t(L, '机关', 'agency'), t(L, '份数', 'reports'), t(L, '本年新收申请', 'new requests')], st.topAgencies.map((a) => [a.agency, String(a.reports), String(a.newReceived)])));
    });
  });

  common(
    program
      .command('sum')
      .description('表三、表四逐格汇总（空格按 0 计） / sum tables 3 and 4 cell by cell (blank counts 0)')
      .addOption(
        new Option('--by <key>', '分组：year 年度、region 地区（已导入的地区层级，否则按机关名称推断）、agency 机关、province/city/county 省/市/县 / group by').choices([...SUM_BY]).default('year'),
      )
      .option('--year <year>', '只汇总该年度 / only this year')
      .option('--region <name>', '只汇总该地区及其下级（名称或代码）；--by region 时按其直接下级汇总 / only this region and everything below it (name or code); with --by region, one group per direct subdivision')
      .option('--json', 'JSON 输出 / JSON output')
      .option('--xlsx <file>', '按法定表格格式写出汇总（每组一个文件） / write the sums in the official table layout (one file per group)'),
  ).action(async (o: Common & { by: SumBy; year?: string; region?: string; json?: boolean; xlsx?: string }) => {
    await using(o, async (s) => {
      const year = o.year ? intArg(o.year, '年度 / year') : undefined;
      const ctx = { regions: await s.regionTree() };
      let scope = null;
      if (o.region !== undefined) {
        scope = regionScope(o.region, ctx);
        if (!scope) throw new StoreError('bad-argument', { zh: `没有名为“${o.region}”的地区（已导入的地区层级和内置行政区划中都没有）。`, en: `No region is called “${o.region}” (neither in the imported hierarchy nor in the built-in divisions).` });
      }
      const r = sumBy(await s.sumInputs({ ...(year !== undefined ? { year } : {}), yearOnly: o.by === 'year' && !scope }), o.by, ctx, scope);
      const groups = r.groups;
      if (o.json) return void out(JSON.stringify({ by: o.by, year: year ?? null, region: scope ? { name: scope.roots[0].name, codes: scope.roots.map((x) => x.code), source: scope.source } : null, groups, ...(r.total ? { total: r.total } : {}) }, null, 2) + '\n');
      const L = o.lang;
      if (!groups.length) out(t(L, '没有符合条件的报告。\n', 'No matching reports.\n'));
      if (o.xlsx) {
        const targets: SumGroup[] = r.total ? [r.total] : groups;
        for (const g of targets) {
          const file = targets.length > 1 ? o.xlsx.replace(/(\.xlsx)?$/i, `-${String(g.key).replace(/[\\/:*?"<>|\s]+/g, '_')}.xlsx`) : o.xlsx;
          await writeSumXlsx(file, g);
          out(t(L, `已写出 ${file}\n`, `wrote ${file}\n`));
        }
        return;
      }
      const shown: SumGroup[] = r.total && groups.length ? [{ ...r.total, key: `${r.total.key}${t(L, '（合计）', ' (total)')}` }, ...groups] : groups;
      for (const g of shown) {
        out(`== ${g.key}  (${t(L, `${g.reports} 份报告`, `${g.reports} report(s)`)}) ==\n`);
        out(renderTable(['', ...TABLE3_COLUMNS.map((c) => TABLE3_COLUMN_LABELS[c][L])], Object.entries(g.table3).map(([row, cols]) => [rowLabel(row, L), ...TABLE3_COLUMNS.map((c) => String(cols[c] ?? 0))])));
        out('\n');
        out(renderTable(['', ...TABLE4_COLUMNS.map((c) => TABLE4_COLUMN_LABELS[c][L])], TABLE4_GROUPS.map((gr) => [TABLE4_GROUP_LABELS[gr][L], ...TABLE4_COLUMNS.map((c) => String(g.table4[gr]?.[c] ?? 0))])));
        out('\n');
      }
    });
  });

  common(
    program
      .command('coverage')
      .description('某年度的发布情况：未发布、逾期发布 / who has not published, or published late, for a year')
      .requiredOption('--year <year>', '报告年度 / report year')
      .option('--expected <csv>', '应发布单位名单（CSV，含单位名称列） / CSV listing the units expected to publish')
      .option('--json', 'JSON 输出 / JSON output'),
  ).action(async (o: Common & { year: string; expected?: string; json?: boolean }) => {
    const year = intArg(o.year, '年度 / year');
    let expected: string[] | undefined;
    if (o.expected) {
      try {
        expected = expectedUnitsFromCsv(readFileSync(o.expected, 'utf8'));
      } catch (e) {
        throw toGongkaiError(e, o.expected);
      }
    }
    await using(o, async (s) => {
      const c = coverage(await s.coverageInputs(year), year, expected);
      if (o.json) return void out(JSON.stringify(c, null, 2) + '\n');
      const L = o.lang;
      out(t(L, `${year} 年度：已发布 ${c.published.length} 份`, `${year}: ${c.published.length} published`) + (c.expected !== undefined ? t(L, `，应发布 ${c.expected} 个单位，未发布 ${c.missing.length} 个`, `, ${c.expected} expected, ${c.missing.length} missing`) : '') + t(L, `，逾期 ${c.late.length} 份，未写发布日期 ${c.undated.length} 份。\n`, `, ${c.late.length} late, ${c.undated.length} undated.\n`));
      if (c.missing.length) out(`\n${t(L, '未发布', 'Not published')}:\n` + c.missing.map((m) => `  ${m}\n`).join(''));
      if (c.late.length) out(`\n${t(L, '逾期发布', 'Published late')}:\n` + c.late.map((e) => `  #${e.id} ${e.agency ?? ''}  ${e.publishedAt} > ${e.deadline}\n`).join(''));
      if (c.undated.length) out(`\n${t(L, '未写发布日期', 'No publication date')}:\n` + c.undated.map((e) => `  #${e.id} ${e.agency ?? ''}\n`).join(''));
      if (c.unexpected.length) out(`\n${t(L, '不在名单中', 'Not in the expected list')}:\n` + c.unexpected.map((e) => `  #${e.id} ${e.agency ?? ''}\n`).join(''));
    });
  });

  common(
    program
      .command('compare')
      .description('比较两份报告（已存编号或文件）：单元格差异和各部分文字的逐行差异 / compare two reports (stored ids or files)')
      .argument('<a>', '报告编号或文件 / report id or file')
      .argument('<b>', '报告编号或文件 / report id or file')
      .option('--json', 'JSON 输出 / JSON output'),
  ).action(async (a: string, b: string, o: Common & { json?: boolean }) => {
    const isId = (x: string) => /^\d+$/.test(x);
    const load = async (x: string, s?: Store): Promise<{ label: string; report: Report }> => {
      if (isId(x) && s) {
        const r = await s.get(Number(x));
        if (!r) throw new StoreError('not-found', { zh: `数据库中没有编号为 ${x} 的报告。`, en: `No stored report has id ${x}.` });
        return { label: `#${r.id} ${r.agency ?? ''} ${r.year ?? ''}`.trim(), report: r.report };
      }
      const p = x === '-' ? await parseBytes(readFileSync(0), '-') : await parseFile(x);
      return { label: x, report: p.report };
    };
    const run = async (s?: Store) => {
      const A = await load(a, s);
      const B = await load(b, s);
      const c = compareReports(A.report, B.report);
      if (o.json) return void out(JSON.stringify({ a: A.label, b: B.label, ...c }, null, 2) + '\n');
      const L = o.lang;
      out(`--- ${A.label}\n+++ ${B.label}\n`);
      for (const f of c.fields) out(`${f.field}: ${JSON.stringify(f.a)} → ${JSON.stringify(f.b)}\n`);
      out(`\n${t(L, `单元格差异 ${c.cells.length} 处`, `${c.cells.length} cell difference(s)`)}\n`);
      if (c.cells.length) out(renderTable([t(L, '单元格', 'cell'), 'a', 'b'], c.cells.map((d) => [d.path, fmt(d.a), fmt(d.b)])));
      for (const sd of c.sections) {
        const title = SECTIONS.find((x) => x.key === sd.section)!.title[L];
        out(`\n@@ ${title} @@\n`);
        for (const l of sd.lines) if (l.op !== ' ') out(`${l.op} ${l.text}\n`);
      }
    };
    if (isId(a) || isId(b)) await using(o, run);
    else await run();
  });

  common(
    program
      .command('export')
      .description('导出已存报告为 CSV 或 XLSX（每份报告一行，每个单元格一列） / export stored reports as CSV or XLSX')
      .option('--csv', 'CSV（UTF-8 带 BOM） / CSV (UTF-8 with BOM)')
      .option('--xlsx', 'Excel 工作簿 / Excel workbook')
      .requiredOption('-o, --output <file>', '输出文件 / output file')
      .option('--year <year>', '只导出该年度 / only this year'),
  ).action(async (o: Common & { csv?: boolean; xlsx?: boolean; output: string; year?: string }) => {
    if (!!o.csv === !!o.xlsx) throw new StoreError('bad-argument', { zh: '请指定 --csv 或 --xlsx 之一。', en: 'Give exactly one of --csv or --xlsx.' });
    await using(o, async (s) => {
      const reports = await s.list(o.year ? { year: intArg(o.year, '年度 / year') } : {});
      const { header, rows } = exportRows(reports);
      try {
        if (o.csv) writeFileSync(o.output, '\uFEFF' + [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n');
        else {
          const { default: ExcelJS } = await import('exceljs');
          const wb = new ExcelJS.Workbook();
          const ws = wb.addWorksheet('reports');
          ws.addRow(header);
          for (const r of rows) ws.addRow(r);
          ws.getRow(1).font = { bold: true };
          ws.views = [{ state: 'frozen', ySplit: 1 }];
          await wb.xlsx.writeFile(o.output);
        }
      } catch (e) {
        throw toGongkaiError(e, o.output);
      }
      err(t(o.lang, `已导出 ${rows.length} 份报告到 ${o.output}\n`, `exported ${rows.length} report(s) to ${o.output}\n`));
    });
  });

  common(
    program
      .command('review')
      .description('记录对一条核查结果的审核决定（按机关、年度、规则、单元格保存，重新解析后仍有效） / record a reviewer decision on a finding')
      .argument('<reportId>', '报告编号 / report id')
      .argument('<ruleId>', '规则 / rule id')
      .argument('<cellPath>', '单元格路径，或 - 表示整条规则 / cell path, or - for the rule as a whole')
      .option('--confirm', '确认问题 / confirm the finding')
      .option('--dismiss', '驳回（误报） / dismiss the finding (false positive)')
      .option('--comment <text>', '说明 / comment'),
  ).action(async (id: string, ruleId: string, path: string, o: Common & { confirm?: boolean; dismiss?: boolean; comment?: string }) => {
    if (!!o.confirm === !!o.dismiss) throw new StoreError('bad-argument', { zh: '请指定 --confirm 或 --dismiss 之一。', en: 'Give exactly one of --confirm or --dismiss.' });
    await using(o, async (s) => {
      const d = await s.decide(intArg(id, '报告编号 / report id'), ruleId, path, o.confirm ? 'confirmed' : 'dismissed', o.comment);
      out(t(o.lang, `已记录：${d.agencyKey} ${d.year} ${d.ruleId} ${d.path} → ${d.decision === 'confirmed' ? '确认' : '驳回'}\n`, `recorded: ${d.agencyKey} ${d.year} ${d.ruleId} ${d.path} → ${d.decision}\n`));
    });
  });
}

// ---------------------------------------------------------------- regions

const REGIONS_HELP = `
文件格式 / file format (CSV, UTF-8, 可带 BOM；或 XLSX 的第一个工作表 / or the first worksheet of an XLSX):
  code,name,parent_code,level
  320000,江苏省,,province
  321300,宿迁市,320000,city
  321322,沭阳县,321300,county
  321322001,沭城街道,321322,township
  321322-jyj,沭阳县教育局,321322,department
列 / columns: code 编码（唯一）, name 名称, parent_code 上级编码（顶级留空）, level 级别 —
  province/省, city/市, county/县/区, township/乡/镇/街道, department/部门（留空时按名称结尾推断 / guessed from the name when blank）.
表头可用中文（编码,名称,上级编码,级别）；无表头时按上述列序读取。也可读取 .csv.gz。
Headers may be in Chinese; without a header the columns are read in this order. .csv.gz is read too.
报告按机关名称开头与地区名称的最长匹配关联（江苏省宿迁市沭阳县教育局 → 沭阳县）。
Reports are linked by the longest match of region names at the front of the agency name.
--builtin 导入内置行政区划（${BUILTIN_DIVISIONS_SOURCE}，到乡镇街道级）。
--builtin imports the built-in divisions (down to townships and streets).
`;

/** Regions from a CSV / CSV.GZ / XLSX file. */
export async function readRegionsFile(file: string): Promise<RegionRow[]> {
  const rows = await readTableFile(file, 4);
  try {
    const regions = regionsFromRows(rows);
    if (!regions.length) throw new RegionFormatError('no rows');
    return regions;
  } catch (e) {
    if (!(e instanceof RegionFormatError)) throw e;
    throw new StoreError('bad-argument', {
      zh: `地区文件格式不对（${e.message}）：${file}。应为 code,name,parent_code,level 四列，见 gongkai regions import --help。`,
      en: `The region file is not in the expected format (${e.message}): ${file}. Expected columns code,name,parent_code,level; see gongkai regions import --help.`,
    });
  }
}

function aliasChangeText(lang: Lang, r: AliasChange): string {
  return t(
    lang,
    `重新关联报告 ${r.rekeyed} 份，转移审核决定 ${r.decisionsMoved} 条（其中合并 ${r.decisionsMerged} 条）。\n`,
    `re-keyed ${r.rekeyed} report(s), moved ${r.decisionsMoved} review decision(s) (${r.decisionsMerged} merged)\n`,
  );
}

function registerAgencyCommands(program: Command): void {
  const agencies = program
    .command('agencies')
    .description('机关与别名列表：把不同名称认定为同一机关，跨年度关联其报告 / agencies and the alias list: say two names are one body so its reports link across years');
  common(agencies.command('list').description('列出已存机关（按规范化机关键）及其别名 / list stored agencies (by normalised key) and their aliases').option('--json', 'JSON 输出 / JSON output')).action(
    async (o: Common & { json?: boolean }) => {
      await using(o, async (s) => {
        const [list, aliases] = [await s.agencies(), await s.agencyAliases()];
        if (o.json) return void out(JSON.stringify({ agencies: list, aliases }, null, 2) + '\n');
        out(
          renderTable(
            o.lang === 'zh' ? ['机关键', '名称', '年度', '报告数', '别名'] : ['key', 'names', 'years', 'reports', 'aliases'],
            list.map((a) => [a.key, a.names.join('；'), a.years.join(','), String(a.reports), a.aliases.map((x) => x.alias).join('；')]),
          ),
        );
        out(t(o.lang, `共 ${list.length} 个机关，${aliases.length} 条别名。\n`, `${list.length} agencies, ${aliases.length} aliases\n`));
      });
    },
  );
  common(
    agencies
      .command('alias')
      .description('设置别名：<别名> 与 <机关名称> 是同一机关，已存报告立即重新关联 / record that <alias-name> is the body <canonical-name>; stored reports are re-keyed at once')
      .argument('<alias-name>', '别名 / alias name')
      .argument('<canonical-name>', '机关名称 / canonical name'),
  ).action(async (alias: string, canonical: string, o: Common) => {
    await using(o, async (s) => {
      const r = await s.addAgencyAliases([{ alias, canonical }]);
      out(t(o.lang, `已设置别名：${alias} → ${canonical}\n`, `alias recorded: ${alias} → ${canonical}\n`) + aliasChangeText(o.lang, r));
    });
  });
  common(
    agencies
      .command('unalias')
      .description('删除别名，其报告恢复自己的机关键 / remove an alias; its reports get their own key back')
      .argument('<alias-name>', '别名 / alias name'),
  ).action(async (alias: string, o: Common) => {
    await using(o, async (s) => {
      const r = await s.removeAgencyAlias(alias);
      out(t(o.lang, `已删除别名：${alias}\n`, `alias removed: ${alias}\n`) + aliasChangeText(o.lang, r));
    });
  });
  common(
    agencies
      .command('import')
      .description('从 CSV 或 XLSX 导入别名（两列：别名,机关名称；表头可省略） / import aliases from CSV or XLSX (two columns: alias, canonical name; header optional)')
      .argument('<file>', 'CSV 或 XLSX 文件 / CSV or XLSX file'),
  ).action(async (file: string, o: Common) => {
    await using(o, async (s) => {
      const r = await s.importAgencyAliases(file);
      out(t(o.lang, `已导入别名 ${r.added} 条。\n`, `imported ${r.added} alias(es)\n`) + aliasChangeText(o.lang, r));
    });
  });
}

function registerRegionCommands(program: Command): void {
  const regions = program.command('regions').description('地区层级：导入、查看、按机关名称推断 / the region hierarchy: import, list, infer from agency names');
  common(
    regions
      .command('import')
      .description('导入地区层级（省→市→县→乡镇街道，及部门），并把已存报告关联到地区 / import a region hierarchy and link stored reports to it')
      .argument('[file]', 'CSV、CSV.GZ 或 XLSX 文件 / CSV, CSV.GZ or XLSX file')
      .option('--builtin', '导入内置行政区划 / import the built-in divisions')
      .option('--replace', '先删除已导入的地区 / drop the regions imported before')
      .option('--json', 'JSON 输出 / JSON output')
      .addHelpText('after', REGIONS_HELP),
  ).action(async (file: string | undefined, o: Common & { builtin?: boolean; replace?: boolean; json?: boolean }) => {
    if (!!file === !!o.builtin) throw new StoreError('bad-argument', { zh: '请指定一个地区文件，或 --builtin。', en: 'Give a region file, or --builtin.' });
    const rows = o.builtin ? builtinRegionRows() : await readRegionsFile(file!);
    await using(o, async (s) => {
      const r = await s.importRegions(rows, { replace: o.replace });
      if (o.json) return void out(JSON.stringify({ file: file ?? builtinDivisionsFile(), read: rows.length, ...r }, null, 2) + '\n');
      out(t(o.lang, `已导入 ${rows.length} 个地区（共 ${r.regions} 个），${r.reports} 份报告中 ${r.linked} 份关联到地区。\n`, `imported ${rows.length} regions (${r.regions} in all); ${r.linked} of ${r.reports} reports linked to a region\n`));
    });
  });

  common(
    regions
      .command('list')
      .description('列出已导入的地区及关联的报告数 / list the imported regions with their report counts')
      .option('--json', 'JSON 输出 / JSON output'),
  ).action(async (o: Common & { json?: boolean }) => {
    await using(o, async (s) => {
      const tree = await s.regionTree();
      const counts = new Map<string, number>();
      for (const r of await s.sumInputs()) if (r.regionCode) counts.set(r.regionCode, (counts.get(r.regionCode) ?? 0) + 1);
      const rows = tree ? [...tree.byCode.values()].map((r) => ({ ...r, depth: tree.path(r.code).length - 1, reports: counts.get(r.code) ?? 0 })) : [];
      if (o.json) return void out(JSON.stringify(rows, null, 2) + '\n');
      if (!rows.length) return void out(t(o.lang, '尚未导入地区层级（gongkai regions import）。\n', 'No region hierarchy imported yet (gongkai regions import).\n'));
      out(renderTable([t(o.lang, '编码', 'code'), t(o.lang, '名称', 'name'), t(o.lang, '级别', 'level'), t(o.lang, '报告', 'reports')], rows.map((r) => [r.code, '  '.repeat(r.depth) + r.name, r.level, String(r.reports)])));
    });
  });

  common(
    regions
      .command('infer')
      .description(`按机关名称推断所在省、市、县、乡镇（内置行政区划：${BUILTIN_DIVISIONS_SOURCE}；不读数据库） / infer province, city, county and township from agency names (the database is not used)`)
      .argument('<names...>', '机关名称 / agency names')
      .option('--json', 'JSON 输出 / JSON output'),
  ).action((names: string[], o: Common & { json?: boolean }) => {
      const rows = names.map((name) => ({ name, division: inferDivision(name) }));
      if (o.json) return void out(JSON.stringify(rows, null, 2) + '\n');
      for (const r of rows) out(`${r.name}\t${r.division ? [r.division.province, r.division.city, r.division.county, r.division.township].filter(Boolean).join(' / ') + `  (${r.division.code})` : '—'}\n`);
  });
}

function fmt(v: unknown): string {
  return v === undefined ? '—' : v === null ? '∅' : String(v);
}

function csvCell(v: string | number | null): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One row per report: identity columns, finding counts, then every cell path of either template. */
export function exportRows(reports: StoredReport[]): { header: string[]; rows: (string | number | null)[][] } {
  const paths = [...new Set([...cellPaths('2021'), ...cellPaths('2019')])];
  const header = ['id', 'agency', 'agencyKey', 'year', 'template', 'publishedAt', 'region', 'title', 'fileName', 'hash', 'parserVersion', 'errors', 'warnings', ...paths];
  const rows = reports.map((r) => [
    r.id, r.agency, r.agencyKey, r.year, r.template, r.publishedAt, r.region, r.report.title, r.fileName, r.hash, r.parserVersion,
    r.findings.filter((f) => f.severity === 'error').length,
    r.findings.filter((f) => f.severity === 'warning').length,
    ...paths.map((p) => getCell(r.report, p) ?? null),
  ]);
  return { header, rows };
}

/**
 * The sums of a group as a government-level report's tables: the 2021 layout with every row,
 * written by the same XLSX writer as single reports (table 2 is not summed: it stays empty).
 */
async function writeSumXlsx(file: string, g: SumGroup): Promise<void> {
  const { renderXlsx } = await import('../render/xlsx.js');
  const { emptyTables, emptySections } = await import('../model/report.js');
  const base = emptyTables('2021');
  const table3 = Object.fromEntries(Object.keys(base.table3).map((k) => [k, { ...base.table3[k], ...(g.table3[k] ?? {}) }]));
  const report = {
    template: '2021' as const,
    year: typeof g.key === 'number' ? g.key : null,
    agency: `汇总：${g.key}（${g.reports} 份报告）`,
    title: `汇总：${g.key}`,
    publishedAt: null,
    sections: emptySections(),
    sectionTitles: {},
    extraSections: [],
    table2: base.table2,
    table3: table3 as typeof base.table3,
    table4: { ...base.table4, ...g.table4 } as typeof base.table4,
    uncertain: [],
  };
  const { writeFileSync, renameSync } = await import('node:fs');
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, await renderXlsx(report));
  renameSync(tmp, file);
}
