import { assertCustomerCanTransact } from '../domain/customer/customer-checks.js';
import { customerStreamId } from '../domain/customer/customer-ids.js';
import { Money, type MoneyJSON } from '../domain/money/index.js';
import type { SalesOrderCommand } from '../domain/sales-order/sales-order-commands.js';
import { salesOrderStreamId } from '../domain/sales-order/sales-order-ids.js';
import type { ExistingSalesOrder } from '../domain/sales-order/sales-order-state.js';
import type { SalesOrderStatus } from '../domain/sales-order/sales-order-status.js';
import {
  type OrderReasonInput,
  OrderReasonInputSchema,
  type OrderRefInput,
  OrderRefInputSchema,
  type SubmitOrderInput,
  SubmitOrderInputSchema,
} from './erp-inputs.js';
import { toCustomer } from './erp-notifications.js';
import { collect, type ErpError, type ErpResult, erpFailure } from './erp-result.js';
import {
  accept,
  type ErpRuntime,
  type Outcome,
  runUseCase,
  type UseCaseCall,
  type UseCaseContext,
} from './erp-runtime.js';
import {
  checkLineItems,
  checkLineStock,
  checkOrderCredit,
  isErpError,
  loadCustomerRecord,
  loadOrder,
  models,
  moveOrderReservations,
  salesOrderContext,
  syncOrderLedger,
} from './erp-support.js';
import { type CreditSummary, creditSummary, reserve } from './place-order.js';
import type { UnitOfWork } from './unit-of-work.js';

/** What the order use cases (submit, hold, resume, close, re-open, cancel, update items) return on success. */
export interface OrderPayload {
  readonly orderId: string;
  readonly status: SalesOrderStatus;
  readonly grandTotal: MoneyJSON;
  /** What the order now counts in its customer's credit exposure. */
  readonly unbilledAmount: MoneyJSON;
  /** The credit check, when the use case made one (submit, resume, re-open, an increase), else `null`. */
  readonly credit: CreditSummary | null;
}

/** What {@link Erp.submitOrder} returns on success. */
export interface SubmitOrderPayload extends OrderPayload {
  /**
   * Stock shortfalls of the draft's lines accepted under the `warn` or `backorder` policy (the call's, else the
   * setting), worded as `placeOrder`'s; empty under `block` (a shortfall is refused) or when every line is available.
   */
  readonly warnings: readonly string[];
}

/** @internal The payload of an order after a use case. */
export function orderPayload(order: ExistingSalesOrder, credit: CreditSummary | null = null): OrderPayload {
  return {
    orderId: order.orderId,
    status: order.status,
    grandTotal: Money.of(order.totals.grandTotal, order.currency).toJSON(),
    unbilledAmount: Money.of(order.unbilledAmount, order.currency).toJSON(),
    credit,
  };
}

type OrderInput = OrderRefInput | OrderReasonInput;

/**
 * @internal A use case that decides one command on the order, then does its side effects: load, decide (its rule
 * errors refuse the call), `after` (stock, credit), ledger, payload.
 */
function orderUseCase<Input extends OrderInput>(
  runtime: ErpRuntime,
  useCase: string,
  schema: typeof OrderRefInputSchema | typeof OrderReasonInputSchema,
  command: (input: Input) => SalesOrderCommand,
  after: (
    uow: UnitOfWork,
    call: UseCaseCall,
    order: ExistingSalesOrder,
    errors: ErpError[],
  ) => Promise<{ credit?: CreditSummary | null; notify?: boolean } | undefined>,
) {
  return (input: Input, context?: UseCaseContext): Promise<ErpResult<OrderPayload>> =>
    runUseCase(runtime, useCase, schema, input, context, async (uow, call, parsed): Promise<Outcome<OrderPayload>> => {
      const streamId = salesOrderStreamId(parsed.orderId);
      const before = await loadOrder(uow, streamId, parsed.orderId);
      if (isErpError(before)) return erpFailure([before]);
      uow.decide(streamId, models.salesOrder, command(parsed as Input), salesOrderContext(runtime, call));
      const order = uow.state<ExistingSalesOrder>(streamId);
      const errors: ErpError[] = [];
      const extra = await after(uow, call, order, errors);
      if (errors.length > 0) return erpFailure(errors);
      await syncOrderLedger(uow, order);
      return accept(orderPayload(order, extra?.credit ?? null), {
        details: { orderId: order.orderId, status: order.status },
        notifications: extra?.notify
          ? toCustomer(runtime, call, order.customerId, {
              kind: 'order_cancelled',
              subject: `Order ${order.orderId} cancelled`,
              body: `Your order ${order.orderId} of ${Money.of(order.totals.grandTotal, order.currency)} is cancelled.`,
              data: { orderId: order.orderId },
            })
          : [],
      });
    });
}

/** @internal Checks the order's credit with its unbilled amount after the command as the new amount. */
async function creditAfter(
  runtime: ErpRuntime,
  uow: UnitOfWork,
  order: ExistingSalesOrder,
  errors: ErpError[],
): Promise<CreditSummary | null> {
  const customer = await loadCustomerRecord(uow, order.customerId);
  if (!customer) return null;
  const amount = Money.of(order.unbilledAmount, order.currency);
  return creditSummary(
    await checkOrderCredit(runtime, uow, customer, { orderId: order.orderId, company: order.company, amount }, errors),
  );
}

/**
 * @internal Submits a draft: items, stock (with the call's `stockPolicy`, else the ERP's) and credit are checked again
 * (every failure listed), stock reserved; shortfalls accepted under `warn` or `backorder` are reported in `warnings`.
 */
export function submitOrder(runtime: ErpRuntime) {
  return (input: SubmitOrderInput, context?: UseCaseContext): Promise<ErpResult<SubmitOrderPayload>> =>
    runUseCase(runtime, 'submitOrder', SubmitOrderInputSchema, input, context, async (uow, call, submit) => {
      const { orderId } = submit;
      const streamId = salesOrderStreamId(orderId);
      const draft = await loadOrder(uow, streamId, orderId);
      if (isErpError(draft)) return erpFailure([draft]);
      const errors: ErpError[] = [];
      // The order's own rules first: a submitted or cancelled order has nothing else worth checking.
      collect(errors, undefined, () =>
        uow.decide(
          streamId,
          models.salesOrder,
          { type: 'SubmitSalesOrder', data: { orderId } },
          salesOrderContext(runtime, call),
        ),
      );
      if (draft.docStatus !== 'draft') return erpFailure(errors);
      const customerState = await uow.load(customerStreamId(draft.customerId), models.customer);
      const customer = collect(errors, undefined, () => assertCustomerCanTransact(customerState, draft.customerId));
      const lines = await checkLineItems(
        uow,
        draft.lines.map((line) => ({
          lineId: line.lineId,
          itemCode: line.itemCode,
          qty: line.qty,
          unit: line.uom,
          warehouse: line.warehouse,
        })),
        errors,
      );
      const stock = await checkLineStock(runtime, uow, orderId, lines, errors, submit.stockPolicy);
      const submitted = uow.state<ExistingSalesOrder>(streamId);
      const amount = Money.of(submitted.totals.grandTotal, submitted.currency);
      const credit = customer
        ? await checkOrderCredit(runtime, uow, customer, { orderId, company: submitted.company, amount }, errors)
        : undefined;
      if (errors.length > 0) return erpFailure(errors);
      await reserve(runtime, uow, call, stock);
      await syncOrderLedger(uow, submitted);
      return accept(
        { ...orderPayload(submitted, creditSummary(credit)), warnings: stock.warnings },
        { details: { orderId, status: submitted.status } },
      );
    });
}

/** @internal Puts an order on hold and releases its reservations (`on_hold`). */
export function holdOrder(runtime: ErpRuntime) {
  return orderUseCase<OrderReasonInput>(
    runtime,
    'holdOrder',
    OrderReasonInputSchema,
    (input) => ({
      type: 'HoldSalesOrder',
      data: { orderId: input.orderId, ...(input.reason === undefined ? {} : { reason: input.reason }) },
    }),
    async (uow, call, order) => {
      await moveOrderReservations(runtime, uow, call, order, { type: 'ReleaseStockReservation', reason: 'on_hold' });
      return undefined;
    },
  );
}

/** @internal Resumes an order on hold: credit is checked again, reservations restored (`resumed`). */
export function resumeOrder(runtime: ErpRuntime) {
  return orderUseCase<OrderRefInput>(
    runtime,
    'resumeOrder',
    OrderRefInputSchema,
    (input) => ({ type: 'ResumeSalesOrder', data: { orderId: input.orderId } }),
    async (uow, call, order, errors) => {
      const credit = await creditAfter(runtime, uow, order, errors);
      if (errors.length === 0) {
        await moveOrderReservations(runtime, uow, call, order, { type: 'RestoreStockReservation', reason: 'resumed' });
      }
      return { credit };
    },
  );
}

/** @internal Closes an order and releases its reservations (`closed`); it stops counting as unbilled. */
export function closeOrder(runtime: ErpRuntime) {
  return orderUseCase<OrderRefInput>(
    runtime,
    'closeOrder',
    OrderRefInputSchema,
    (input) => ({ type: 'CloseSalesOrder', data: { orderId: input.orderId } }),
    async (uow, call, order) => {
      await moveOrderReservations(runtime, uow, call, order, { type: 'ReleaseStockReservation', reason: 'closed' });
      return undefined;
    },
  );
}

/** @internal Re-opens a closed order: credit is checked again, reservations restored (`re_opened`). */
export function reopenOrder(runtime: ErpRuntime) {
  return orderUseCase<OrderRefInput>(
    runtime,
    'reopenOrder',
    OrderRefInputSchema,
    (input) => ({ type: 'ReopenSalesOrder', data: { orderId: input.orderId } }),
    async (uow, call, order, errors) => {
      const credit = await creditAfter(runtime, uow, order, errors);
      if (errors.length === 0) {
        await moveOrderReservations(runtime, uow, call, order, {
          type: 'RestoreStockReservation',
          reason: 're_opened',
        });
      }
      return { credit };
    },
  );
}

/** @internal Cancels an order and releases its reservations (`cancelled`); the customer is told. */
export function cancelOrder(runtime: ErpRuntime) {
  return orderUseCase<OrderReasonInput>(
    runtime,
    'cancelOrder',
    OrderReasonInputSchema,
    (input) => ({
      type: 'CancelSalesOrder',
      data: { orderId: input.orderId, ...(input.reason === undefined ? {} : { reason: input.reason }) },
    }),
    async (uow, call, order) => {
      await moveOrderReservations(runtime, uow, call, order, { type: 'ReleaseStockReservation', reason: 'cancelled' });
      return { notify: true };
    },
  );
}
