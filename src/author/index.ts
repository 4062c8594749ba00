// Authoring a report: blank forms (XLSX fill-in workbook, JSON form), next year's form from
// last year's report, reading a filled-in form back, completing totals, drafting the
// standard sentences of sections 三 and 四 from the tables.
export { blankReport, formFromPrevious, fillInXlsx, jsonForm, instructions, INSTRUCTIONS_SHEET, TEXT_PLACEHOLDER, type NewFormOptions } from './form.js';
export { completeTotals, totalRelations, type InputProblem } from './complete.js';
export { prepare, reportFromForm, reportFromXlsx, cellFromInput, AuthorError, type Prepared } from './prepare.js';
export { draftNarrative, requestsSentence, reviewLitigationSentence, type NarrativeDraft } from './narrative.js';
