// `gongkai render <input> --to html|md|txt|xlsx|docx|pdf -o <file> [--force]`: a report (a
// filled-in XLSX workbook, a JSON form / canonical JSON, or any report file, parsed first)
// with its totals completed (src/author/complete.ts) and every check run, written in the
// official layout of its template. Errors (a total that disagrees with its parts, text in a
// number cell, any check error) stop rendering unless --force; warnings are printed. The output
// file appears only once rendering has completely succeeded (written under a temporary name in
// the same directory, then renamed over the target).
//
// `gongkai new --template 2021|2019 --year Y --agency A [-o fill-in.xlsx] [--json form.json]
// [--from last-year-report]`: a blank report to fill in (src/author/form.ts).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseBytes } from '../index.js';
import { GongkaiError, toGongkaiError } from '../errors.js';
import type { Report } from '../model/report.js';
import { CanonicalJsonError, reportFromCanonical } from '../render/from-json.js';
import { render, RENDER_FORMATS, type RenderFormat } from '../render/index.js';
import { expectedTemplate, type TemplateId } from '../model/template.js';
import { AuthorError, blankReport, draftNarrative, fillInXlsx, formFromPrevious, jsonForm, prepare } from '../author/index.js';

type Lang = 'zh' | 'en';

/** Canonical JSON when the input is JSON (by extension or by its first character), else a report file. */
export async function loadReport(input: string): Promise<{ report: Report; parsed: boolean }> {
  let bytes: Buffer;
  try {
    bytes = input === '-' ? readFileSync(0) : readFileSync(input);
  } catch (e) {
    throw toGongkaiError(e, input);
  }
  const head = bytes.subarray(0, 64).toString('utf8').replace(/^\ufeff/, '').trimStart();
  const isJsonName = /\.json$/i.test(input);
  if (isJsonName || head.startsWith('{')) {
    let obj: unknown;
    try {
      obj = JSON.parse(bytes.toString('utf8').replace(/^\ufeff/, ''));
    } catch (e) {
      if (isJsonName) {
        const msg = e instanceof Error ? e.message : String(e);
        throw new GongkaiError('corrupt-file', input, { zh: `JSON 无法解析：${msg}`, en: `The JSON cannot be parsed: ${msg}` });
      }
      obj = undefined; // not JSON after all: read it as a report below
    }
    if (obj !== undefined) {
      try {
        return { report: reportFromCanonical(obj), parsed: false };
      } catch (e) {
        if (e instanceof CanonicalJsonError) {
          throw new GongkaiError('corrupt-file', input, {
            zh: `不是有效的规范 JSON（${e.path}）：${e.detail}`,
            en: `Not a valid canonical report (${e.path}): ${e.detail}`,
          });
        }
        throw e;
      }
    }
  }
  return { report: (await parseBytes(bytes, input)).report, parsed: true };
}

/** Writes bytes to `target` atomically: a temporary file in the same directory, then rename. */
export function writeAtomic(target: string, data: string | Uint8Array): void {
  const abs = resolve(target);
  const tmp = join(dirname(abs), `.${basename(abs)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    writeFileSync(tmp, data, { flag: 'wx' });
    renameSync(tmp, abs);
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never created */
    }
    throw toGongkaiError(e, target);
  }
}

function say(lang: Lang, zh: string, en: string): void {
  process.stderr.write((lang === 'zh' ? zh : en) + '\n');
}

/** Refuses to replace an existing file unless forced. */
function mayWrite(target: string, force: boolean | undefined): void {
  if (!force && existsSync(target)) {
    throw new GongkaiError('io-error', target, { zh: '文件已存在；如需覆盖请加 --force。', en: 'The file exists; add --force to overwrite it.' });
  }
}

export function registerRenderCommands(program: Command): void {
  program
    .command('render')
    .description('按法定格式输出报告 (HTML / Markdown / 文本 / XLSX / DOCX / PDF)，先补全合计并核查 / write a report in the official layout of its template, after completing totals and checking it')
    .argument('<input>', '填写后的 XLSX 工作簿、JSON 表单（规范 JSON）或任一报告文件，- 为标准输入 / a filled-in XLSX workbook, a JSON form (canonical JSON) or any report file, - for stdin')
    .addOption(new Option('--to <format>', '输出格式 / output format').choices([...RENDER_FORMATS]).makeOptionMandatory())
    .option('-o, --output <file>', '输出文件（省略时文本格式写到标准输出）/ output file (text formats go to stdout when omitted)')
    .option('--force', '发现错误也输出 / render even when errors are found')
    .option('--narrative', '第三、四部分正文为空时按表格生成标准表述 / draft the standard sentences of sections 三 and 四 from the tables when those sections are empty')
    .addOption(new Option('--lang <lang>', '提示语言 / message language').choices(['zh', 'en']).default('zh'))
    .action(async (input: string, o: { to: RenderFormat; output?: string; lang: Lang; force?: boolean; narrative?: boolean }) => {
      if (['xlsx', 'docx', 'pdf'].includes(o.to) && (!o.output || o.output === '-')) {
        throw new GongkaiError('io-error', input, { zh: `${o.to.toUpperCase()} 输出需要 -o <文件>。`, en: `${o.to.toUpperCase()} output needs -o <file>.` });
      }
      const p = await prepare(input);
      const { report } = p;
      if (o.narrative) {
        const d = draftNarrative(report);
        if (!report.sections.requests?.trim()) report.sections.requests = d.requests;
        if (!report.sections.reviewLitigation?.trim()) report.sections.reviewLitigation = d.reviewLitigation;
      }
      if (p.filled.length) say(o.lang, `${input}：已按分项自动计算 ${p.filled.length} 个合计单元格。`, `${input}: ${p.filled.length} total cell(s) computed from their parts.`);
      if (report.uncertain.length) say(o.lang, `${input}：${report.uncertain.length} 个单元格无法确定，输出为空白。`, `${input}: ${report.uncertain.length} uncertain cell(s) written blank.`);
      for (const w of p.warnings) say(o.lang, `  ⚠ ${w.message.zh}  (${w.ruleId})`, `  ⚠ ${w.message.en}  (${w.ruleId})`);
      if (p.errors.length) {
        if (!o.force) throw new AuthorError(input, p.errors);
        for (const e of p.errors) say(o.lang, `  ✖ ${e.path ? `[${e.path}] ` : ''}${e.message.zh}`, `  ✖ ${e.path ? `[${e.path}] ` : ''}${e.message.en}`);
        say(o.lang, `${input}：有 ${p.errors.length} 个错误，因 --force 仍输出。`, `${input}: ${p.errors.length} error(s); rendering anyway (--force).`);
      }
      const out = await render(report, o.to);
      if (!o.output || o.output === '-') process.stdout.write(out);
      else writeAtomic(o.output, out);
    });

  program
    .command('new')
    .description('生成待填写的年度报告：XLSX 填报工作簿和/或 JSON 表单 / write a blank report to fill in: an XLSX workbook and/or a JSON form')
    .addOption(new Option('--template <template>', '报告格式（默认按年度）/ template (default: by year)').choices(['2021', '2019']))
    .option('--year <year>', '报告年度 / the year reported on', (v) => {
      if (!/^\d{4}$/.test(v)) throw new InvalidArgumentError('年度应为四位数字 / the year must have four digits');
      return Number(v);
    })
    .option('--agency <name>', '报告机关 / the reporting body')
    .option('--from <report>', '上一年度报告（任一格式），带入上年结转和章节标题 / last year’s report (any format): carries forward requests and section titles')
    .option('-o, --output <file.xlsx>', 'XLSX 填报工作簿 / the fill-in XLSX workbook')
    .option('--json <form.json>', 'JSON 表单 / the JSON form')
    .option('--force', '覆盖已存在的文件 / overwrite existing files')
    .addOption(new Option('--lang <lang>', '提示语言 / message language').choices(['zh', 'en']).default('zh'))
    .action(async (o: { template?: TemplateId; year?: number; agency?: string; from?: string; output?: string; json?: string; force?: boolean; lang: Lang }) => {
      let report: Report;
      let notes: string[] = [];
      if (o.from) {
        const prev = (await loadReport(o.from)).report;
        if (prev.year === null && o.year === undefined) {
          throw new GongkaiError('not-annual-report', o.from, { zh: '上一年度报告中没有年度，请用 --year 指定。', en: 'Last year’s report states no year; give --year.' });
        }
        ({ report, notes } = formFromPrevious(prev, { year: o.year, agency: o.agency, template: o.template }));
      } else {
        if (o.year === undefined || !o.agency) {
          throw new GongkaiError('io-error', 'new', { zh: '需要 --year 和 --agency（或 --from 上一年度报告）。', en: 'Give --year and --agency (or --from last year’s report).' });
        }
        const template = o.template ?? expectedTemplate(o.year) ?? undefined;
        if (!template) {
          throw new GongkaiError('io-error', 'new', { zh: `${o.year} 年早于统一格式（2019 年起），请用 --template 指定格式。`, en: `${o.year} predates the unified format (from 2019); give --template.` });
        }
        report = blankReport({ template, year: o.year, agency: o.agency });
      }
      const xlsx = o.output ?? (o.json ? undefined : `${report.agency ?? ''}${report.year ?? ''}年报告.xlsx`);
      for (const f of [xlsx, o.json]) if (f) mayWrite(f, o.force);
      if (xlsx) writeAtomic(xlsx, await fillInXlsx(report, notes));
      if (o.json) writeAtomic(o.json, jsonForm(report, notes));
      for (const f of [xlsx, o.json]) if (f) say(o.lang, `已生成 ${f}（${report.template} 年格式，${report.year} 年度）`, `Wrote ${f} (template ${report.template}, year ${report.year})`);
      for (const n of notes) say(o.lang, `  注：${n}`, `  Note: ${n}`);
    });
}
