import type { CreditDecision, CreditOutcome } from '../domain/credit/credit-check.js';
import { assertCustomerCanTransact } from '../domain/customer/customer-checks.js';
import { customerStreamId } from '../domain/customer/customer-ids.js';
import { Money, type MoneyJSON } from '../domain/money/index.js';
import type { PricingResult } from '../domain/pricing/pricing-engine.js';
import { salesOrderStreamId } from '../domain/sales-order/sales-order-ids.js';
import type { ExistingSalesOrder, SalesOrderState } from '../domain/sales-order/sales-order-state.js';
import type { SalesOrderStatus } from '../domain/sales-order/sales-order-status.js';
import type { StockAvailabilityDecision } from '../domain/stock/stock-availability.js';
import { type PlaceOrderInput, PlaceOrderInputSchema } from './erp-inputs.js';
import { highValueAlert, toCustomer } from './erp-notifications.js';
import { collect, type ErpError, type ErpResult, erpError, erpFailure } from './erp-result.js';
import { accept, type ErpRuntime, runUseCase, type UseCaseCall, type UseCaseContext } from './erp-runtime.js';
import {
  addDays,
  type CheckedLine,
  checkLineItems,
  checkLineStock,
  checkOrderCredit,
  decideStock,
  models,
  salesOrderContext,
  syncOrderLedger,
} from './erp-support.js';
import { type PricingTerms, priceLines, pricingListOf } from './order-pricing.js';
import type { UnitOfWork } from './unit-of-work.js';

/** The credit decision of a use case, in JSON form. */
export interface CreditSummary {
  readonly outcome: CreditOutcome;
  readonly limit: MoneyJSON | null;
  readonly outstanding: MoneyJSON;
  readonly unbilled: MoneyJSON;
  readonly exposure: MoneyJSON;
  /** `limit − exposure` when a limit applied. */
  readonly headroom: MoneyJSON | null;
  readonly explanation: readonly string[];
}

/** One line of a placed order: what it costs and why, and what stock said. */
export interface PlacedOrderLine {
  readonly lineId: string;
  readonly itemCode: string;
  readonly qty: string;
  readonly unit: string;
  readonly warehouse: string;
  /** `qty` in the item's stock unit. */
  readonly stockQty: string;
  readonly priceListRate: MoneyJSON;
  readonly rate: MoneyJSON;
  readonly amount: MoneyJSON;
  /** The pricing rules applied, in order. */
  readonly appliedRules: readonly string[];
  /** How the rate came about, one sentence per step. */
  readonly pricing: readonly string[];
  /** `available`, `short` (accepted under the `warn` or `backorder` policy) or `not_stock_item`. */
  readonly stock: 'available' | 'short' | 'not_stock_item';
  /** Quantity backordered under the `backorder` policy (stock units). */
  readonly backordered: string;
}

/** What {@link Erp.placeOrder} returns on success. */
export interface PlaceOrderPayload {
  readonly orderId: string;
  readonly customerId: string;
  readonly company: string;
  /** `to_deliver_and_bill` once placed, `draft` for a draft. */
  readonly status: SalesOrderStatus;
  readonly grandTotal: MoneyJSON;
  readonly lines: readonly PlacedOrderLine[];
  /** The credit check at placement, `null` when it could not run. */
  readonly credit: CreditSummary | null;
  /** True when the grand total is above the high-value threshold (an alert was sent). */
  readonly highValue: boolean;
  /** Stock shortfalls accepted under the `warn` or `backorder` policy. */
  readonly warnings: readonly string[];
}

/** @internal The credit decision as JSON. */
export function creditSummary(decision: CreditDecision | undefined): CreditSummary | null {
  if (!decision) return null;
  return {
    outcome: decision.outcome,
    limit: decision.limit?.toJSON() ?? null,
    outstanding: decision.outstanding.toJSON(),
    unbilled: decision.unbilled.toJSON(),
    exposure: decision.exposure.toJSON(),
    headroom: decision.headroom?.toJSON() ?? null,
    explanation: decision.explanation,
  };
}

/** @internal Reserves what a stock decision says, on each line's stream. */
export async function reserve(
  runtime: ErpRuntime,
  uow: UnitOfWork,
  call: UseCaseCall,
  decision: StockAvailabilityDecision,
): Promise<void> {
  await decideStock(runtime, uow, call, decision.reservations);
}

/** @internal The place-order use case (the seed's OrderCreationService). */
export function placeOrder(runtime: ErpRuntime) {
  return (input: PlaceOrderInput, context?: UseCaseContext): Promise<ErpResult<PlaceOrderPayload>> =>
    runUseCase(runtime, 'placeOrder', PlaceOrderInputSchema, input, context, async (uow, call, order) => {
      const { settings } = runtime;
      const errors: ErpError[] = [];
      const orderId = order.orderId ?? call.documentId('SO');
      const company = order.company ?? settings.company;
      const currency = order.currency ?? settings.currency;
      const transactionDate = order.transactionDate ?? call.today;
      const deliveryDate = order.deliveryDate ?? addDays(transactionDate, settings.deliveryLeadTimeDays);
      const orderStream = salesOrderStreamId(orderId);

      // 1. The order id is free.
      const existing: SalesOrderState = await uow.load(orderStream, models.salesOrder);
      if (existing.exists) {
        errors.push(erpError('ORDER_ALREADY_EXISTS', `Order "${orderId}" already exists`, ['orderId'], { orderId }));
      }

      // 2. The customer exists and is enabled.
      const customerState = await uow.load(customerStreamId(order.customerId), models.customer);
      const customer = collect(errors, ['customerId'], () =>
        assertCustomerCanTransact(customerState, order.customerId),
      );

      // 3. Each item exists, is enabled, and converts from the line's unit.
      const lines = await checkLineItems(
        uow,
        order.lines.map((line, index) => ({
          path: ['lines', index],
          lineId: line.lineId ?? `L${index + 1}`,
          itemCode: line.itemCode,
          qty: line.qty,
          unit: line.unit,
          warehouse: line.warehouse ?? settings.defaultWarehouse,
        })),
        errors,
      );

      // 4. Stock: projected quantity per item and warehouse, lines of one pair drawing on it in order.
      const stock = await checkLineStock(runtime, uow, orderId, lines, errors, order.stockPolicy);

      // 5. Price each line.
      const terms: PricingTerms = {
        date: transactionDate,
        currency,
        company,
        customer,
        priceListId: order.priceListId,
        priceListPath: ['priceListId'],
      };
      const priced = await priceLines(runtime, uow, terms, lines, errors);
      // The order records the list it was priced from (ERPNext's selling_price_list): lines added later use it too.
      const priceListId = pricingListOf(runtime, terms);

      // 6. Build the order (pure until commit) to get its totals; the order's own rules are checked here too.
      const context = salesOrderContext(runtime, call);
      if (!existing.exists) {
        collect(errors, [], () =>
          uow.decide(
            orderStream,
            models.salesOrder,
            {
              type: 'CreateSalesOrder',
              data: {
                orderId,
                customerId: order.customerId,
                company,
                currency,
                transactionDate,
                deliveryDate,
                ...(priceListId === null ? {} : { priceListId }),
              },
            },
            context,
          ),
        );
      }
      const created = uow.state<SalesOrderState>(orderStream);
      for (const line of lines) {
        const pricing = priced.get(line.lineId);
        if (!pricing || !created.exists || existing.exists) continue;
        const given = order.lines[Number(line.path?.[1])];
        collect(errors, line.path, () =>
          uow.decide(
            orderStream,
            models.salesOrder,
            {
              type: 'AddSalesOrderLine',
              data: {
                orderId,
                line: {
                  lineId: line.lineId,
                  itemCode: line.itemCode,
                  qty: line.qty,
                  uom: line.unit,
                  priceListRate: pricing.priceListRate.amount,
                  rate: pricing.rate.amount,
                  warehouse: line.warehouse,
                  ...(given?.deliveryDate === undefined ? {} : { deliveryDate: given.deliveryDate }),
                },
              },
            },
            context,
          ),
        );
      }
      const built = uow.state<SalesOrderState>(orderStream);
      const grandTotal = built.exists && !existing.exists ? Money.of(built.totals.grandTotal, currency) : undefined;

      // 7. Credit: the priced lines' total is a lower bound of the order's, so a refusal on it is a real one.
      const credit =
        customer && grandTotal
          ? await checkOrderCredit(runtime, uow, customer, { orderId, company, amount: grandTotal }, errors)
          : undefined;

      if (errors.length > 0 || !built.exists || !grandTotal) return erpFailure(errors);

      // 8. Submit and reserve, unless a draft was asked for.
      if (!order.draft) {
        uow.decide(orderStream, models.salesOrder, { type: 'SubmitSalesOrder', data: { orderId } }, context);
        await reserve(runtime, uow, call, stock);
      }
      const placed = uow.state<ExistingSalesOrder>(orderStream);
      await syncOrderLedger(uow, placed);

      const highValue = grandTotal.greaterThan(Money.of(settings.highValueThreshold, currency));
      const total = grandTotal.toJSON();
      const notifications = [
        ...toCustomer(runtime, call, order.customerId, {
          kind: 'order_placed',
          subject: `Order ${orderId} ${order.draft ? 'received' : 'confirmed'}`,
          body: `Your order ${orderId} of ${grandTotal} (${placed.lines.length} line(s)) is ${order.draft ? 'received' : 'confirmed'}; delivery by ${placed.deliveryDate ?? deliveryDate}.`,
          data: { orderId, grandTotal: { ...total }, status: placed.status },
        }),
        ...(highValue
          ? highValueAlert(runtime, call, {
              subject: `High-value order ${orderId}: ${grandTotal}`,
              body: `Order ${orderId} for customer ${order.customerId} is ${grandTotal}, above the ${settings.highValueThreshold} ${currency} threshold.`,
              data: {
                orderId,
                customerId: order.customerId,
                grandTotal: { ...total },
                threshold: { amount: settings.highValueThreshold, currency },
              },
            })
          : []),
      ];

      return accept(
        {
          orderId,
          customerId: order.customerId,
          company,
          status: placed.status,
          grandTotal: total,
          lines: placedLines(placed, lines, priced, stock),
          credit: creditSummary(credit),
          highValue,
          warnings: stock.warnings,
        },
        { notifications, details: { orderId, grandTotal: { ...total }, highValue } },
      );
    });
}

function placedLines(
  order: ExistingSalesOrder,
  lines: readonly CheckedLine[],
  priced: ReadonlyMap<string, PricingResult>,
  stock: StockAvailabilityDecision,
): PlacedOrderLine[] {
  return lines.map((line) => {
    const onOrder = order.lines.find((candidate) => candidate.lineId === line.lineId);
    const pricing = priced.get(line.lineId);
    const verdict = stock.lines.find((candidate) => candidate.lineId === line.lineId);
    const currency = order.currency;
    return {
      lineId: line.lineId,
      itemCode: line.itemCode,
      qty: line.qty,
      unit: line.unit,
      warehouse: line.warehouse,
      stockQty: line.stockQty,
      priceListRate: Money.of(onOrder?.priceListRate ?? '0', currency).toJSON(),
      rate: Money.of(onOrder?.rate ?? '0', currency).toJSON(),
      amount: Money.of(onOrder?.amount ?? '0', currency).toJSON(),
      appliedRules: pricing?.appliedRules ?? [],
      pricing: pricing?.explanation.map((step) => step.message) ?? [],
      stock: verdict?.status ?? 'not_stock_item',
      backordered: verdict?.backordered ?? '0',
    };
  });
}
