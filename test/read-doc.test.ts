// Legacy .doc/.wps/.xls (OLE): converted by LibreOffice when installed, otherwise a
// converter-missing error saying what to install.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { convertWithSoffice, findSoffice, oleKind } from '../src/read/doc.js';
import { GongkaiError, parseBytes } from '../src/index.js';
import { CORPUS } from './helpers.js';

/** An OLE header followed by a directory naming the given streams (enough for detection). */
function fakeOle(...streams: string[]): Uint8Array {
  const head = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
  const out = new Uint8Array(1536);
  out.set(head);
  let at = 512;
  for (const s of streams) {
    const b = Buffer.from(s, 'utf16le');
    out.set(b, at);
    at += 128;
  }
  return out;
}

async function withoutSoffice<T>(f: () => Promise<T>): Promise<T> {
  const old = process.env.GONGKAI_SOFFICE;
  process.env.GONGKAI_SOFFICE = '';
  try {
    return await f();
  } finally {
    if (old === undefined) delete process.env.GONGKAI_SOFFICE;
    else process.env.GONGKAI_SOFFICE = old;
  }
}

test('OLE files are told apart by their stream names', () => {
  assert.equal(oleKind(fakeOle('Root Entry', 'WordDocument', '1Table')), 'doc');
  assert.equal(oleKind(fakeOle('Root Entry', 'Workbook')), 'xls');
  assert.equal(oleKind(fakeOle('Root Entry', 'EncryptedPackage', 'EncryptionInfo')), 'encrypted');
  assert.equal(oleKind(fakeOle('Root Entry', 'PowerPoint Document')), 'ppt');
});

test('.doc without LibreOffice gives converter-missing naming what to install', async () => {
  await withoutSoffice(async () => {
    await assert.rejects(parseBytes(fakeOle('Root Entry', 'WordDocument'), 'r.doc'), (e: unknown) => {
      assert.ok(e instanceof GongkaiError);
      assert.equal(e.code, 'converter-missing');
      assert.match(e.text.zh, /LibreOffice/);
      assert.match(e.text.en, /LibreOffice.*DOCX/);
      return true;
    });
    await assert.rejects(parseBytes(fakeOle('Root Entry', 'Workbook'), 'r.xls'), (e: unknown) => e instanceof GongkaiError && e.code === 'converter-missing' && /XLSX/.test(e.text.en));
  });
});

test('an encrypted Office file and a PowerPoint file are refused with a reason', async () => {
  await assert.rejects(parseBytes(fakeOle('EncryptedPackage'), 'e.docx'), (e: unknown) => e instanceof GongkaiError && e.code === 'unsupported-format' && /password/.test(e.text.en));
  await assert.rejects(parseBytes(fakeOle('PowerPoint Document'), 'p.ppt'), (e: unknown) => e instanceof GongkaiError && e.code === 'unsupported-format');
});

const LO = join(CORPUS, 'rendered', 'sh-office-2019~lo-docx');
const soffice = findSoffice();

test('with LibreOffice: the corpus DOCX saved as .doc parses to the same values', { skip: !soffice || !existsSync(LO) ? 'soffice not installed' : false, timeout: 180_000 }, async () => {
  const truth = JSON.parse(readFileSync(join(LO, 'truth.json'), 'utf8'));
  const doc = await convertWithSoffice(soffice!, readFileSync(join(LO, 'source.docx')), 'docx', 'doc', 'source.docx');
  assert.equal(oleKind(doc), 'doc');
  const r = await parseBytes(doc, 'converted.doc');
  assert.equal(r.info.format, 'doc');
  assert.equal(r.report.table3.newReceived.total, truth.table3.newReceived.total);
  assert.equal(r.report.table3.newReceived.research, null);
  assert.equal(r.report.agency, truth.agency);
});
