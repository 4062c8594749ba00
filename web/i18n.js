// UI strings, Chinese first. Report data (messages, labels) comes bilingual from the API.
const STRINGS = {
  zh: {
    nav_author: '起草',
    author_title: '起草年度报告', author_hint: '按法定格式填写三张表格和六部分正文：输入时即时核查勾稽关系，合计可自动计算，可从 Excel 粘贴整行数字，可按数字生成第三、四部分草稿，最后输出 DOCX、PDF 等文件。表单保存在本浏览器标签页中，不会存入数据库。',
    author_start: '开始', author_other: '新建或续编其他报告', author_t2021: '2021 年格式（国办公开办函〔2021〕30号）', author_t2019: '2019 年格式（国办公开办函〔2019〕60号）',
    author_new: '新建空白表', author_from: '上年报告编号', author_from_go: '续编下一年度', author_from_hint: '带入上年“结转下年度继续办理”和章节标题（报告页面上也有“续编下一年度”链接）。', author_next: '续编下一年度',
    author_discard: '放弃当前表单', author_discard_hint: '清除本标签页中保存的表单。',
    author_check: '勾稽核查', author_no_errors: '没有错误', author_n_computed: '个合计可自动计算', author_computed: '可自动计算：', author_fill_totals: '填入计算的合计',
    author_draft: '从数字生成草稿', author_drafted: '已按表格数字生成第三、四部分草稿。', author_draft_empty: '空白单元格按 0 计算，共', author_undo: '撤销', author_undone: '已恢复原来的正文。',
    author_pasted: '已粘贴单元格：', author_paste_skipped: '超出表格未粘贴：',
    author_download: '输出与下载', author_download_hint: '服务器补全合计并逐项核查；有错误时不输出文件，并指出单元格。', author_cells_hint: '每格填数字（件数为非负整数，金额以万元计）；没有发生的填 0。合计可以留空，分项填齐后自动计算。可从 Excel 复制一行（或几行）粘贴到第一个单元格。',
    nav_upload: '上传核查', nav_search: '检索', nav_dashboard: '统计', nav_review: '审核', nav_rules: '规则', nav_users: '用户',
    login: '登录', logout: '退出', name: '用户名', password: '密码', setup_title: '创建第一个管理员', setup_hint: '数据库中还没有用户。请创建管理员账号（也可用命令 gongkai serve --init-admin <名称>）。', create: '创建',
    role_admin: '管理员', role_reviewer: '审核员', role_viewer: '访客',
    upload_title: '上传或粘贴一份年度报告', upload_hint: '支持 PDF、DOCX、DOC、XLSX、HTML、TXT 等格式；解析完全在本服务器上离线完成。',
    choose_file: '选择文件', or_paste: '或粘贴报告全文：', parse_only: '只核查（不保存）', parse_store: '核查并存入数据库', need_reviewer: '存入数据库需要审核员或管理员账号。',
    empty_title: '数据库还是空的', empty_cli: '用命令行批量导入：', empty_upload: '或在上方上传一份报告。', demo_button: '导入演示数据', demo_admin_only: '管理员可以导入一组由 Gongkai 生成的演示数据。', demo_done: '已导入演示数据：',
    tables: '表格', source: '原文', findings: '核查结果', no_findings: '未发现问题', sections: '正文',
    canonical_json: '规范 JSON', rule_doc: '规则说明', render_as: '导出：', agency_page: '机关页面', year: '年度', template: '格式', published: '发布日期', file: '文件', region: '地区',
    sev_error: '错误', sev_warning: '提醒', sev_info: '信息', uncertain: '不确定的单元格', uncertain_cell: '不确定：请核对原文',
    confirm: '确认', dismiss: '驳回', comment: '说明（可选）', confirmed: '已确认', dismissed: '已驳回', decided_at: '于',
    search_title: '检索报告', q: '机关名称、标题或文件名', any: '全部', has_errors: '有错误', no_errors: '无错误', rule: '规则', search: '检索', results: '结果', none: '没有符合条件的报告。',
    agency: '机关', errors: '错误', warnings: '提醒', open: '待审', id: '编号',
    agency_years: '历年报告', agency_diffs: '相邻年度的差异', no_diffs: '没有单元格差异。', cell: '单元格', compare: '比较',
    dash_title: '统计', dash_reports: '报告总数', chart_apps: '各年度新收申请数', chart_outcomes: '办理结果构成（全部报告合计）', chart_errors: '各规则的出错报告比例', chart_click: '点击柱形可列出对应的报告。', reports_behind: '对应的报告',
    review_title: '待审核', review_hint: '以下报告有尚未确认或驳回的错误、提醒。打开报告，对每条结果确认或驳回并写明理由。', review_none: '没有待审核的结果。',
    rules_title: '核查规则', users_title: '用户', role: '角色', add_user: '添加用户',
    parsed_not_stored: '仅核查，未保存。', stored_as: '已存入，编号', duplicate: '数据库中已有相同文件，编号',
    line: '行', lines: '行', loading: '加载中…', back: '返回', sign_in_needed: '请先登录。', all_years: '全部年度',
    pages: '分页', prev: '上一页', next: '下一页', decided_by: '审核人',
    compare_title: '比较两份报告', compare_how: '在检索结果、机关页面或报告页面勾选“比较”，选中两份报告后点击“比较”。', add_compare: '加入比较', compare_picked: '待比较', remove: '移除', compare_go: '比较', compare_pick_one_more: '再勾选一份报告即可比较。',
    compare_swap: '交换 A / B', cells_changed: '个单元格不同', compare_tables: '表格（B 的版式）', compare_tables_hint: '标色单元格：A 的数值 → B 的数值', compare_cells: '单元格差异', compare_text: '正文差异', no_text_diffs: '正文没有差异。', title: '标题',
    region_scope: '限定地区', region_all: '全部地区', region_hint: '地区名称或代码；留空表示不限。限定后只能写入（上传、审核）该地区及其下级的报告，登录浏览时也只能看到这些报告。', save: '保存',
    rect_title: '整改清单', rect_hint: '按地区、年度导出尚未驳回的错误核查结果（每条一行，含机关、年度、规则、说明和单元格），供主管部门督促整改。', rect_download: '下载整改清单（XLSX）',
  },
  en: {
    nav_author: 'Author',
    author_title: 'Write an annual report', author_hint: 'Fill in the three tables and six sections in the official layout: the arithmetic is checked as you type, totals can be computed, a row copied from Excel can be pasted, sections 三 and 四 can be drafted from the numbers, and the report can be downloaded as DOCX, PDF and more. The form is kept in this browser tab; nothing is stored in the database.',
    author_start: 'Start', author_other: 'Start another report', author_t2021: '2021 template (国办公开办函〔2021〕30号)', author_t2019: '2019 template (国办公开办函〔2019〕60号)',
    author_new: 'New blank form', author_from: 'Last year’s report id', author_from_go: 'Start next year from it', author_from_hint: 'Carries last year’s “carried forward” requests and section titles over (report pages have a link too).', author_next: 'Write next year’s report',
    author_discard: 'Discard this form', author_discard_hint: 'Clears the form kept in this tab.',
    author_check: 'Arithmetic check', author_no_errors: 'no errors', author_n_computed: 'totals can be computed', author_computed: 'can be computed: ', author_fill_totals: 'Fill in computed totals',
    author_draft: 'Draft from numbers', author_drafted: 'Sections 三 and 四 drafted from the tables.', author_draft_empty: 'Empty cells counted as 0:', author_undo: 'Undo', author_undone: 'The previous text is back.',
    author_pasted: 'Cells pasted:', author_paste_skipped: 'beyond the table, not pasted:',
    author_download: 'Render and download', author_download_hint: 'The server completes the totals and checks every rule; while errors remain no file is produced and the cells are named.', author_cells_hint: 'One number per cell (counts are non-negative integers, amounts in 10k yuan); enter 0 where nothing happened. Totals may be left empty: they are computed once their parts are filled. Paste a row (or rows) copied from Excel into its first cell.',
    nav_upload: 'Upload & check', nav_search: 'Search', nav_dashboard: 'Dashboard', nav_review: 'Review', nav_rules: 'Rules', nav_users: 'Users',
    login: 'Sign in', logout: 'Sign out', name: 'User name', password: 'Password', setup_title: 'Create the first admin', setup_hint: 'There are no users yet. Create an admin account (or run gongkai serve --init-admin <name>).', create: 'Create',
    role_admin: 'admin', role_reviewer: 'reviewer', role_viewer: 'viewer',
    upload_title: 'Upload or paste an annual report', upload_hint: 'PDF, DOCX, DOC, XLSX, HTML, TXT and more; parsed offline on this server.',
    choose_file: 'Choose a file', or_paste: 'or paste the report text:', parse_only: 'Check only (do not store)', parse_store: 'Check and store', need_reviewer: 'Storing needs a reviewer or admin account.',
    empty_title: 'The database is empty', empty_cli: 'Import in bulk from the command line:', empty_upload: 'Or upload a report above.', demo_button: 'Import the demo data set', demo_admin_only: 'An admin can import a demo data set generated by Gongkai.', demo_done: 'Demo data imported:',
    tables: 'Tables', source: 'Source', findings: 'Findings', no_findings: 'No problems found', sections: 'Text',
    canonical_json: 'Canonical JSON', rule_doc: 'rule doc', render_as: 'Export:', agency_page: 'Agency page', year: 'Year', template: 'Template', published: 'Published', file: 'File', region: 'Region',
    sev_error: 'error', sev_warning: 'warning', sev_info: 'info', uncertain: 'Uncertain cells', uncertain_cell: 'uncertain: check the source',
    confirm: 'Confirm', dismiss: 'Dismiss', comment: 'Comment (optional)', confirmed: 'confirmed', dismissed: 'dismissed', decided_at: 'on',
    search_title: 'Search reports', q: 'Agency, title or file name', any: 'any', has_errors: 'with errors', no_errors: 'without errors', rule: 'Rule', search: 'Search', results: 'results', none: 'No matching reports.',
    agency: 'Agency', errors: 'Errors', warnings: 'Warnings', open: 'Open', id: 'Id',
    agency_years: 'Reports by year', agency_diffs: 'Differences between consecutive years', no_diffs: 'No cell differences.', cell: 'Cell', compare: 'Compare',
    dash_title: 'Dashboard', dash_reports: 'Reports', chart_apps: 'New requests per year', chart_outcomes: 'Outcome mix (all reports)', chart_errors: 'Share of reports with errors, by rule', chart_click: 'Click a bar to list the reports behind it.', reports_behind: 'Reports behind it',
    review_title: 'Review', review_hint: 'These reports have errors or warnings nobody has confirmed or dismissed yet. Open a report and decide each finding with a comment.', review_none: 'Nothing to review.',
    rules_title: 'Rules', users_title: 'Users', role: 'Role', add_user: 'Add user',
    parsed_not_stored: 'Checked only, not stored.', stored_as: 'Stored as id', duplicate: 'Same file already stored, id',
    line: 'line', lines: 'lines', loading: 'Loading…', back: 'Back', sign_in_needed: 'Please sign in.', all_years: 'all years',
    pages: 'Pages', prev: 'Previous', next: 'Next', decided_by: 'decided by',
    compare_title: 'Compare two reports', compare_how: 'Tick "Compare" on two reports in search results, on an agency page or on a report page, then press Compare.', add_compare: 'Add to compare', compare_picked: 'To compare', remove: 'Remove', compare_go: 'Compare', compare_pick_one_more: 'Tick one more report to compare.',
    compare_swap: 'Swap A / B', cells_changed: 'cells differ', compare_tables: 'Tables (layout of B)', compare_tables_hint: 'coloured cells: value in A → value in B', compare_cells: 'Cell differences', compare_text: 'Text differences', no_text_diffs: 'The text is the same.', title: 'Title',
    region_scope: 'Region', region_all: 'all regions', region_hint: 'Region name or code; empty for no limit. A limited user writes (uploads, reviews) only reports of that region and below, and on a sign-in-only server sees only those.', save: 'Save',
    rect_title: 'Rectification list', rect_hint: 'Export the error findings not dismissed, by region and year (one row each: agency, year, rule, message, cells), for the supervising office.', rect_download: 'Download the rectification list (XLSX)',
  },
};

let lang = localStorage.getItem('gk-lang') === 'en' ? 'en' : 'zh';

export function getLang() {
  return lang;
}
export function setLang(l) {
  lang = l === 'en' ? 'en' : 'zh';
  localStorage.setItem('gk-lang', lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
}
export function t(key) {
  return STRINGS[lang][key] ?? STRINGS.zh[key] ?? key;
}
/** Picks the current language from a { zh, en } object. */
export function bi(o) {
  if (!o) return '';
  return o[lang] ?? o.zh ?? '';
}
