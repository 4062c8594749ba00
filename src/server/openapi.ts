// The JSON API as an OpenAPI 3.1 document (served at GET /api/openapi.json).
import { PARSER_VERSION } from '../index.js';

const json = (schema: object, description = 'OK') => ({ description, content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const err = (description: string) => json(ref('Error'), description);
const q = (name: string, description: string, schema: object = { type: 'string' }, required = false) => ({ name, in: 'query', required, description, schema });
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
const csrf = { name: 'x-csrf-token', in: 'header', required: true, description: 'CSRF token from /api/me or /api/login', schema: { type: 'string' } };
const upload = {
  required: true,
  content: {
    'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } },
    'application/json': { schema: { type: 'object', properties: { text: { type: 'string' }, name: { type: 'string' } }, required: ['text'] } },
  },
};
const authorBody = {
  required: true,
  description: 'the report in the canonical form (../shared/spec/canonical-json.md); cells may also be numeric text as typed, empty totals are computed',
  content: { 'application/json': { schema: { type: 'object', properties: { template: { enum: ['2019', '2021'] } }, required: ['template'] } } },
};
const writeErrors = { '401': err('Not signed in'), '403': err('Role too low or CSRF token missing'), '413': err('Upload too large'), '429': err('Too many requests') };

export function openApiDocument(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Gongkai API',
      version: PARSER_VERSION,
      description: '政府信息公开工作年度报告的读取、核查与比较 / Read, check and compare Open Government Information annual reports. Reads are public with --public-read, otherwise they need a session (and an account limited to a region reads only that region and below: other reports answer 404); every write needs a signed-in user and the x-csrf-token header.',
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'gk_session' } },
      schemas: {
        Error: {
          type: 'object',
          properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } } } }, required: ['code', 'message'] } },
          required: ['error'],
        },
        Finding: {
          type: 'object',
          properties: {
            ruleId: { type: 'string' },
            severity: { enum: ['error', 'warning', 'info'] },
            message: { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } } },
            paths: { type: 'array', items: { type: 'string' } },
            place: { type: 'object' },
            decision: { type: 'object', properties: { decision: { enum: ['confirmed', 'dismissed'] }, comment: { type: ['string', 'null'] }, decidedAt: { type: 'string' }, decidedBy: { type: ['string', 'null'] }, path: { type: 'string' } } },
          },
        },
        ReportBrief: {
          type: 'object',
          properties: {
            id: { type: 'integer' }, agency: { type: ['string', 'null'] }, agencyKey: { type: ['string', 'null'] }, year: { type: ['integer', 'null'] }, template: { type: 'string' },
            publishedAt: { type: ['string', 'null'] }, region: { type: ['string', 'null'] }, title: { type: ['string', 'null'] }, fileName: { type: 'string' },
            errors: { type: 'integer' }, warnings: { type: 'integer' }, open: { type: 'integer' }, rules: { type: 'array', items: { type: 'string' } },
          },
        },
        AuthorProblem: {
          type: 'object',
          properties: { path: { type: ['string', 'null'] }, message: { type: 'object', properties: { zh: { type: 'string' }, en: { type: 'string' } } }, label: { type: ['object', 'null'], properties: { zh: { type: 'string' }, en: { type: 'string' } } } },
        },
        AuthorRefusal: {
          type: 'object',
          properties: { error: { type: 'object', properties: { code: { const: 'author-errors' }, message: { type: 'object' } } }, problems: { type: 'array', items: { $ref: '#/components/schemas/AuthorProblem' } } },
        },
        User: {
          type: 'object',
          properties: {
            id: { type: 'integer' }, name: { type: 'string' }, role: { enum: ['admin', 'reviewer', 'viewer'] },
            region: { type: ['string', 'null'], description: 'Region code the account is limited to (itself and below); null: everywhere' }, regionName: { type: ['string', 'null'] },
          },
        },
      },
    },
    paths: {
      '/api/me': { get: { summary: 'Current user, CSRF token, whether setup is needed', responses: { '200': json({ type: 'object' }) } } },
      '/api/setup': { post: { summary: 'Create the first admin (only while no user exists)', requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' }, password: { type: 'string' } } } } } }, responses: { '200': json({ type: 'object' }), '409': err('Already set up'), '429': err('Too many requests') } } },
      '/api/login': { post: { summary: 'Sign in; sets the HttpOnly session cookie and returns the CSRF token', requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' }, password: { type: 'string' } } } } } }, responses: { '200': json({ type: 'object' }), '401': err('Wrong name or password'), '429': err('Too many requests') } } },
      '/api/logout': { post: { summary: 'Sign out', parameters: [csrf], responses: { '200': json({ type: 'object' }) } } },
      '/api/users': {
        get: { summary: 'List users (admin)', security: [{ session: [] }], responses: { '200': json({ type: 'array', items: ref('User') }) } },
        post: {
          summary: 'Create a user (admin not limited to a region)',
          security: [{ session: [] }],
          parameters: [csrf],
          requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' }, password: { type: 'string' }, role: { enum: ['admin', 'reviewer', 'viewer'] }, region: { type: 'string', description: 'region code or unique name; limits writes (and reads on a sign-in-only server) to that region and below' } }, required: ['name', 'password'] } } } },
          responses: { '200': json(ref('User')), '400': err('Bad name, password, role, or an unknown or ambiguous region'), ...writeErrors },
        },
      },
      '/api/users/{id}': {
        patch: {
          summary: 'Change a user\'s role and/or region scope (admin not limited to a region)',
          security: [{ session: [] }],
          parameters: [idParam, csrf],
          requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { role: { enum: ['admin', 'reviewer', 'viewer'] }, region: { type: ['string', 'null'], description: 'code or unique name; "" or null: everywhere' } } } } } },
          responses: { '200': json(ref('User')), '400': err('Bad role or region'), '404': err('No such user'), ...writeErrors },
        },
      },
      '/api/parse': { post: { summary: 'Parse and check without storing: canonical JSON, findings, provenance, source lines', requestBody: upload, responses: { '200': json({ type: 'object' }), '413': err('Too large'), '422': err('Not a readable annual report') } } },
      '/api/reports': {
        get: {
          summary: 'Search stored reports',
          parameters: [
            q('q', 'agency name, title or file name (plain text)'), q('year', 'report year', { type: 'integer' }), q('template', '2019 or 2021'), q('rule', 'has an open finding of this rule'),
            q('hasErrors', 'true/false: has an error not dismissed'), q('region', 'region'), q('agencyKey', 'normalised agency'), q('outcome', 'table-3 outcome row with a non-zero total'), q('open', 'true/false: has an error or warning nobody decided yet'),
            q('limit', 'page size (≤ 500)', { type: 'integer' }), q('offset', 'offset', { type: 'integer' }),
          ],
          responses: { '200': json({ type: 'object', properties: { total: { type: 'integer' }, items: { type: 'array', items: ref('ReportBrief') } } }), '401': err('Sign-in required') },
        },
        post: { summary: 'Parse, check and store a report (reviewer or admin; a region-limited account only for an agency inside its region)', security: [{ session: [] }], parameters: [csrf], requestBody: upload, responses: { '200': json({ type: 'object' }), '422': err('Not a readable annual report'), ...writeErrors, '403': err('Role too low, CSRF token missing, or the report is outside the account\'s region (out-of-scope)') } },
      },
      '/api/reports/{id}': { get: { summary: 'A stored report: canonical JSON, findings with decisions, provenance, table grids', parameters: [idParam], responses: { '200': json({ type: 'object' }), '404': err('No such report') } } },
      '/api/reports/{id}/canonical': { get: { summary: 'The canonical JSON of a stored report', parameters: [idParam], responses: { '200': json({ type: 'object' }), '404': err('No such report') } } },
      '/api/reports/{id}/source': { get: { summary: 'The stored source bytes (as an attachment), or ?as=lines for its text lines', parameters: [idParam, q('as', '"lines" for JSON text lines')], responses: { '200': { description: 'bytes or JSON' }, '404': err('No such report') } } },
      '/api/reports/{id}/render': { get: { summary: 'Render in the official layout', parameters: [idParam, q('to', 'html, md, txt or xlsx', { enum: ['html', 'md', 'txt', 'xlsx'] })], responses: { '200': { description: 'the rendering' }, '404': err('No such report') } } },
      '/api/reports/{id}/decisions': {
        post: {
          summary: 'Confirm or dismiss a finding (reviewer or admin)',
          parameters: [idParam, csrf],
          requestBody: { content: { 'application/json': { schema: { type: 'object', properties: { ruleId: { type: 'string' }, path: { type: 'string', description: 'cell path or "-"' }, decision: { enum: ['confirmed', 'dismissed'] }, comment: { type: 'string' } }, required: ['ruleId', 'decision'] } } } },
          responses: { '200': json({ type: 'object' }), '400': err('No such finding'), ...writeErrors },
        },
      },
      '/api/agencies/{key}': { get: { summary: 'An agency: its reports by year and the cell differences between consecutive years', parameters: [{ name: 'key', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': json({ type: 'object' }) } } },
      '/api/stats': { get: { summary: 'Store statistics, applications per year, outcome mix, error rates', responses: { '200': json({ type: 'object' }) } } },
      '/api/sum': { get: { summary: 'Tables 3 and 4 summed cell by cell', parameters: [q('by', 'year, region or agency', { enum: ['year', 'region', 'agency'] }), q('year', 'only this year', { type: 'integer' })], responses: { '200': json({ type: 'object' }) } } },
      '/api/rectification.xlsx': { get: { summary: 'Rectification list (XLSX): one row per error finding not dismissed (agency, year, rule, message, cells)', parameters: [q('region', 'region (as in the report list)'), q('year', 'report year', { type: 'integer' })], responses: { '200': { description: 'XLSX workbook' } } } },
      '/api/coverage': { get: { summary: 'Publication coverage for a year (late, undated)', parameters: [q('year', 'report year', { type: 'integer' }, true)], responses: { '200': json({ type: 'object' }) } } },
      '/api/compare': { get: { summary: 'Compare two stored reports: changed fields, cells (with labels), a line diff of each text section, and the second report\'s tables in the official layout (grids)', parameters: [q('a', 'report id', { type: 'integer' }, true), q('b', 'report id', { type: 'integer' }, true)], responses: { '200': json({ type: 'object' }), '404': err('No such report') } } },
      '/api/author/template': { get: { summary: 'Authoring: the form model of a template — table grids in the official layout (value cells carry their path), the six sections, the total-of-parts relations and bilingual cell labels', parameters: [q('template', '2019 or 2021', { enum: ['2019', '2021'] }, true)], responses: { '200': json({ type: 'object' }), '400': err('No or unknown template') } } },
      '/api/author/blank': {
        get: {
          summary: 'Authoring: a blank report (canonical JSON, every cell null) with its form model and notes; with from=<id>, next year\'s form from a stored report (二、上年结转 = its 四、结转下年度继续办理, section titles kept)',
          parameters: [q('template', '2019 or 2021 (default: by year)', { enum: ['2019', '2021'] }), q('year', 'the year reported on (required without from)', { type: 'integer' }), q('agency', 'the reporting body'), q('from', 'id of last year\'s stored report', { type: 'integer' })],
          responses: { '200': json({ type: 'object', properties: { report: { type: 'object' }, notes: { type: 'array', items: { type: 'string' } }, model: { type: 'object' } } }), '400': err('Bad year or template'), '404': err('No such report') },
        },
      },
      '/api/author/check': {
        post: {
          summary: 'Authoring: complete the totals and check a report as typed (cells may be numbers, numeric text or empty); nothing is stored',
          requestBody: authorBody,
          responses: {
            '200': json({ type: 'object', properties: {
              canonical: { type: 'object', description: 'the report with computed totals filled in' },
              computed: { type: 'object', additionalProperties: { type: 'number' }, description: 'cell path → total computed from its parts' },
              errors: { type: 'array', items: ref('AuthorProblem'), description: 'what stops rendering: input problems (text in a number cell, a total that disagrees with its parts) and check errors' },
              findings: { type: 'array', items: ref('Finding'), description: 'every check finding (with pathLabels)' },
            } }),
            '422': err('Not a report form (e.g. unknown template)'), '429': err('Too many requests'),
          },
        },
      },
      '/api/author/draft': {
        post: {
          summary: 'Authoring: the standard sentences of sections 三 and 四 drafted from tables 3 and 4 (a row left entirely empty counts as 0 and is listed in emptyCells)',
          requestBody: authorBody,
          responses: {
            '200': json({ type: 'object', properties: { requests: { type: 'string' }, reviewLitigation: { type: 'string' }, emptyCells: { type: 'array', items: { type: 'string' } } } }),
            '422': json(ref('AuthorRefusal'), 'Numbers not settled: text in a cell, a total that disagrees, or a total whose row is only partly filled'),
          },
        },
      },
      '/api/author/render': {
        post: {
          summary: 'Authoring: complete the totals, check, and render in the official layout as an attachment (as gongkai render); refused while errors remain',
          parameters: [q('to', 'output format; json: the canonical JSON with totals completed', { enum: ['docx', 'pdf', 'html', 'md', 'txt', 'xlsx', 'json'] }, true)],
          requestBody: authorBody,
          responses: { '200': { description: 'the file (content-disposition: attachment)' }, '400': err('Unknown format'), '422': json(ref('AuthorRefusal'), 'The report has errors; each is named'), '429': err('Too many requests') },
        },
      },
      '/api/rules': { get: { summary: 'The rule catalogue with zh/en docs', responses: { '200': json({ type: 'array' }) } } },
      '/api/demo': { post: { summary: 'Import the demo data set generated by Gongkai (admin)', security: [{ session: [] }], parameters: [csrf], responses: { '200': json({ type: 'object' }), ...writeErrors } } },
      '/api/openapi.json': { get: { summary: 'This document', responses: { '200': json({ type: 'object' }) } } },
    },
  };
}
