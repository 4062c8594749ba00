// emptyTables (src/model/report.ts) returns compiled object literals; they must be what the
// template-driven builder makes, key order included (the canonical JSON keeps it), and new
// objects on every call (a parse fills them in).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildEmptyTables, emptyTables } from '../src/model/report.js';
import { TEMPLATES } from '../src/model/template.js';

test('emptyTables is the template builder\'s tables, key order included', () => {
  for (const t of TEMPLATES) {
    assert.deepEqual(emptyTables(t), buildEmptyTables(t));
    assert.equal(JSON.stringify(emptyTables(t)), JSON.stringify(buildEmptyTables(t)));
  }
  assert.notEqual(JSON.stringify(emptyTables('2019')), JSON.stringify(emptyTables('2021')));
});

test('every call returns new objects at every level', () => {
  const a = emptyTables('2021');
  const b = emptyTables('2021');
  a.table2.regulations!.issued = 5;
  a.table3.newReceived.naturalPerson = 7;
  a.table4.review.total = 1;
  assert.equal(b.table2.regulations!.issued, null);
  assert.equal(b.table3.newReceived.naturalPerson, null);
  assert.equal(b.table4.review.total, null);
  assert.equal(emptyTables('2021').table3.newReceived.naturalPerson, null);
});
