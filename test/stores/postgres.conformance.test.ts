import { afterAll, beforeAll, describe } from 'vitest';
import { eventStoreConformance } from '../../src/testing/event-store-conformance.js';
import {
  closeSharedPGlite,
  createServerPool,
  HAS_POSTGRES_SERVER,
  markServerSuiteRan,
  POSTGRES_URL,
  schemaStorageFactory,
  sharedPGlite,
} from '../support/postgres-support.js';

// PGlite always: one embedded database for the file, a fresh schema per storage (PGlite takes seconds to start).
// It is a single connection, so the concurrency tests exercise the store's serialisation, not the database's.
// Starting PGlite can take tens of seconds on a busy machine: do it once, up front, with room to spare.
beforeAll(async () => {
  await sharedPGlite();
}, 180_000);
eventStoreConformance('postgres (PGlite)', schemaStorageFactory(sharedPGlite), { concurrentWriters: 4 });
afterAll(closeSharedPGlite);

// The real server whenever ORDO_PG_URL is set: a pool, a fresh schema per storage, dropped afterwards.
if (HAS_POSTGRES_SERVER) {
  const pool = createServerPool(20);
  describe(`postgres server at ${new URL(POSTGRES_URL as string).host}`, () => {
    eventStoreConformance(
      'postgres (server)',
      schemaStorageFactory(() => pool),
    );
    afterAll(async () => {
      await pool.end();
      markServerSuiteRan('postgres.conformance');
    });
  });
}
// Without ORDO_PG_URL only PGlite runs; CI sets it and checks the marker file that the server suite wrote.
