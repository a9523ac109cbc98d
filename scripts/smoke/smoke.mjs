// Imports every public subpath of the installed package as an ES module and exercises one thing from each.
import assert from 'node:assert/strict';
import * as ordo from 'ordo';
import * as postgres from 'ordo/postgres';
import * as sqlite from 'ordo/sqlite';
import * as testing from 'ordo/testing';

const store = ordo.createMemoryEventStore();
const result = await store.appendToStream('smoke-1', [{ type: 'Smoked', data: { ok: true } }], {
  expectedVersion: 'no_stream',
});
assert.equal(result.nextExpectedVersion, 1);
assert.equal(typeof ordo.OrdoError.is, 'function');
assert.equal(typeof sqlite.createSqliteEventStore, 'function');
assert.equal(typeof postgres.createPostgresEventStore, 'function');
assert.equal(typeof testing.deciderSpec, 'function');
console.log('esm: ordo, ordo/sqlite, ordo/postgres, ordo/testing import fine');
