// `gongkai render <input> --to html|md|txt|xlsx -o <file>`: a report (canonical JSON, or any
// report file, parsed first) written in the official layout of its template. The output file
// appears only once rendering has completely succeeded (written under a temporary name in the
// same directory, then renamed over the target).
import { Option, type Command } from 'commander';
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parseBytes } from '../index.js';
import { GongkaiError, toGongkaiError } from '../errors.js';
import type { Report } from '../model/report.js';
import { CanonicalJsonError, reportFromCanonical } from '../render/from-json.js';
import { render, RENDER_FORMATS, type RenderFormat } from '../render/index.js';

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

export function registerRenderCommands(program: Command): void {
  program
    .command('render')
    .description('按法定格式输出报告 (HTML / Markdown / 文本 / XLSX) / write a report in the official layout of its template')
    .argument('<input>', '规范 JSON 或任一报告文件，- 为标准输入 / canonical JSON or any report file, - for stdin')
    .addOption(new Option('--to <format>', '输出格式 / output format').choices([...RENDER_FORMATS]).makeOptionMandatory())
    .option('-o, --output <file>', '输出文件（省略时文本格式写到标准输出）/ output file (text formats go to stdout when omitted)')
    .addOption(new Option('--lang <lang>', '提示语言 / message language').choices(['zh', 'en']).default('zh'))
    .action(async (input: string, o: { to: RenderFormat; output?: string; lang: Lang }) => {
      if (o.to === 'xlsx' && !o.output) {
        throw new GongkaiError('io-error', input, { zh: 'XLSX 输出需要 -o <文件>。', en: 'XLSX output needs -o <file>.' });
      }
      const { report, parsed } = await loadReport(input);
      const out = await render(report, o.to);
      if (parsed && report.uncertain.length) {
        const n = report.uncertain.length;
        process.stderr.write(o.lang === 'zh' ? `${input}：${n} 个单元格无法确定，输出为空白。\n` : `${input}: ${n} uncertain cell(s) written blank.\n`);
      }
      if (!o.output || o.output === '-') process.stdout.write(out);
      else writeAtomic(o.output, out);
    });
}
