// The `gongkai` command line. Thin: every verb calls the library.
import { Command, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { PARSER_VERSION } from '../index.js';
import { parseMany, readInput } from '../parse-pool.js';
import { jobsOption } from './jobs-option.js';
import { check, RULES, type Finding } from '../check/index.js';
import { GongkaiError, toGongkaiError } from '../errors.js';
import type { ParseResult } from '../model/report.js';
import { formatPlace } from '../read/document.js';
import { expandInputs } from './files.js';
import { explain } from './explain.js';
import { canonical } from '../model/canonical.js';
import { reportJsonSchema } from '../model/schema.js';

type Lang = 'zh' | 'en';

/** Verbs defined in this module, which need none of the store, render or server libraries. */
const CORE_VERBS = new Set(['parse', 'check', 'rules', 'schema']);

/** Reads an input's bytes: a file, or standard input for "-". */
async function inputBytes(input: string): Promise<Uint8Array> {
  if (input !== '-') return readInput(input);
  try {
    return readFileSync(0);
  } catch (e) {
    throw toGongkaiError(e, '-');
  }
}

/**
 * Run `fn` over inputs in input order; one bad file never stops the others. Parsing runs on
 * `jobs` worker threads (default: one per core when the batch is large enough).
 */
async function eachInput(inputs: string[], jobs: number | undefined, fn: (input: string, r: ParseResult | GongkaiError) => void): Promise<void> {
  const tty = process.stderr.isTTY && inputs.length > 1;
  const t0 = Date.now();
  let i = 0;
  for await (const p of parseMany(inputs, { jobs, prepare: async (input) => ({ bytes: await inputBytes(input) }) })) {
    if ('skipped' in p) continue;
    fn(p.input, p.result);
    i++;
    if (tty) {
      const rate = i / Math.max(0.001, (Date.now() - t0) / 1000);
      const eta = Math.round((inputs.length - i) / rate);
      process.stderr.write(`\r${i}/${inputs.length}  ${rate.toFixed(1)}/s  ETA ${eta}s   `);
    }
  }
  if (tty) process.stderr.write('\n');
}

function errorObject(e: GongkaiError, lang: Lang) {
  return { code: e.code, message: e.text[lang], message_en: e.text.en, message_zh: e.text.zh };
}

export async function runCli(argv: string[]): Promise<number> {
  let exit = 0;
  const program = new Command();
  program
    .name('gongkai')
    .description('公开 Gongkai：政府信息公开工作年度报告的读取、核查与比较（离线、确定性）\nRead, check and compare Open Government Information annual reports — offline and deterministic.')
    .version(PARSER_VERSION)
    .showHelpAfterError();

  program
    .command('parse')
    .description('读取报告，输出规范 JSON / read reports and print canonical JSON')
    .argument('<inputs...>', '文件、目录或 - (标准输入) / files, directories or - for stdin')
    .option('--json', '每个报告一个缩进的 JSON 对象 / pretty JSON per report (default)')
    .option('--jsonl', '每行一个 JSON 对象，带 "source" / one JSON object per line, with "source"')
    .option('--explain', '逐个单元格列出数值、原文和位置 / list every non-empty cell with its raw text and place')
    .addOption(new Option('--lang <lang>', '提示语言 / message language').choices(['zh', 'en']).default('zh'))
    .addOption(jobsOption())
    .action(async (inputs: string[], o: { json?: boolean; jsonl?: boolean; explain?: boolean; lang: Lang; jobs?: number }) => {
      const files = expandInputs(inputs);
      await eachInput(files, o.jobs, (input, r) => {
        if (r instanceof GongkaiError) {
          exit = Math.max(exit, 1);
          if (o.jsonl) process.stdout.write(JSON.stringify({ source: input, error: errorObject(r, o.lang) }) + '\n');
          else process.stderr.write(`${input}: [${r.code}] ${r.text[o.lang]}\n`);
          return;
        }
        if (o.explain) process.stdout.write(explain(input, r, o.lang) + '\n');
        else if (o.jsonl) process.stdout.write(JSON.stringify({ source: input, ...canonical(r.report) }) + '\n');
        else process.stdout.write(JSON.stringify({ source: input, ...canonical(r.report) }, null, 2) + '\n');
      });
    });

  program
    .command('check')
    .description('按法定规则核查报告 / check reports against the statutory rules (exit 1 when errors are found)')
    .argument('<inputs...>', '文件、目录或 - / files, directories or -')
    .addOption(new Option('--format <format>', '输出格式 / output format').choices(['text', 'json']).default('text'))
    .addOption(new Option('--lang <lang>', '语言 / language').choices(['zh', 'en']).default('zh'))
    .option('--exit-zero', '发现错误也以 0 退出 / exit 0 even when errors are found')
    .addOption(jobsOption())
    .action(async (inputs: string[], o: { format: 'text' | 'json'; lang: Lang; exitZero?: boolean; jobs?: number }) => {
      const files = expandInputs(inputs);
      const all: { source: string; findings?: Finding[]; error?: ReturnType<typeof errorObject> }[] = [];
      let errors = 0, warnings = 0, failed = 0;
      await eachInput(files, o.jobs, (input, r) => {
        if (r instanceof GongkaiError) {
          failed++;
          all.push({ source: input, error: errorObject(r, o.lang) });
          if (o.format === 'text') process.stdout.write(`${input}\n  ✖ [${r.code}] ${r.text[o.lang]}\n\n`);
          return;
        }
        const findings = check(r);
        errors += findings.filter((f) => f.severity === 'error').length;
        warnings += findings.filter((f) => f.severity === 'warning').length;
        if (o.format === 'json') all.push({ source: input, findings });
        else process.stdout.write(formatFindings(input, r, findings, o.lang));
      });
      if (o.format === 'json') process.stdout.write(JSON.stringify(all, null, 2) + '\n');
      else {
        const zh = `共 ${files.length} 个文件：${errors} 个错误，${warnings} 个提醒${failed ? `，${failed} 个文件无法读取` : ''}。`;
        const en = `${files.length} file(s): ${errors} error(s), ${warnings} warning(s)${failed ? `, ${failed} unreadable` : ''}.`;
        process.stdout.write((o.lang === 'zh' ? zh : en) + '\n');
      }
      exit = (errors > 0 || failed > 0) && !o.exitZero ? 1 : 0;
    });

  program
    .command('rules')
    .description('列出规则及说明 / list the rule catalogue with its docs')
    .addOption(new Option('--lang <lang>', '语言 / language').choices(['zh', 'en']).default('zh'))
    .option('--json', 'JSON 输出 / JSON output')
    .action(async (o: { lang: Lang; json?: boolean }) => {
      const { CROSS_RULES } = await import('../analyze/cross-rules.js');
      const catalogue = [...RULES, ...CROSS_RULES];
      if (o.json) {
        process.stdout.write(JSON.stringify(catalogue.map((r) => ({ id: r.id, severity: r.severity, title: r.title, doc: r.doc })), null, 2) + '\n');
        return;
      }
      for (const r of catalogue) process.stdout.write(`${r.id}  [${sevLabel(r.severity, o.lang)}]\n  ${r.title[o.lang]}\n  ${r.doc[o.lang]}\n\n`);
    });

  // The store, render and server verbs load their libraries (SQL builder, document writers, web
  // server: most of a second together) only when one of them, or the full help, is asked for, so
  // `gongkai parse|check` on one report starts quickly.
  if (!CORE_VERBS.has(argv[2] ?? '')) {
    const [{ registerStoreCommands }, { registerRenderCommands }, { registerServeCommand }] = await Promise.all([
      import('./store-commands.js'),
      import('./render-commands.js'),
      import('./serve-command.js'),
    ]);
    registerStoreCommands(program);
    registerRenderCommands(program);
    registerServeCommand(program);
  }

  program
    .command('schema')
    .description('输出规范 JSON 的 JSON Schema / print the JSON Schema of the canonical report')
    .action(() => {
      process.stdout.write(JSON.stringify(reportJsonSchema(), null, 2) + '\n');
    });

  await program.parseAsync(argv);
  // Commands registered from other modules report through process.exitCode.
  return Math.max(exit, typeof process.exitCode === 'number' ? process.exitCode : 0);
}

function sevLabel(s: Finding['severity'], lang: Lang): string {
  const zh = { error: '错误', warning: '提醒', info: '信息' };
  return lang === 'zh' ? zh[s] : s;
}

export function formatFindings(input: string, r: ParseResult, findings: Finding[], lang: Lang): string {
  const lines = [`${input}  ${r.report.title ?? ''} (${r.report.template} ${lang === 'zh' ? '年格式' : 'format'})`];
  if (!findings.length) lines.push(lang === 'zh' ? '  ✔ 未发现问题' : '  ✔ no problems found');
  for (const f of findings) {
    const mark = f.severity === 'error' ? '✖' : f.severity === 'warning' ? '⚠' : 'ℹ';
    const where = f.place ? `${formatPlace(f.place)}  ` : '';
    lines.push(`  ${mark} ${where}${f.message[lang]}  (${f.ruleId})`);
  }
  return lines.join('\n') + '\n\n';
}
