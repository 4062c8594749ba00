// The statutory templates as data. Readers, recognisers, checks, schema and writers all read
// from here; nothing else hard-codes a row label or a column key.
//
// Sources: 国办公开办函〔2019〕60号 ("2019") and 国办公开办函〔2021〕30号 ("2021"), as summarised in
// ../shared/spec/annual-report-format.md §§1–5.

export type TemplateId = '2019' | '2021';
export const TEMPLATES: readonly TemplateId[] = ['2019', '2021'];

export interface Label {
  /** The statutory wording. */
  zh: string;
  en: string;
}

// ---------------------------------------------------------------- sections (§1)

export type SectionKey = 'overview' | 'proactive' | 'requests' | 'reviewLitigation' | 'problems' | 'other';

export interface SectionDef {
  key: SectionKey;
  numeral: string;
  title: Label;
  /** Core phrases that identify the heading after NFKC + whitespace removal (any one suffices). */
  core: RegExp;
}

export const SECTIONS: readonly SectionDef[] = [
  { key: 'overview', numeral: '一', title: { zh: '一、总体情况', en: '1. Overview' }, core: /总体情况|公开活动工作情况|工作总体情况/ },
  { key: 'proactive', numeral: '二', title: { zh: '二、主动公开政府信息情况', en: '2. Proactive disclosure' }, core: /主动公开政府信息(?:的)?情况/ },
  { key: 'requests', numeral: '三', title: { zh: '三、收到和处理政府信息公开申请情况', en: '3. Requests received and handled' }, core: /收到和处理政府信息公开申请(?:的)?情况/ },
  { key: 'reviewLitigation', numeral: '四', title: { zh: '四、政府信息公开行政复议、行政诉讼情况', en: '4. Administrative review and litigation' }, core: /行政复议[、和及与,]*(?:提起)?行政诉讼(?:的)?情况/ },
  { key: 'problems', numeral: '五', title: { zh: '五、存在的主要问题及改进情况', en: '5. Main problems and improvements' }, core: /存在的主要问题|存在的问题及改进|主要问题及改进/ },
  { key: 'other', numeral: '六', title: { zh: '六、其他需要报告的事项', en: '6. Other matters to report' }, core: /其他需要报告的事项/ },
];

// ---------------------------------------------------------------- table 3 (§3)

export const APPLICANT_COLUMNS = ['naturalPerson', 'commercial', 'research', 'social', 'legal', 'otherOrg'] as const;
export type ApplicantColumn = (typeof APPLICANT_COLUMNS)[number];
export const TABLE3_COLUMNS = [...APPLICANT_COLUMNS, 'total'] as const;
export type Table3Column = (typeof TABLE3_COLUMNS)[number];

/** Header wording of the statutory tables besides the row and column labels. */
export const TABLE3_NOTE = '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）';
export const TABLE3_APPLICANTS = '申请人情况';
export const TABLE3_ORGS = '法人或其他组织';
export const TABLE3_RESULTS = '三、本年度办理结果';
export const PARTIAL_NOTE = '（区分处理的，只计这一情形，不计其他情形）';
export const TABLE2_ITEM_HEAD = '信息内容';

export const TABLE3_COLUMN_LABELS: Record<Table3Column, Label> = {
  naturalPerson: { zh: '自然人', en: 'natural persons' },
  commercial: { zh: '商业企业', en: 'commercial enterprises' },
  research: { zh: '科研机构', en: 'research institutions' },
  social: { zh: '社会公益组织', en: 'public-interest organisations' },
  legal: { zh: '法律服务机构', en: 'legal service providers' },
  otherOrg: { zh: '其他', en: 'other organisations' },
  total: { zh: '总计', en: 'total' },
};

export type Table3Group = 'top' | 'outcome' | 'total';

export interface Table3RowDef {
  key: string;
  templates: readonly TemplateId[];
  group: Table3Group;
  /** Numbering as printed: 一 / (一) / 1. — used to build the full label. */
  label: Label;
  /** Sub-item number within its block (1., 2., …) when the row is numbered that way. */
  item?: number;
  /** Distinctive phrases; the first match in order anchors the row. */
  anchors: readonly string[];
  /** Anchors used only when the row's primary anchors are absent (e.g. a single (六)其他处理 row). */
  fallbackAnchors?: readonly string[];
}

const both: readonly TemplateId[] = ['2019', '2021'];
export const TABLE3_ROWS: readonly Table3RowDef[] = [
  { key: 'newReceived', templates: both, group: 'top', label: { zh: '一、本年新收政府信息公开申请数量', en: 'I. New requests received this year' }, anchors: ['本年新收'] },
  { key: 'carriedOver', templates: both, group: 'top', label: { zh: '二、上年结转政府信息公开申请数量', en: 'II. Requests carried over from last year' }, anchors: ['上年结转'] },
  { key: 'granted', templates: both, group: 'outcome', label: { zh: '（一）予以公开', en: '(1) Granted' }, anchors: ['予以公开'] },
  { key: 'partiallyGranted', templates: both, group: 'outcome', label: { zh: '（二）部分公开', en: '(2) Partially granted' }, anchors: ['部分公开'] },
  { key: 'denied.stateSecret', templates: both, group: 'outcome', item: 1, label: { zh: '（三）不予公开 1.属于国家秘密', en: '(3) Denied: 1. state secret' }, anchors: ['国家秘密'] },
  { key: 'denied.prohibitedByLaw', templates: both, group: 'outcome', item: 2, label: { zh: '2.其他法律行政法规禁止公开', en: '2. prohibited by other laws' }, anchors: ['其他法律行政', '法规禁止公开', '禁止公开'] },
  { key: 'denied.threeSecurities', templates: both, group: 'outcome', item: 3, label: { zh: '3.危及“三安全一稳定”', en: '3. endangers the “three securities and one stability”' }, anchors: ['三安全一稳定', '危及'] },
  { key: 'denied.thirdParty', templates: both, group: 'outcome', item: 4, label: { zh: '4.保护第三方合法权益', en: '4. protects third-party rights' }, anchors: ['第三方合法', '保护第三方'] },
  { key: 'denied.internalAffairs', templates: both, group: 'outcome', item: 5, label: { zh: '5.属于三类内部事务信息', en: '5. internal affairs' }, anchors: ['内部事务', '三类内部', '事务信息'] },
  { key: 'denied.processInfo', templates: both, group: 'outcome', item: 6, label: { zh: '6.属于四类过程性信息', en: '6. process information' }, anchors: ['过程性信息', '四类过程'] },
  { key: 'denied.enforcementFiles', templates: both, group: 'outcome', item: 7, label: { zh: '7.属于行政执法案卷', en: '7. enforcement files' }, anchors: ['行政执法案卷', '执法案卷', '行政执法'] },
  { key: 'denied.queryMatters', templates: both, group: 'outcome', item: 8, label: { zh: '8.属于行政查询事项', en: '8. administrative query matters' }, anchors: ['行政查询', '查询事项'] },
  { key: 'unavailable.notHeld', templates: both, group: 'outcome', item: 1, label: { zh: '（四）无法提供 1.本机关不掌握相关政府信息', en: '(4) Unavailable: 1. not held' }, anchors: ['不掌握', '掌握相关'] },
  { key: 'unavailable.needsCreation', templates: both, group: 'outcome', item: 2, label: { zh: '2.没有现成信息需要另行制作', en: '2. would need to be created' }, anchors: ['另行制作', '没有现成信息'] },
  { key: 'unavailable.unclear', templates: both, group: 'outcome', item: 3, label: { zh: '3.补正后申请内容仍不明确', en: '3. still unclear after correction' }, anchors: ['仍不明确', '补正后申请', '内容仍不'] },
  { key: 'notProcessed.petition', templates: both, group: 'outcome', item: 1, label: { zh: '（五）不予处理 1.信访举报投诉类申请', en: '(5) Not processed: 1. petitions and complaints' }, anchors: ['信访[、,]?举报', '举报[、,]?投诉'] },
  { key: 'notProcessed.duplicate', templates: both, group: 'outcome', item: 2, label: { zh: '2.重复申请', en: '2. duplicate requests' }, anchors: ['重复申请'] },
  { key: 'notProcessed.publication', templates: both, group: 'outcome', item: 3, label: { zh: '3.要求提供公开出版物', en: '3. published materials' }, anchors: ['公开出版物', '要求提供公开出', '要求提供'] },
  { key: 'notProcessed.excessive', templates: both, group: 'outcome', item: 4, label: { zh: '4.无正当理由大量反复申请', en: '4. excessive repeated requests' }, anchors: ['大量反复', '无正当理由大量', '无正当理由大'] },
  { key: 'notProcessed.confirmation', templates: both, group: 'outcome', item: 5, label: { zh: '5.要求行政机关确认或重新出具已获取信息', en: '5. confirmation or re-issue of information held' }, anchors: ['确认或重新', '要求行政机关确认', '重新出具'] },
  { key: 'other.noCorrection', templates: ['2021'], group: 'outcome', item: 1, label: { zh: '（六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请', en: '(6) Other: 1. no correction in time' }, anchors: ['逾期不补', '无正当理由逾期', '期不补正'] },
  { key: 'other.unpaidFees', templates: ['2021'], group: 'outcome', item: 2, label: { zh: '2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请', en: '2. fees not paid in time' }, anchors: ['缴纳费用', '收费通知', '逾期未按收费', '逾期未'] },
  { key: 'other.other', templates: both, group: 'outcome', item: 3, label: { zh: '3.其他 / （六）其他处理', en: '3. other / (6) other handling' }, anchors: ['(?:3[.、．]|\\(3\\))其他(?!法律|结果|组织|处理|需要|对外)'], fallbackAnchors: ['\\(六\\)其他处理', '六、?其他处理', '\\(六\\)其他(?!法律|结果|组织|需要|对外)'] },
  { key: 'totalHandled', templates: both, group: 'total', label: { zh: '（七）总计', en: '(7) Total handled' }, anchors: ['\\(七\\)总计', '七、总计', '\\(七\\)合计', '七、合计'], fallbackAnchors: ['总计'] },
  { key: 'carriedForward', templates: both, group: 'top', label: { zh: '四、结转下年度继续办理', en: 'IV. Carried forward to next year' }, anchors: ['结转下年', '结转下一年', '结转至下'] },
];

export function table3Rows(t: TemplateId): Table3RowDef[] {
  return TABLE3_ROWS.filter((r) => r.templates.includes(t));
}

// ---------------------------------------------------------------- table 2 (§2)

export interface Table2FieldDef {
  key: string;
  label: Label;
  kind: 'count' | 'signed' | 'money';
}
export interface Table2RowDef {
  key: string;
  block: string; // 第二十条第（X）项
  label: Label;
  anchors: readonly string[];
  fields: readonly Table2FieldDef[];
}

const count = (key: string, zh: string, en: string): Table2FieldDef => ({ key, label: { zh, en }, kind: 'count' });
const T21_DOC = [count('issued', '本年制发件数', 'issued this year'), count('repealed', '本年废止件数', 'repealed this year'), count('inForce', '现行有效件数', 'in force')];
const T19_DOC = [count('made', '本年新制作数量', 'made this year'), count('published', '本年新公开数量', 'published this year'), count('total', '对外公开总数量', 'total published')];
const T19_ITEMS = [count('previous', '上一年项目数量', 'items last year'), { key: 'change', label: { zh: '本年增/减', en: 'change this year' }, kind: 'signed' as const }, count('decisions', '处理决定数量', 'decisions')];

export const TABLE2: Record<TemplateId, readonly Table2RowDef[]> = {
  '2021': [
    { key: 'regulations', block: '（一）', label: { zh: '规章', en: 'regulations' }, anchors: ['规章'], fields: T21_DOC },
    { key: 'normativeDocuments', block: '（一）', label: { zh: '行政规范性文件', en: 'normative documents' }, anchors: ['规范性文件'], fields: T21_DOC },
    { key: 'licensing', block: '（五）', label: { zh: '行政许可', en: 'licensing' }, anchors: ['行政许可'], fields: [count('decisions', '本年处理决定数量', 'decisions this year')] },
    { key: 'punishment', block: '（六）', label: { zh: '行政处罚', en: 'penalties' }, anchors: ['行政处罚'], fields: [count('decisions', '本年处理决定数量', 'decisions this year')] },
    { key: 'enforcement', block: '（六）', label: { zh: '行政强制', en: 'compulsory measures' }, anchors: ['行政强制'], fields: [count('decisions', '本年处理决定数量', 'decisions this year')] },
    { key: 'fees', block: '（八）', label: { zh: '行政事业性收费', en: 'administrative fees' }, anchors: ['行政事业性收费', '事业性收费'], fields: [{ key: 'amount', label: { zh: '本年收费金额（单位：万元）', en: 'fees collected (10k yuan)' }, kind: 'money' }] },
  ],
  '2019': [
    { key: 'regulations', block: '（一）', label: { zh: '规章', en: 'regulations' }, anchors: ['规章'], fields: T19_DOC },
    { key: 'normativeDocuments', block: '（一）', label: { zh: '规范性文件', en: 'normative documents' }, anchors: ['规范性文件'], fields: T19_DOC },
    { key: 'licensing', block: '（五）', label: { zh: '行政许可', en: 'licensing' }, anchors: ['行政许可'], fields: T19_ITEMS },
    { key: 'otherServices', block: '（五）', label: { zh: '其他对外管理服务事项', en: 'other external services' }, anchors: ['其他对外管理服务', '对外管理[、,]?服务'], fields: T19_ITEMS },
    { key: 'punishment', block: '（六）', label: { zh: '行政处罚', en: 'penalties' }, anchors: ['行政处罚'], fields: T19_ITEMS },
    { key: 'enforcement', block: '（六）', label: { zh: '行政强制', en: 'compulsory measures' }, anchors: ['行政强制'], fields: T19_ITEMS },
    { key: 'fees', block: '（八）', label: { zh: '行政事业性收费', en: 'administrative fees (items)' }, anchors: ['行政事业性收费', '事业性收费'], fields: T19_ITEMS.slice(0, 2) },
    { key: 'procurement', block: '（九）', label: { zh: '政府集中采购', en: 'central government procurement' }, anchors: ['政府集中采购', '集中采购', '政府采购'], fields: [count('projects', '采购项目数量', 'projects'), { key: 'amount', label: { zh: '采购总金额', en: 'procurement amount (10k yuan)' }, kind: 'money' }] },
  ],
};

/** Markers that tell the template from table content (spec §6), never from a cited notice. */
export const TEMPLATE_MARKERS: Record<TemplateId, readonly RegExp[]> = {
  '2019': [/本年新制作数量/, /上一年项目数量/, /本年增\/?减/, /其他对外管理服务事项/, /政府集中采购/, /第二十条第?\(九\)项/],
  '2021': [/本年制发件数/, /现行有效件数/, /本年收费金额/, /逾期不补正/, /缴纳费用/],
};

// ---------------------------------------------------------------- table 4 (§4)

export const TABLE4_GROUPS = ['review', 'litigationDirect', 'litigationAfterReview'] as const;
export type Table4Group = (typeof TABLE4_GROUPS)[number];
export const TABLE4_COLUMNS = ['upheld', 'corrected', 'other', 'pending', 'total'] as const;
export type Table4Column = (typeof TABLE4_COLUMNS)[number];
export const TABLE4_GROUP_LABELS: Record<Table4Group, Label> = {
  review: { zh: '行政复议', en: 'administrative review' },
  litigationDirect: { zh: '行政诉讼·未经复议直接起诉', en: 'litigation without prior review' },
  litigationAfterReview: { zh: '行政诉讼·复议后起诉', en: 'litigation after review' },
};
export const TABLE4_COLUMN_LABELS: Record<Table4Column, Label> = {
  upheld: { zh: '结果维持', en: 'upheld' },
  corrected: { zh: '结果纠正', en: 'corrected' },
  other: { zh: '其他结果', en: 'other result' },
  pending: { zh: '尚未审结', en: 'pending' },
  total: { zh: '总计', en: 'total' },
};

export const TABLE_TITLES: Record<'table2' | 'table3' | 'table4', Label> = {
  table2: { zh: '表二 主动公开政府信息情况', en: 'Table 2: proactive disclosure' },
  table3: { zh: '表三 收到和处理政府信息公开申请情况', en: 'Table 3: requests received and handled' },
  table4: { zh: '表四 政府信息公开行政复议、行政诉讼情况', en: 'Table 4: review and litigation' },
};

/** The template a report of this year must use (spec §6). */
export function expectedTemplate(year: number): TemplateId | null {
  if (year <= 2018) return null;
  return year <= 2020 ? '2019' : '2021';
}
