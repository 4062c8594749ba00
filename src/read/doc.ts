// Legacy .doc/.wps/.xls (OLE compound files) → Document, by converting with LibreOffice
// (`soffice --headless --convert-to docx|xlsx`) and reading the result with the DOCX/XLSX
// reader. Each conversion runs in its own temporary folder with a private LibreOffice
// profile, so parallel runs do not clash, and is killed after CONVERTER_TIMEOUT_MS.
import { execFile } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { GongkaiError } from '../errors.js';
import type { ReadResult } from './index.js';
import { CONVERTER_TIMEOUT_MS } from './limits.js';
import { readZip } from './zip.js';

export type OleKind = 'doc' | 'xls' | 'ppt' | 'encrypted' | 'unknown';

/** What an OLE compound file holds, from the stream names in its directory (UTF-16LE). */
export function oleKind(bytes: Uint8Array): OleKind {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const has = (name: string) => buf.includes(Buffer.from(name, 'utf16le'));
  if (has('EncryptedPackage')) return 'encrypted'; // a password-protected DOCX/XLSX
  if (has('WordDocument')) return 'doc'; // Word and WPS Writer
  if (has('Workbook') || has('Book')) return 'xls';
  if (has('PowerPoint Document')) return 'ppt';
  return 'unknown';
}

/** Path of LibreOffice's soffice, if installed. GONGKAI_SOFFICE overrides the search. */
export function findSoffice(): string | undefined {
  const env = process.env.GONGKAI_SOFFICE;
  if (env !== undefined) return env && isFile(env) ? env : undefined;
  const names = process.platform === 'win32' ? ['soffice.exe', 'soffice.com'] : ['soffice', 'libreoffice'];
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean);
  if (process.platform === 'darwin') dirs.push('/Applications/LibreOffice.app/Contents/MacOS');
  else if (process.platform !== 'win32') dirs.push('/usr/bin', '/usr/local/bin', '/opt/libreoffice/program', '/usr/lib/libreoffice/program');
  for (const d of dirs) for (const n of names) if (isFile(join(d, n))) return join(d, n);
  return undefined;
}

function isFile(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isFile();
  } catch {
    return false;
  }
}

export async function readOle(bytes: Uint8Array, source: string): Promise<ReadResult> {
  const kind = oleKind(bytes);
  if (kind === 'encrypted') {
    throw new GongkaiError('unsupported-format', source, {
      zh: '文件设有打开密码（已加密），无法读取。请取消密码后另存，再重试。',
      en: 'The file is password-protected (encrypted) and cannot be read. Remove the password, save it again and retry.',
    });
  }
  if (kind === 'ppt' || kind === 'unknown') {
    throw new GongkaiError('unsupported-format', source, {
      zh: `这是一个 Office 复合文档（${kind === 'ppt' ? 'PowerPoint 演示文稿' : '未知类型'}），不是 Word 或 Excel 文件。请另存为 DOCX、PDF 或 XLSX 后重试。`,
      en: `This is an Office compound file (${kind === 'ppt' ? 'a PowerPoint presentation' : 'of unknown type'}), not a Word or Excel file. Save it as DOCX, PDF or XLSX and retry.`,
    });
  }
  const soffice = findSoffice();
  const label = kind === 'doc' ? '.doc/.wps' : '.xls';
  if (!soffice) {
    throw new GongkaiError('converter-missing', source, {
      zh: `读取 ${label} 需要安装 LibreOffice（apt-get install libreoffice-writer-nogui${kind === 'xls' ? ' libreoffice-calc-nogui' : ''}；macOS：brew install --cask libreoffice），或用 Word/WPS/Excel 将文件另存为 ${kind === 'doc' ? 'DOCX' : 'XLSX'} 后重试。`,
      en: `Reading ${label} files needs LibreOffice (apt-get install libreoffice-writer-nogui${kind === 'xls' ? ' libreoffice-calc-nogui' : ''}; macOS: brew install --cask libreoffice), or save the file as ${kind === 'doc' ? 'DOCX' : 'XLSX'} in Word/WPS/Excel and retry.`,
    });
  }
  const target = kind === 'doc' ? 'docx' : 'xlsx';
  const converted = await convertWithSoffice(soffice, bytes, kind === 'doc' ? 'doc' : 'xls', target, source);
  const r = await readZip(converted, source);
  if (kind === 'doc') r.doc.format = 'doc';
  return r;
}

/** Converts bytes with LibreOffice in a private temporary folder; returns the result's bytes. */
export async function convertWithSoffice(soffice: string, bytes: Uint8Array, ext: string, target: string, source: string): Promise<Uint8Array> {
  const dir = await mkdtemp(join(tmpdir(), 'gongkai-soffice-'));
  try {
    const input = join(dir, `input.${ext}`);
    const outDir = join(dir, 'out');
    await writeFile(input, bytes);
    const profile = pathToFileURL(join(dir, 'profile')).href;
    const args = [`-env:UserInstallation=${profile}`, '--headless', '--norestore', '--nologo', '--nodefault', '--nolockcheck', '--convert-to', target, '--outdir', outDir, input];
    const failure = await new Promise<string | null>((resolve) => {
      execFile(soffice, args, { timeout: CONVERTER_TIMEOUT_MS, killSignal: 'SIGKILL', maxBuffer: 4 << 20, env: { ...process.env, HOME: dir } }, (err, _stdout, stderr) => {
        if (!err) resolve(null);
        else if ((err as NodeJS.ErrnoException & { killed?: boolean }).killed) resolve(`timed out after ${CONVERTER_TIMEOUT_MS / 1000} s`);
        else resolve(`${err.message.split('\n')[0]} ${String(stderr).trim().split('\n').slice(-1)[0] ?? ''}`.trim());
      });
    });
    const outs = existsSync(outDir) ? (await readdir(outDir)).filter((f) => f.toLowerCase().endsWith(`.${target}`)) : [];
    if (!outs.length) {
      throw new GongkaiError('corrupt-file', source, {
        zh: `LibreOffice 无法转换此文件${failure ? `（${failure}）` : ''}。文件可能已损坏；请用 Word/WPS 打开后另存为 ${target.toUpperCase()} 再试。`,
        en: `LibreOffice could not convert the file${failure ? ` (${failure})` : ''}. It may be corrupt; open it in Word/WPS, save it as ${target.toUpperCase()} and retry.`,
      });
    }
    return new Uint8Array(await readFile(join(outDir, outs[0])));
  } finally {
    await rm(dir, { recursive: true, force: true }).catch(() => undefined);
  }
}
