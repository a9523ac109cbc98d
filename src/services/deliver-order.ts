import { Money, type MoneyJSON, Quantity } from '../domain/money/index.js';
import { salesOrderStreamId } from '../domain/sales-order/sales-order-ids.js';
import type { ExistingSalesOrder } from '../domain/sales-order/sales-order-state.js';
import type { SalesOrderStatus } from '../domain/sales-order/sales-order-status.js';
import { stockStreamId } from '../domain/stock/stock-ids.js';
import { type DeliverOrderInput, DeliverOrderInputSchema } from './erp-inputs.js';
import { toCustomer } from './erp-notifications.js';
import { collect, type ErpError, type ErpResult, erpError, erpFailure } from './erp-result.js';
import { accept, type ErpRuntime, runUseCase, type UseCaseContext } from './erp-runtime.js';
import {
  checkBypassedCredit,
  checkLineItems,
  decideContext,
  isErpError,
  loadOrder,
  models,
  salesOrderContext,
  syncOrderLedger,
} from './erp-support.js';

/** One delivered line. */
export interface DeliveredLine {
  readonly lineId: string;
  readonly itemCode: string;
  readonly warehouse: string;
  /** In the line's unit. */
  readonly qty: string;
  /** In the item's stock unit; what left the warehouse (`0` for a non-stock item). */
  readonly stockQty: string;
}

/** What {@link Erp.deliverOrder} returns on success. */
export interface DeliverOrderPayload {
  readonly orderId: string;
  readonly reference: string;
  readonly status: SalesOrderStatus;
  /** Percent delivered after this delivery. */
  readonly perDelivered: string;
  readonly lines: readonly DeliveredLine[];
  readonly grandTotal: MoneyJSON;
}

/**
 * @internal The value of a delivery: each delivered quantity at its line's net rate (net amount ÷ quantity, after
 * the line's share of the order discount, before taxes), rounded to the currency once.
 */
export function deliveredValue(
  order: ExistingSalesOrder,
  delivered: readonly { readonly lineId: string; readonly qty: string }[],
): Money {
  let value = Money.zero(order.currency);
  for (const entry of delivered) {
    const line = order.lines.find((candidate) => candidate.lineId === entry.lineId);
    if (!line || Quantity.of(line.qty).isZero()) continue;
    value = value.add(Money.of(line.netAmount, order.currency).multiplyDivide(entry.qty, line.qty));
  }
  return value.round();
}

/**
 * @internal Delivers (part of) an order: records the delivery on the order (over-delivery, hold and close rules)
 * and issues each stock item's quantity from its warehouse against the line's reservation, in one commit. Every
 * line whose stock is not there is listed (`INSUFFICIENT_STOCK`, `STOCK_RESERVED`). A customer whose credit limit
 * bypasses the sales-order check is credit-checked here: outstanding + the delivery's value (see
 * {@link deliveredValue}) against the limit (`CREDIT_LIMIT_EXCEEDED`, nothing written).
 */
export function deliverOrder(runtime: ErpRuntime) {
  return (input: DeliverOrderInput, context?: UseCaseContext): Promise<ErpResult<DeliverOrderPayload>> =>
    runUseCase(runtime, 'deliverOrder', DeliverOrderInputSchema, input, context, async (uow, call, delivery) => {
      const streamId = salesOrderStreamId(delivery.orderId);
      const order = await loadOrder(uow, streamId, delivery.orderId);
      if (isErpError(order)) return erpFailure([order]);
      const reference = delivery.reference ?? call.documentId('DN');
      const requested =
        delivery.lines ??
        order.lines
          .map((line) => ({ lineId: line.lineId, qty: Quantity.of(line.qty).subtract(line.deliveredQty) }))
          .filter((line) => line.qty.isPositive())
          .map((line) => ({ lineId: line.lineId, qty: line.qty.value }));
      if (requested.length === 0) {
        return erpFailure([
          erpError('NOTHING_TO_DELIVER', `Order "${order.orderId}" has nothing left to deliver`, ['orderId'], {
            orderId: order.orderId,
          }),
        ]);
      }
      uow.decide(
        streamId,
        models.salesOrder,
        { type: 'RecordSalesOrderDelivery', data: { orderId: order.orderId, reference, lines: requested } },
        salesOrderContext(runtime, call),
      );
      const errors: ErpError[] = [];
      const lines = await checkLineItems(
        uow,
        requested.map((entry, index) => {
          // The order accepted the delivery, so every line id is on it.
          const line = order.lines.find(
            (candidate) => candidate.lineId === entry.lineId,
          ) as ExistingSalesOrder['lines'][number];
          return {
            path: delivery.lines === undefined ? undefined : ['lines', index],
            lineId: line.lineId,
            itemCode: line.itemCode,
            qty: entry.qty,
            unit: line.uom,
            warehouse: line.warehouse,
          };
        }),
        errors,
        { sellable: false },
      );
      for (const line of lines) {
        if (!line.item.isStockItem) continue;
        const stockStream = stockStreamId(line.itemCode, line.warehouse);
        await uow.load(stockStream, models.stock);
        collect(errors, line.path === undefined ? undefined : [...line.path, 'qty'], () =>
          uow.decide(
            stockStream,
            models.stock,
            {
              type: 'DeliverStock',
              itemCode: line.itemCode,
              warehouse: line.warehouse,
              orderId: order.orderId,
              lineId: line.lineId,
              qty: line.stockQty,
              reference,
              allowNegativeStock: runtime.settings.allowNegativeStock,
            },
            decideContext(runtime, call),
          ),
        );
      }
      // A customer who bypasses the credit check at sales order is checked here instead (ERPNext's Delivery Note),
      // with what is delivered at each line's net rate as the new amount.
      await checkBypassedCredit(
        runtime,
        uow,
        order.customerId,
        { orderId: order.orderId, company: order.company, amount: deliveredValue(order, requested) },
        errors,
      );
      if (errors.length > 0) return erpFailure(errors);
      const delivered = uow.state<ExistingSalesOrder>(streamId);
      await syncOrderLedger(uow, delivered);
      return accept(
        {
          orderId: delivered.orderId,
          reference,
          status: delivered.status,
          perDelivered: delivered.perDelivered,
          grandTotal: Money.of(delivered.totals.grandTotal, delivered.currency).toJSON(),
          lines: lines.map((line) => ({
            lineId: line.lineId,
            itemCode: line.itemCode,
            warehouse: line.warehouse,
            qty: line.qty,
            stockQty: line.item.isStockItem ? line.stockQty : '0',
          })),
        },
        {
          details: { orderId: delivered.orderId, reference },
          notifications: toCustomer(runtime, call, delivered.customerId, {
            kind: 'order_delivered',
            subject: `Order ${delivered.orderId} shipped`,
            body: `Delivery ${reference} for order ${delivered.orderId} is on its way (${delivered.perDelivered}% delivered).`,
            data: { orderId: delivered.orderId, reference, perDelivered: delivered.perDelivered },
          }),
        },
      );
    });
}
