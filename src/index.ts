// Gongkai library API. The CLI and the server call these, never their own copies.
import { readFile, stat } from 'node:fs/promises';
import { recognize } from './recognize/index.js';
import { readDocument } from './read/index.js';
import './read/formats.js';
import { readText } from './read/text.js';
import type { ParseResult } from './model/report.js';
import { GongkaiError, toGongkaiError } from './errors.js';

export const PARSER_VERSION = '0.1.0';
/** Inputs above this size are refused before reading: no report is this large. */
export const MAX_INPUT_BYTES = 100 * 1024 * 1024;

export function tooLargeError(source: string, size: number): GongkaiError {
  return new GongkaiError('too-large', source, {
    zh: `文件过大（${Math.round(size / 1048576)} MB，上限 ${MAX_INPUT_BYTES / 1048576} MB），不像一份年度报告。请确认文件是否正确。`,
    en: `The file is too large (${Math.round(size / 1048576)} MB, limit ${MAX_INPUT_BYTES / 1048576} MB) for an annual report. Check that it is the right file.`,
  });
}

/** Parse report bytes of any supported format. */
export async function parseBytes(bytes: Uint8Array, source = '<input>'): Promise<ParseResult> {
  try {
    if (bytes.length > MAX_INPUT_BYTES) throw tooLargeError(source, bytes.length);
    const { doc, encoding } = await readDocument(bytes, source);
    const r = recognize(doc, source);
    r.info.encoding = encoding;
    return r;
  } catch (e) {
    throw toGongkaiError(e, source);
  }
}

/** Parse a file by path. */
export async function parseFile(path: string): Promise<ParseResult> {
  let bytes: Uint8Array;
  try {
    // Refuse an oversized file before reading it into memory.
    const { size } = await stat(path);
    if (size > MAX_INPUT_BYTES) throw tooLargeError(path, size);
    bytes = await readFile(path);
  } catch (e) {
    throw toGongkaiError(e, path);
  }
  return parseBytes(bytes, path);
}

/** Parse report text already decoded (e.g. pasted). */
export function parseText(text: string, source = '<text>'): ParseResult {
  return recognize(readText(text), source);
}

export { recognize } from './recognize/index.js';
export { parseMany, ParsePool, defaultJobs, MAX_JOBS, type Parsed, type ParseManyOptions } from './parse-pool.js';
export { check, RULES, ARITHMETIC_RULES } from './check/index.js';
export type { Finding, Rule, Severity } from './check/index.js';
export { canonical } from './model/canonical.js';
export { readText } from './read/text.js';
export { readDocument, detectFormat } from './read/index.js';
export * from './model/template.js';
export * from './model/report.js';
export { GongkaiError } from './errors.js';
export type { Document, Block, Cell, Place } from './read/document.js';
