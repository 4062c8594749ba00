// Canonical report → PDF: the DOCX writer's output converted by LibreOffice headless
// (`soffice --headless --convert-to pdf`), which embeds the fonts it typesets with (with
// fonts-noto-cjk installed, Noto Serif/Sans CJK stand in for 仿宋_GB2312 / 宋体 / 黑体). Each
// call uses its own throw-away LibreOffice profile (-env:UserInstallation) so parallel runs
// never share a lock, runs under a 60 s timeout and removes its temporary directory.
// Several reports can be converted in one soffice start (renderPdf([...])): starting
// LibreOffice dominates the cost.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, delimiter, extname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GongkaiError } from '../errors.js';
import type { Report } from '../model/report.js';
import { renderDocx } from './docx.js';

export interface PdfOptions {
  /** Path of the soffice binary (default: $GONGKAI_SOFFICE, else soffice/libreoffice on PATH). */
  soffice?: string;
  /** Kill LibreOffice after this long (default 60 s). */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT = 60_000;
const INSTALL_HINT = 'apt-get install libreoffice-writer-nogui fonts-noto-cjk';

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The soffice binary to use, or null when LibreOffice is not installed. */
export function findSoffice(): string | null {
  const env = process.env.GONGKAI_SOFFICE;
  if (env) return isExecutable(env) ? env : null;
  const names = process.platform === 'win32' ? ['soffice.exe', 'soffice.com'] : ['soffice', 'libreoffice'];
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const n of names) if (isExecutable(join(dir, n))) return join(dir, n);
  }
  const known = ['/usr/bin/soffice', '/usr/lib/libreoffice/program/soffice', '/opt/libreoffice/program/soffice', '/Applications/LibreOffice.app/Contents/MacOS/soffice', 'C:\\Program Files\\LibreOffice\\program\\soffice.exe'];
  return known.find(isExecutable) ?? null;
}

function converterMissing(source: string): GongkaiError {
  return new GongkaiError('converter-missing', source, {
    zh: `输出 PDF 需要 LibreOffice（soffice），但本机未找到。请安装 LibreOffice 及中文字体，例如：${INSTALL_HINT}；或设置环境变量 GONGKAI_SOFFICE 指向 soffice。`,
    en: `PDF output needs LibreOffice (soffice), which was not found. Install LibreOffice and CJK fonts, e.g. ${INSTALL_HINT}, or point GONGKAI_SOFFICE at soffice.`,
  });
}

/**
 * Converts files with LibreOffice headless in one soffice start; returns the output paths
 * (same base names, extension `format`) in input order. Throws converter-missing when soffice
 * is absent and a GongkaiError when the conversion fails or times out.
 */
export async function convertWithSoffice(files: string[], format: string, outdir: string, opts: PdfOptions = {}): Promise<string[]> {
  const soffice = opts.soffice ?? findSoffice();
  if (!soffice || !isExecutable(soffice)) throw converterMissing(files[0] ?? 'soffice');
  const profile = mkdtempSync(join(tmpdir(), `gk-lo-${process.pid}-${randomBytes(4).toString('hex')}-`));
  const args = ['--headless', '--norestore', '--nologo', '--nodefault', '--nolockcheck', `-env:UserInstallation=${pathToFileURL(profile).href}`, '--convert-to', format, '--outdir', outdir, ...files];
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(soffice, args, { timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT, killSignal: 'SIGKILL', maxBuffer: 16 * 1024 * 1024, env: { ...process.env, HOME: profile } }, (err, _stdout, stderr) => {
        if (!err) return resolve();
        const e = err as NodeJS.ErrnoException & { killed?: boolean };
        if (e.code === 'ENOENT') return reject(converterMissing(files[0] ?? soffice));
        const why = e.killed ? `timed out after ${Math.round((opts.timeoutMs ?? DEFAULT_TIMEOUT) / 1000)} s` : `${e.message.split('\n')[0]} ${String(stderr).trim()}`;
        reject(new GongkaiError('io-error', files[0] ?? soffice, { zh: `LibreOffice 转换失败：${why}`, en: `LibreOffice conversion failed: ${why}` }));
      });
    });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
  const outs = files.map((f) => join(outdir, `${basename(f, extname(f))}.${format.split(':')[0]}`));
  const missing = outs.filter((o) => !existsSync(o));
  if (missing.length) {
    throw new GongkaiError('io-error', files[0], {
      zh: `LibreOffice 未生成输出文件：${missing.map((m) => basename(m)).join('、')}`,
      en: `LibreOffice produced no output for: ${missing.map((m) => basename(m)).join(', ')}`,
    });
  }
  return outs;
}

/** One report as PDF bytes; or several reports, converted in a single LibreOffice start. */
export async function renderPdf(r: Report, opts?: PdfOptions): Promise<Buffer>;
export async function renderPdf(r: Report[], opts?: PdfOptions): Promise<Buffer[]>;
export async function renderPdf(r: Report | Report[], opts: PdfOptions = {}): Promise<Buffer | Buffer[]> {
  const reports = Array.isArray(r) ? r : [r];
  const soffice = opts.soffice ?? findSoffice();
  if (!soffice || !isExecutable(soffice)) throw converterMissing(reports[0]?.title ?? 'pdf');
  const dir = mkdtempSync(join(tmpdir(), 'gk-pdf-'));
  try {
    const files: string[] = [];
    for (let i = 0; i < reports.length; i++) {
      const f = join(dir, `report-${i}.docx`);
      writeFileSync(f, await renderDocx(reports[i]));
      files.push(f);
    }
    const outs = await convertWithSoffice(files, 'pdf', dir, { ...opts, soffice });
    const pdfs = outs.map((o) => readFileSync(o));
    return Array.isArray(r) ? pdfs : pdfs[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
