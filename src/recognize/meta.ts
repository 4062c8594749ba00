// Title, agency, year and publication date (spec §6 "Date sources", §9 标题不规范).

export interface Meta {
  title: string | null;
  agency: string | null;
  year: number | null;
  publishedAt: string | null;
  titleOffset?: number;
  dateOffset?: number;
}

// The year may also sit inside the name: "…政府信息公开工作2021年度报告".
// An agency named "…镇政府" may drop the 政府 of the report's name after its year: "某某镇政府2022年信息公开工作年度报告",
// "千金乡人民政府2021年信息公开年度报告".
const LONG_LINE_TITLE = /^([^\s。，；,]{2,40}\s?\d{4}\s*年度?(?:政府信息公开|政务公开)(?:工作)?(?:年度)?报告)\s/;
const TITLE_CORE = /政府信息公开(?:工作)?的?(?:\d{4}\s*年度?)?(?:年度)?(?:工作)?报告|政务公开(?:工作)?年度报告|\d{4}\s*年度?信息公开(?:工作)?(?:年度)?报告/;

/**
 * `head` is the text before the first section heading (or the first lines of the document),
 * NFKC-normalised; `full` the whole text, for the statistical period.
 */
export function extractMeta(head: string, full: string): Meta {
  // The head's lines as written (for offsets and the byline), and trimmed (for the title).
  const rawLines = head.split('\n');
  const lines = rawLines.map((l) => l.replace(/^[\s#*>•·]+|[\s]+$/g, ''));
  let title: string | null = null;
  let titleOffset: number | undefined;
  let offset = 0;
  const offsets: number[] = [];
  for (const l of rawLines) {
    offsets.push(offset);
    offset += l.length + 1;
  }
  for (let i = 0; i < lines.length && title === null; i++) {
    // A CMS metadata line: "名  称: <title> 发布机构: <agency>": the label before, the next label after.
    let l = lines[i].replace(/^(?:标\s*题|题\s*目|title|(?:信息|文件)?名\s*称)\s*[:：]\s*/i, '').replace(/(报告)\s+[^\s:：]{2,8}\s*[:：].*$/, '$1');
    // Crawler text that runs the whole page into one line starts with the title, then a space:
    // "保定市某某局 2021年度政府信息公开工作年度报告 根据《条例》…".
    if (l.length > 80) l = LONG_LINE_TITLE.exec(l)?.[1] ?? l;
    if (!l || l.length > 80) continue;
    const next = (lines[i + 1] ?? '').trim();
    const prev = (lines[i - 1] ?? '').trim();
    if (/政府信息公开/.test(l) && !TITLE_CORE.test(l) && /^(?:工作)?(?:年度)?报告$/.test(next)) l = l + next; // title split over two lines
    // A long title wrapped anywhere by a PDF's line width ("…工作年" / "度报告", "…政府信" / "息公开…").
    // A next line that is a whole title by itself is no continuation (a breadcrumb ending in a
    // year folder, "当前位置：首页 > 2023年 > 区县", above the title).
    else if (!TITLE_CORE.test(l) && /\d{4}\s*年/.test(l) && next.length <= 24 && !/[。；，]/.test(next) && !TITLE_CORE.test(next) && TITLE_CORE.test((l + next).replace(/\s+/g, ''))) l = l + next;
    if (!TITLE_CORE.test(l)) continue;
    // "关于2021年度政府信息公开工作的年度报告" is a title; "关于印发…" / "关于做好…" are not.
    if (/^(?:本|根据|依据|按照|现|为|关于(?!\d{4}\s*年))/.test(l) || /[。；]/.test(l) || /(?:通知|公告|通报|函|意见|方案|要点)$/.test(l)) continue;
    if (inReportList(lines, i)) continue;
    l = l.split(/\s*[>»›]\s*/).pop()!; // breadcrumbs: 首页 > 政务公开 > …报告
    // A year or agency printed on its own line next to the title (PDF renderings).
    if (!/\d{4}/.test(l) && /^\d{4}$/.test(next)) l = next + l;
    else if (!/\d{4}/.test(l) && /^\d{4}$/.test(prev)) l = prev + l;
    // The agency on its own line above a title that starts with the year or with the report's
    // name itself ("乌海市工业和信息化局" / "政府信息公开工作年度报告", a two-line heading).
    if (/^\s*(?:\d{4}\s*年|政府信息公开|政务公开)/.test(l) && prev && prev.length <= 30 && !/[。，,：:]/.test(prev) && !TITLE_CORE.test(prev) && /[局委办府厅处院会室所部街道镇乡区县市省]$/.test(prev)) l = prev + l;
    title = l.replace(/\s+/g, '');
    titleOffset = offsets[i];
    // A page's own title without the agency ("2022年政府信息公开工作年度报告"), then the report's
    // heading in two lines: the agency, and the same title again. The heading names the agency.
    if (/^(?:关于)?\d{4}\s*年/.test(title)) {
      for (let j = i + 2; j <= i + 8 && j < lines.length; j++) {
        if (lines[j].replace(/\s+/g, '') !== title) continue;
        let k = j - 1;
        while (k > i && !lines[k].trim()) k--; // blank lines between the agency and the title
        const above = lines[k].trim();
        if (k > i && above.length <= 30 && !/[。，,：:]/.test(above) && !TITLE_CORE.test(above) && /[局委办府厅处院会室所部街道镇乡区县市省]$/.test(above)) {
          title = above.replace(/\s+/g, '') + title;
          titleOffset = offsets[k];
        }
        break;
      }
    }
  }
  let agency: string | null = null;
  let year: number | null = null;
  if (title) {
    const m = /^(.*?)(\d{4})\s*年度?(.*?)(?:政府信息公开|政务公开)/.exec(title) ?? /^(.*?)(\d{4})\s*年度?()信息公开/.exec(title);
    if (m) {
      year = Number(m[2]);
      agency = (m[1] || m[3] || '').replace(/关于$/, '').replace(/[（(].*?[)）]$/, '').trim() || null;
    } else {
      const inName = /(?:政府信息公开|政务公开)(?:工作)?(\d{4})\s*年/.exec(title);
      if (inName) year = Number(inName[1]);
      const a = /^(.*?)(?:政府信息公开|政务公开)/.exec(title);
      // "年…" is a title whose year was printed apart from it (a PDF's separate text run).
      agency = a && a[1] ? a[1].replace(/^年度?/, '') || null : null;
    }
  }
  if (year === null) {
    const p = /统计期限[^。\n]{0,20}?(\d{4})\s*年/.exec(full) ?? /(\d{4})\s*年度?政府信息公开/.exec(full);
    if (p) year = Number(p[1]);
  }
  let date = findPublishedAt(head);
  if (!date && titleOffset !== undefined) {
    // The site's byline under the title, ending in the date it was put up: "银川市人民政府门户网站
    // www.yinchuan.gov.cn 2023-01-30". Only the next two lines, only a numeric y-m-d at the line's end.
    const ti = offsets.indexOf(titleOffset);
    for (let j = ti + 1, seen = 0; j < lines.length && seen < 2; j++) {
      const raw = rawLines[j] ?? '';
      if (!raw.trim()) continue;
      seen++;
      const m = BYLINE_DATE.exec(raw);
      if (m && raw.trim().length <= 60 && !/[。，；]/.test(raw)) {
        const iso = toIso(m[1], m[2], m[3]);
        if (iso) date = { iso, offset: offsets[j] + m.index };
        break;
      }
    }
  }
  return { title, agency, year, publishedAt: date?.iso ?? null, titleOffset, dateOffset: date?.offset };
}

/**
 * A title line next to another title line of another year is an item of a list of reports (a
 * CMS sidebar "年度报告: 2018年…报告 / 2017年…报告" copied before the report), not its title.
 */
function inReportList(lines: string[], i: number): boolean {
  const year = /(\d{4})\s*年/.exec(lines[i])?.[1];
  if (!year) return false;
  for (const j of [i - 1, i + 1]) {
    const l = lines[j] ?? '';
    const y = /(\d{4})\s*年/.exec(l)?.[1];
    if (y && y !== year && l.length <= 80 && TITLE_CORE.test(l)) return true;
  }
  return false;
}

const DATE = String.raw`(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:[-/.月])\s*(\d{1,2})\s*日?`;

/** 发布日期/发布时间 first, then 成文日期, then a bare date line under the title. */
// Compiled once (none has the g flag, so sharing them keeps no state between calls).
const LABELLED_DATES = [
  new RegExp(`(?:发布日期|发布时间|公开日期|发文日期|信息提供日期)\\s*[:：]?\\s*${DATE}`),
  new RegExp(`(?:成文日期|生成日期|印发日期)(?:/有效期)?\\s*[:：]?\\s*\\|?\\s*${DATE}`),
  // A bare 时间/日期 label after a space or another label ("来源:日期:2024-01-24"), never inside a
  // longer Chinese label (统计时间, 废止日期).
  new RegExp(`(?:^|[^\\u4e00-\\u9fff])(?:时间|日期)\\s*[:：]\\s*${DATE}`),
];
const BYLINE_DATE = /(?:^|\s)(\d{4})-(\d{1,2})-(\d{1,2})(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*$/;
const DATE_LINE = new RegExp(`^\\s*[(（]?\\s*${DATE}\\s*[)）]?\\s*$`);

export function findPublishedAt(head: string): { iso: string; offset: number } | null {
  for (const re of LABELLED_DATES) {
    const m = re.exec(head);
    if (m) {
      const iso = toIso(m[1], m[2], m[3]);
      if (iso) return { iso, offset: m.index };
    }
  }
  // A date alone on a line near the top, as printed under the title: "（2026年1月23日）".
  const lines = head.split('\n', 12); // only the first 12 lines are looked at
  let off = 0;
  for (let i = 0; i < Math.min(lines.length, 12); i++) {
    const m = DATE_LINE.exec(lines[i]);
    if (m) {
      const iso = toIso(m[1], m[2], m[3]);
      if (iso) return { iso, offset: off };
    }
    off += lines[i].length + 1;
  }
  return null;
}

function toIso(y: string, m: string, d: string): string | null {
  const Y = Number(y), M = Number(m), D = Number(d);
  if (Y < 1990 || Y > 2100 || M < 1 || M > 12 || D < 1 || D > 31) return null;
  const dt = new Date(Date.UTC(Y, M - 1, D));
  if (dt.getUTCMonth() !== M - 1) return null;
  return `${Y}-${String(M).padStart(2, '0')}-${String(D).padStart(2, '0')}`;
}

/**
 * The year a text's first non-empty line opens with, as a report's overview does ("2023年，我局…",
 * "2020年七里坪镇严格按照…"); not a date ("2023年5月") nor a span ("2019年以来", "2022年底").
 */
export function yearOpening(text: string): number | null {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l.length > 0) ?? '';
  const m = /^(\d{4})\s*年度?(?![\d\s月底末初以至到—–-]|来)/.exec(line);
  return m ? Number(m[1]) : null;
}

/**
 * The statistical year the overview states in prose, when no title or period gives it: "截止
 * 2023年12月31日" (the period's end) or a clause opening "2022年，我局…". Every such statement
 * in the text must name the same year; otherwise null. Other years ("2021年以来", "2020年5月",
 * a year cited mid-clause) are not taken.
 */
export function yearInProse(text: string): number | null {
  const found = new Set<number>();
  for (const re of [PERIOD_END, CLAUSE_YEAR]) {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(text))) found.add(Number(m[1]));
  }
  if (found.size !== 1) return null;
  const [y] = found;
  return y >= 2008 && y <= 2100 ? y : null;
}
const PERIOD_END = /(?:截[止至]|至)\s*(\d{4})\s*年\s*12\s*月\s*31\s*日/g;
const CLAUSE_YEAR = /(?:^|[。；;，,\n])\s*(\d{4})\s*年度?\s*[，,]/g;
