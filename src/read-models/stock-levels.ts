import { Stock, type StockEvent, type StockState } from '../domain/stock/index.js';
import type { StoredEvent } from '../kernel/event.js';
import { defineStateProjection, type StateProjectionHandler } from '../kernel/projection-state.js';
import { type MemoryReadModel, type MemoryReadModelOptions, pageOf } from './memory-read-model.js';
import { type PersistentMap, pmEmpty, pmGet, pmSet, pmValues } from './persistent-map.js';
import { decodingHandlers } from './read-model-events.js';
import { checkKey, stockListQuery } from './read-model-options.js';
import { compareText, itemStockLevelOf, keyOf, STOCK_EVENT_TYPES, stockLocationOf } from './read-model-rows.js';
import type { ItemStockLevel, StockLevelQueries } from './read-model-types.js';

/** The default projection name of the stock levels. */
export const STOCK_LEVELS_PROJECTION = 'ordo-stock-levels';

interface Bin {
  readonly itemCode: string;
  readonly warehouse: string;
  readonly stock: StockState;
}

/**
 * Stock levels, in memory: per item and warehouse the actual, reserved (soft and hard) and projected quantity,
 * folded from the stock events with the Stock aggregate's own `evolve`, so releases, restores and deliveries
 * against reservations count exactly as the aggregate counts them.
 *
 * @example
 * ```ts
 * const stock = createMemoryStockLevels();
 * // ... run stock.projection inline or async ...
 * await stock.queries.get('WIDGET', 'Main'); // { actualQty: '40', reservedQty: '15', projectedQty: '25', ... }
 * ```
 */
export function createMemoryStockLevels(options: MemoryReadModelOptions = {}): MemoryReadModel<StockLevelQueries> {
  const fold: StateProjectionHandler<PersistentMap<Bin>> = (bins, event: StoredEvent) => {
    const { itemCode, warehouse } = stockLocationOf(event);
    const key = keyOf(itemCode, warehouse);
    const stock = Stock.evolve(pmGet(bins, key)?.stock ?? Stock.initialState, event as unknown as StockEvent);
    return pmSet(bins, key, { itemCode, warehouse, stock });
  };
  const projection = defineStateProjection<PersistentMap<Bin>>({
    name: options.name ?? STOCK_LEVELS_PROJECTION,
    version: 1,
    initialState: pmEmpty(),
    handlers: decodingHandlers(Object.fromEntries(STOCK_EVENT_TYPES.map((type) => [type, fold]))),
  });

  const levelOf = (bin: Bin): ItemStockLevel => itemStockLevelOf(bin.itemCode, bin.warehouse, bin.stock);

  const queries: StockLevelQueries = {
    async get(itemCode, warehouse) {
      const bin = pmGet(projection.state, keyOf(checkKey(itemCode, 'itemCode'), checkKey(warehouse, 'warehouse')));
      return bin === undefined ? undefined : levelOf(bin);
    },
    async list(listOptions) {
      const query = stockListQuery(listOptions);
      const rows = pmValues(projection.state)
        .filter((bin) => query.itemCode === undefined || bin.itemCode === query.itemCode)
        .filter((bin) => query.warehouse === undefined || bin.warehouse === query.warehouse)
        .map(levelOf)
        .sort((a, b) => compareText(a.itemCode, b.itemCode) || compareText(a.warehouse, b.warehouse));
      return pageOf(rows, query);
    },
  };
  return { projection, queries };
}
