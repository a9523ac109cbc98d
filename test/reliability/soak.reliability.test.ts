/**
 * The mixed soak: for `ORDO_SOAK_SECONDS` on SQLite, concurrent drivers place, submit, hold, resume, deliver,
 * invoice, pay and cancel through `createErp`, while the projection runner keeps the built-in read models and the
 * suite's stream counts live and the warehouse export runs every few seconds. At the end every invariant is
 * checked against a full rebuild: the log's shape, the audit trail against the log, the ERP's cross-aggregate
 * rules, the read models against a second set built from scratch and against the folds, the ledger against the
 * invoices, and the export against a reference export.
 */
import { afterAll, beforeAll, describe, it } from 'vitest';
import { Money, Quantity } from '../../src/domain/money/index.js';
import { createJsonlSink, createWarehouseExport } from '../../src/export/index.js';
import { isOrdoError } from '../../src/kernel/errors.js';
import { createProjectionRunner } from '../../src/kernel/projection-runner.js';
import { createErpReadModels } from '../../src/read-models/index.js';
import { createErp } from '../../src/services/erp.js';
import { createInMemoryAuditLog } from '../../src/services/ports/audit-log.js';
import { createInMemoryNotifications } from '../../src/services/ports/notifications.js';
import { openSqliteEventStore } from '../../src/stores/sqlite/index.js';
import { createErpDriver, FULL_MIX } from './erp-driver.js';
import {
  COMPANY,
  CURRENCY,
  CUSTOMERS,
  checkErpInvariants,
  checkLog,
  ERP_SETTINGS,
  ITEMS,
  rebuildErp,
  seedMasterData,
  stampBatches,
  WAREHOUSE,
} from './erp-fixture.js';
import { checkExportAgainstReference, checkReadModelsAgainstRebuild, checkStreamCounts } from './rebuild-checks.js';
import {
  collect,
  describeError,
  RELIABILITY_SEED,
  SOAK_SECONDS,
  seededRandom,
  sleep,
  Tally,
  tempDirectory,
  watchProcessFaults,
} from './reliability-support.js';
import { streamCountsProjection } from './stream-counts.js';

const DRIVERS = 3;

let temp: ReturnType<typeof tempDirectory>;
let faults: ReturnType<typeof watchProcessFaults>;

beforeAll(() => {
  temp = tempDirectory('ordo-rel-soak-');
  faults = watchProcessFaults();
});
afterAll(() => {
  faults.stop();
  temp.dispose();
});

describe(`mixed soak for ${SOAK_SECONDS} s on SQLite`, () => {
  it('ends with the log whole, the audit trail equal to the log, every ERP invariant holding, the read models equal to a rebuild and the export equal to a reference export', async () => {
    const tally = new Tally();
    const store = await openSqliteEventStore({ path: temp.file('soak.db') });
    const audit = createInMemoryAuditLog();
    const notifications = createInMemoryNotifications();
    const erp = createErp({ store: stampBatches(store), settings: ERP_SETTINGS, audit, notifications });
    await seedMasterData(erp, '1000000');

    const readModels = createErpReadModels({ mode: 'sqlite', store });
    const runner = createProjectionRunner({
      store,
      projections: [...readModels.projections, streamCountsProjection()],
      batchSize: 50,
      pollIntervalMs: 50,
      onError: (error, name) => {
        tally.corrupt.push(`projection ${name} failed: ${describeError(error)}`);
      },
    });
    runner.start();

    const exportDirectory = temp.file('export');
    const exporter = createWarehouseExport({
      store,
      sink: createJsonlSink({ directory: exportDirectory, durable: false }),
      batchSize: 200,
      checkpointId: 'reliability-export',
    });
    const until = Date.now() + SOAK_SECONDS * 1000;
    const exporting = (async () => {
      while (Date.now() < until) {
        try {
          await exporter.run();
        } catch (error) {
          tally.corrupt.push(`export failed: ${describeError(error)}`);
        }
        await sleep(2000);
      }
    })();

    const committed = new Set<string>();
    const outcomes = { ok: 0, refused: 0, thrown: 0 };
    const random = seededRandom(RELIABILITY_SEED);
    await Promise.all(
      Array.from({ length: DRIVERS }, async (_, index) => {
        const driver = createErpDriver(erp, random, `soak${index}`, FULL_MIX);
        while (Date.now() < until) {
          const step = await driver.step();
          tally.operations += 1;
          outcomes[step.outcome] += 1;
          if (step.problem) tally.corrupt.push(step.problem);
          if (step.outcome === 'thrown' && !isOrdoError(step.error, 'STORE_UNAVAILABLE')) {
            tally.corrupt.push(`${step.operation} ${step.detail} threw ${describeError(step.error)}`);
          }
          for (const batch of step.committed) committed.add(batch);
          // Between steps, let the runner and the export have the event loop (SQLite calls are synchronous).
          await sleep(0);
        }
      }),
    );
    await exporting;
    await runner.stop();
    tally.faults = outcomes.refused + outcomes.thrown;

    // Catch everything up, then compare with the rebuild.
    await createProjectionRunner({
      store,
      projections: [...readModels.projections, streamCountsProjection()],
    }).catchUp();
    await exporter.run();
    const events = await collect(store.readAll());
    const batches = checkLog(tally, events, 'soak');
    for (const batch of committed) if (!batches.has(batch)) tally.lost.push(`soak: committed batch ${batch} missing`);
    checkStreamCounts(tally, store.database, events, Number.MAX_SAFE_INTEGER, 'soak');
    const rebuild = rebuildErp(events);
    checkErpInvariants(tally, rebuild, 'soak');
    await checkReadModelsAgainstRebuild(tally, store, 'soak');
    await checkExportAgainstReference(tally, store, exportDirectory, temp.file('reference'), 'soak');

    // The audit trail: one entry per use case, and every audited event in the log at its place.
    const byPlace = new Map(events.map((event) => [`${event.streamId}#${event.streamVersion}`, event.type]));
    const succeeded = audit.entries.filter((entry) => entry.outcome === 'succeeded');
    const rejected = audit.entries.filter((entry) => entry.outcome === 'rejected');
    if (succeeded.length < outcomes.ok)
      tally.lost.push(`audit: ${succeeded.length} successes for ${outcomes.ok} ok calls`);
    if (rejected.length !== outcomes.refused)
      tally.corrupt.push(`audit: ${rejected.length} rejections for ${outcomes.refused} refusals`);
    for (const entry of succeeded) {
      for (const audited of entry.events) {
        const type = byPlace.get(`${audited.streamId}#${audited.streamVersion}`);
        if (type !== audited.type) {
          tally.lost.push(
            `audit: ${entry.action} recorded ${audited.type} at ${audited.streamId}#${audited.streamVersion}, the log has ${type}`,
          );
        }
      }
    }

    // The read models' answers against the folds, and the ledger against the invoices and orders.
    for (const item of ITEMS) {
      const level = await readModels.queries.stockLevels.get(item, WAREHOUSE);
      const stock = rebuild.stock.get(`Stock-${item}@${WAREHOUSE}`);
      if (!level || !stock) {
        tally.lost.push(`stock levels: ${item} missing (${Boolean(level)}, ${Boolean(stock)})`);
      } else if (
        !Quantity.of(level.actualQty).equals(stock.actualQty) ||
        !Quantity.of(level.reservedQty).equals(stock.reservedQty)
      ) {
        tally.corrupt.push(
          `stock levels: ${item} ${level.actualQty}/${level.reservedQty}, fold ${stock.actualQty}/${stock.reservedQty}`,
        );
      }
    }
    for (const { customerId } of CUSTOMERS) {
      let outstanding = Money.zero(CURRENCY);
      for (const state of rebuild.invoices.values()) {
        if (state.exists && state.invoice.customerId === customerId && state.invoice.status !== 'cancelled') {
          outstanding = outstanding.add(Money.fromJSON(state.invoice.outstanding));
        }
      }
      let unbilled = Money.zero(CURRENCY);
      for (const state of rebuild.orders.values()) {
        if (
          state.exists &&
          state.customerId === customerId &&
          state.docStatus === 'submitted' &&
          state.status !== 'closed'
        ) {
          unbilled = unbilled.add(Money.of(state.unbilledAmount, state.currency));
        }
      }
      const balance = await erp.customerBalance(customerId, { company: COMPANY, currency: CURRENCY });
      if (!Money.fromJSON(balance.outstanding).equals(outstanding)) {
        tally.corrupt.push(`ledger: ${customerId} owes ${balance.outstanding.amount}, its invoices say ${outstanding}`);
      }
      if (!Money.fromJSON(balance.unbilled).equals(unbilled)) {
        tally.corrupt.push(`ledger: ${customerId} unbilled ${balance.unbilled.amount}, its orders say ${unbilled}`);
      }
      const credit = await readModels.queries.creditBalances.get(customerId, COMPANY, { currency: CURRENCY });
      if (!Money.of(credit?.outstanding ?? '0', CURRENCY).equals(outstanding)) {
        tally.corrupt.push(
          `credit balances: ${customerId} outstanding ${credit?.outstanding}, invoices ${outstanding}`,
        );
      }
      if (!Money.of(credit?.unbilledOrders ?? '0', CURRENCY).equals(unbilled)) {
        tally.corrupt.push(`credit balances: ${customerId} unbilled ${credit?.unbilledOrders}, orders ${unbilled}`);
      }
    }
    if (outcomes.ok === 0) tally.corrupt.push('soak: no use case succeeded');
    await store.close();
    tally.corrupt.push(...faults.drain());
    tally.report('sqlite-soak-mixed-use-cases');
  });
});
