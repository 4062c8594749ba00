// The store suite of test/store.test.ts against PostgreSQL: runs when DATABASE_URL is set
// (each test gets a fresh database on that server), skipped otherwise.
import { test } from 'node:test';

process.env.GONGKAI_STORE_SUITE_ONLY = '1';
const { storeSuite, pgBackend } = await import('./store.test.js');

const url = process.env.DATABASE_URL;
if (url) storeSuite(pgBackend(url));
else test('store (postgres): set DATABASE_URL to run the store suite against PostgreSQL', { skip: 'DATABASE_URL not set' }, () => {});
