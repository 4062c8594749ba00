// Expand CLI arguments (files, directories, "-") into inputs. Directories are walked for
// report-like files; "-" is standard input.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const REPORT_EXT = /\.(txt|text|md|html?|shtml|xhtml|docx?|wps|pdf|xlsx|csv|json)$/i;

export function expandInputs(args: string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    if (a === '-') {
      out.push('-');
      continue;
    }
    let st;
    try {
      st = statSync(a);
    } catch {
      out.push(a); // reported as an error for this input, the batch goes on
      continue;
    }
    if (st.isDirectory()) out.push(...walk(a));
    else out.push(a);
  }
  return out;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith('.') || name === 'node_modules') continue;
    const p = join(dir, name);
    const st = statSync(p);
    if (st.isDirectory()) out.push(...walk(p));
    else if (REPORT_EXT.test(name) && !/^truth\.json$/.test(name)) out.push(p);
  }
  return out;
}
