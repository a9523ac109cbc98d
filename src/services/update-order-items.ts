import { Money, Quantity } from '../domain/money/index.js';
import type { SalesOrderLineInput } from '../domain/sales-order/sales-order-commands.js';
import { salesOrderStreamId } from '../domain/sales-order/sales-order-ids.js';
import type { ExistingSalesOrder } from '../domain/sales-order/sales-order-state.js';
import type { StockCommand } from '../domain/stock/stock-commands.js';
import { reservationKey, stockStreamId } from '../domain/stock/stock-ids.js';
import { type UpdateOrderItemsInput, UpdateOrderItemsInputSchema } from './erp-inputs.js';
import { type ErpError, type ErpResult, erpFailure } from './erp-result.js';
import { accept, type ErpRuntime, runUseCase, type UseCaseContext } from './erp-runtime.js';
import {
  type CheckedLine,
  checkLineItems,
  checkLineStock,
  checkOrderCredit,
  decideStock,
  isErpError,
  loadCustomerRecord,
  loadOrder,
  models,
  removedLineReservations,
  salesOrderContext,
  syncOrderLedger,
} from './erp-support.js';
import { type OrderPayload, orderPayload } from './order-lifecycle.js';
import { priceLines } from './order-pricing.js';
import { creditSummary } from './place-order.js';

/** Every line id the order ever had (removed ones included), so a new line never reuses a reservation key. */
function usedLineIds(order: ExistingSalesOrder, events: readonly { type: string; data: unknown }[]): Set<string> {
  const used = new Set<string>(order.lines.map((line) => line.lineId));
  for (const event of events) {
    if (event.type === 'SalesOrderLineAdded') used.add((event.data as { line: { lineId: string } }).line.lineId);
  }
  return used;
}

function nextLineIds(used: Set<string>, count: number): string[] {
  const ids: string[] = [];
  let n = used.size + 1;
  while (ids.length < count) {
    const id = `L${n}`;
    if (!used.has(id)) {
      ids.push(id);
      used.add(id);
    }
    n += 1;
  }
  return ids;
}

/** What {@link Erp.updateOrderItems} returns on success. */
export interface UpdateOrderItemsPayload extends OrderPayload {
  /**
   * Stock shortfalls of added lines and quantity increases accepted under the `warn` or `backorder` policy, worded
   * as `placeOrder`'s; empty under `block` (a shortfall is refused) or when every line is available.
   */
  readonly warnings: readonly string[];
}

/**
 * @internal ERPNext's "Update Items" on a submitted order: new lines are priced and their stock checked and
 * reserved; quantity changes adjust the line's reservation (an increase is checked against projected stock);
 * removed lines' reservations are set to zero (so no resume or re-open restores them); an increase of the order's
 * unbilled amount is checked against the credit limit.
 */
export function updateOrderItems(runtime: ErpRuntime) {
  return (input: UpdateOrderItemsInput, context?: UseCaseContext): Promise<ErpResult<UpdateOrderItemsPayload>> =>
    runUseCase(runtime, 'updateOrderItems', UpdateOrderItemsInputSchema, input, context, async (uow, call, change) => {
      const streamId = salesOrderStreamId(change.orderId);
      const before = await loadOrder(uow, streamId, change.orderId);
      if (isErpError(before)) return erpFailure([before]);
      const errors: ErpError[] = [];
      const customer = await loadCustomerRecord(uow, before.customerId);
      const adds = change.add ?? [];
      const used = usedLineIds(before, uow.loadedEvents(streamId));
      const generated = nextLineIds(used, adds.filter((line) => line.lineId === undefined).length);
      const added = await checkLineItems(
        uow,
        adds.map((line, index) => ({
          path: ['add', index],
          lineId: line.lineId ?? generated.shift() ?? `L${used.size + index + 1}`,
          itemCode: line.itemCode,
          qty: line.qty,
          unit: line.unit,
          warehouse: line.warehouse ?? runtime.settings.defaultWarehouse,
        })),
        errors,
      );
      const priced = await priceLines(
        runtime,
        uow,
        {
          date: before.transactionDate,
          currency: before.currency,
          company: before.company,
          customer,
          priceListId: undefined,
          priceListPath: [],
          // Added lines are priced from the list the order was placed with, not the customer's current default.
          orderPriceListId: before.priceListId,
        },
        added,
        errors,
      );
      const addInputs: SalesOrderLineInput[] = added.flatMap((line) => {
        const pricing = priced.get(line.lineId);
        const deliveryDate = adds[Number(line.path?.[1])]?.deliveryDate;
        return pricing
          ? [
              {
                lineId: line.lineId,
                itemCode: line.itemCode,
                qty: line.qty,
                uom: line.unit,
                priceListRate: pricing.priceListRate.amount,
                rate: pricing.rate.amount,
                warehouse: line.warehouse,
                ...(deliveryDate === undefined ? {} : { deliveryDate }),
              },
            ]
          : [];
      });
      if (errors.length > 0) return erpFailure(errors);
      uow.decide(
        streamId,
        models.salesOrder,
        {
          type: 'UpdateSalesOrderItems',
          data: {
            orderId: change.orderId,
            update: (change.update ?? []).map((entry) => ({
              lineId: entry.lineId,
              ...(entry.qty === undefined ? {} : { qty: entry.qty }),
              ...(entry.rate === undefined ? {} : { rate: entry.rate }),
              ...(entry.deliveryDate === undefined ? {} : { deliveryDate: entry.deliveryDate }),
            })),
            add: addInputs,
            remove: [...(change.remove ?? [])],
          },
        },
        salesOrderContext(runtime, call),
      );
      const after = uow.state<ExistingSalesOrder>(streamId);

      // Stock: the lines whose quantity changed, with their item's unit factor and current reservation. Each one's
      // place in `update` is the path of its INSUFFICIENT_STOCK; it is not given to the item checks, as an update
      // names no item or unit of its own.
      const updateIndex = new Map<string, number>();
      (change.update ?? []).forEach((entry, index) => {
        if (entry.qty !== undefined && !updateIndex.has(entry.lineId)) updateIndex.set(entry.lineId, index);
      });
      const changedIds = new Set(updateIndex.keys());
      const changed = await checkLineItems(
        uow,
        after.lines
          .filter((line) => changedIds.has(line.lineId))
          .map((line) => ({
            lineId: line.lineId,
            itemCode: line.itemCode,
            qty: Quantity.max(Quantity.of(line.qty).subtract(line.deliveredQty), 0).value,
            unit: line.uom,
            warehouse: line.warehouse,
          })),
        errors,
        { sellable: false },
      );
      const adjustments: StockCommand[] = [];
      const increases: (CheckedLine & { requestQty: string })[] = [];
      for (const line of changed) {
        if (!line.item.isStockItem) continue;
        const streamIdOfStock = stockStreamId(line.itemCode, line.warehouse);
        const stock = await uow.load(streamIdOfStock, models.stock);
        const current = stock.reservations[reservationKey(change.orderId, line.lineId)]?.qty ?? '0';
        const increase = Quantity.of(line.stockQty).subtract(current);
        if (increase.isPositive()) {
          const index = updateIndex.get(line.lineId);
          increases.push({
            ...line,
            path: index === undefined ? undefined : ['update', index],
            requestQty: increase.value,
          });
        }
        adjustments.push({
          type: 'AdjustStockReservation',
          itemCode: line.itemCode,
          warehouse: line.warehouse,
          orderId: change.orderId,
          lineId: line.lineId,
          qty: line.stockQty,
        });
      }
      const stock = await checkLineStock(
        runtime,
        uow,
        change.orderId,
        [...increases, ...added],
        errors,
        change.stockPolicy,
      );
      const addedIds = new Set(added.map((line) => line.lineId));

      // Credit, when the order now counts for more than before.
      const credit =
        customer &&
        Money.of(after.unbilledAmount, after.currency).greaterThan(Money.of(before.unbilledAmount, before.currency))
          ? await checkOrderCredit(
              runtime,
              uow,
              customer,
              {
                orderId: after.orderId,
                company: after.company,
                amount: Money.of(after.unbilledAmount, after.currency),
              },
              errors,
            )
          : undefined;
      if (errors.length > 0) return erpFailure(errors);

      // A removed line's reservation is set to zero, not released: a resume or re-open must never bring it back.
      const releases = await removedLineReservations(
        uow,
        change.orderId,
        (change.remove ?? []).flatMap((lineId) => before.lines.filter((candidate) => candidate.lineId === lineId)),
      );
      const reservations = stock.reservations.filter((command) => addedIds.has(command.lineId));
      await decideStock(runtime, uow, call, [...releases, ...adjustments, ...reservations]);
      await syncOrderLedger(uow, after);
      return accept(
        { ...orderPayload(after, creditSummary(credit)), warnings: stock.warnings },
        { details: { orderId: after.orderId } },
      );
    });
}
