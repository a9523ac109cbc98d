// Requires every public subpath of the installed package from CommonJS and exercises one thing from each.
const assert = require('node:assert/strict');
const ordo = require('ordo');
const sqlite = require('ordo/sqlite');
const postgres = require('ordo/postgres');
const testing = require('ordo/testing');

(async () => {
  const store = ordo.createMemoryEventStore();
  const result = await store.appendToStream('smoke-1', [{ type: 'Smoked', data: { ok: true } }], {
    expectedVersion: 'no_stream',
  });
  assert.equal(result.nextExpectedVersion, 1);
  assert.equal(typeof sqlite.createSqliteEventStore, 'function');
  assert.equal(typeof postgres.createPostgresEventStore, 'function');
  assert.equal(typeof testing.deciderSpec, 'function');
  console.log('cjs: ordo, ordo/sqlite, ordo/postgres, ordo/testing require fine');
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
