import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { createSqliteEventStore } from '../../src/stores/sqlite/index.js';
import { eventStoreConformance } from '../../src/testing/event-store-conformance.js';

// One temp file per storage; every open() is a connection of its own, as separate processes would have.
eventStoreConformance(
  'sqlite',
  () => {
    const directory = mkdtempSync(join(tmpdir(), 'ordo-sqlite-conformance-'));
    const file = join(directory, 'events.db');
    const connections: Database.Database[] = [];
    return {
      open(options) {
        const database = new Database(file);
        connections.push(database);
        return createSqliteEventStore({
          database,
          closeDatabaseOnClose: true,
          ...(options?.registry === undefined ? {} : { registry: options.registry }),
        });
      },
      dispose() {
        for (const database of connections) if (database.open) database.close();
        rmSync(directory, { recursive: true, force: true });
      },
    };
  },
  { transactionalHooks: true },
);
