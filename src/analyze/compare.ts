// Differences between two reports: cell by cell, and a line diff of each section's text.
import { cellPaths, getCell, type CellValue, type Report } from '../model/report.js';
import { SECTIONS, type SectionKey } from '../model/template.js';

export interface CellDiff {
  path: string;
  a: CellValue | undefined;
  b: CellValue | undefined;
}

export type DiffLine = { op: ' ' | '-' | '+'; text: string };

export interface SectionDiff {
  section: SectionKey;
  title: string;
  lines: DiffLine[];
}

export interface Comparison {
  fields: { field: string; a: unknown; b: unknown }[];
  cells: CellDiff[];
  sections: SectionDiff[];
}

export function compareReports(a: Report, b: Report): Comparison {
  const fields = (['template', 'year', 'agency', 'title', 'publishedAt'] as const)
    .filter((k) => a[k] !== b[k])
    .map((k) => ({ field: k, a: a[k], b: b[k] }));
  const paths = [...new Set([...cellPaths(a.template), ...cellPaths(b.template)])];
  const cells: CellDiff[] = [];
  for (const p of paths) {
    const va = getCell(a, p);
    const vb = getCell(b, p);
    if (va !== vb) cells.push({ path: p, a: va, b: vb });
  }
  const sections: SectionDiff[] = [];
  for (const s of SECTIONS) {
    const ta = a.sections?.[s.key] ?? '';
    const tb = b.sections?.[s.key] ?? '';
    if (ta === tb) continue;
    sections.push({ section: s.key, title: s.title.zh, lines: diffLines(splitLines(ta), splitLines(tb)) });
  }
  return { fields, cells, sections };
}

function splitLines(t: string): string[] {
  return t
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Line diff by longest common subsequence (sections are short; bounded to stay quick). */
export function diffLines(a: string[], b: string[]): DiffLine[] {
  // Trim the common head and tail first: most edits are local.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const A = a.slice(head, a.length - tail);
  const B = b.slice(head, b.length - tail);
  const out: DiffLine[] = a.slice(0, head).map((text) => ({ op: ' ' as const, text }));
  if (A.length * B.length > 4_000_000) {
    out.push(...A.map((text) => ({ op: '-' as const, text })), ...B.map((text) => ({ op: '+' as const, text })));
  } else {
    const n = A.length, m = B.length;
    const L = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) L[i][j] = A[i] === B[j] ? L[i + 1][j + 1] + 1 : Math.max(L[i + 1][j], L[i][j + 1]);
    let i = 0, j = 0;
    while (i < n && j < m) {
      if (A[i] === B[j]) {
        out.push({ op: ' ', text: A[i] });
        i++;
        j++;
      } else if (L[i + 1][j] >= L[i][j + 1]) out.push({ op: '-', text: A[i++] });
      else out.push({ op: '+', text: B[j++] });
    }
    while (i < n) out.push({ op: '-', text: A[i++] });
    while (j < m) out.push({ op: '+', text: B[j++] });
  }
  out.push(...a.slice(a.length - tail).map((text) => ({ op: ' ' as const, text })));
  return out;
}
