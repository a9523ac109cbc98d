/**
 * The sales order aggregate as a decider: commands, events, state, totals and status, exposed as the
 * {@link SalesOrder} namespace so that its names never clash with other aggregates'.
 *
 * @packageDocumentation
 */
import type { Decider } from '../../kernel/decider.js';
import { createEventRegistry, type EventRegistry } from '../../kernel/event-registry.js';
import { Money } from '../money/index.js';
import { SALES_ORDER_COMMAND_TYPES, type SalesOrderCommand, SalesOrderCommandSchema } from './sales-order-commands.js';
import { decideSalesOrder } from './sales-order-decide.js';
import { type SalesOrderEvent, salesOrderEventDefinitions } from './sales-order-events.js';
import { evolveSalesOrder } from './sales-order-evolve.js';
import { SalesOrderId, SalesOrderLineId, salesOrderStreamId } from './sales-order-ids.js';
import { roundGrandTotal, roundingModeFor, roundMoney, SALES_ORDER_ROUNDING_METHODS } from './sales-order-rounding.js';
import { isSalesOrderRuleError, SALES_ORDER_RULE_CODES, SALES_ORDER_RULES } from './sales-order-rules.js';
import { resolveSalesOrderSettings, type SalesOrderContext } from './sales-order-settings.js';
import {
  type ExistingSalesOrder,
  fromSalesOrderSnapshot,
  initialSalesOrderState,
  SALES_ORDER_SNAPSHOT_VERSION,
  type SalesOrderState,
  toSalesOrderSnapshot,
  totalsOf,
} from './sales-order-state.js';
import {
  billingStatusOf,
  deliveryStatusOf,
  deriveSalesOrderStatus,
  percentBilled,
  percentDelivered,
  SALES_ORDER_STATUSES,
} from './sales-order-status.js';
import { computeSalesOrderTotals } from './sales-order-totals.js';

export * from './sales-order-commands.js';
export { decideSalesOrder } from './sales-order-decide.js';
export * from './sales-order-events.js';
export { evolveSalesOrder } from './sales-order-evolve.js';
export * from './sales-order-ids.js';
export * from './sales-order-rounding.js';
export * from './sales-order-rules.js';
export * from './sales-order-settings.js';
export * from './sales-order-state.js';
export * from './sales-order-status.js';
export * from './sales-order-totals.js';
export * from './sales-order-values.js';

/** The sales order decider: `{ initialState, decide, evolve }`, for a command handler or `deciderSpec`. */
export const salesOrderDecider: Decider<SalesOrderCommand, SalesOrderEvent, SalesOrderState, SalesOrderContext> = {
  initialState: initialSalesOrderState,
  decide: decideSalesOrder,
  evolve: evolveSalesOrder,
};

/** Builds an event registry with every sales order event (for a store or a command handler). */
function createSalesOrderEventRegistry(): EventRegistry {
  return createEventRegistry(salesOrderEventDefinitions);
}

/** The order's grand total as `Money`. */
function grandTotalOf(order: ExistingSalesOrder): Money {
  return Money.of(order.totals.grandTotal, order.currency);
}

/** What is ordered and not billed yet, as `Money` (see `ExistingSalesOrder.unbilledAmount`). */
function unbilledAmountOf(order: ExistingSalesOrder): Money {
  return Money.of(order.unbilledAmount, order.currency);
}

/**
 * The sales order aggregate.
 *
 * @example
 * ```ts
 * const events = SalesOrder.decide(
 *   { type: 'CreateSalesOrder', data: { orderId: 'SO-1', customerId: 'C-1', company: 'Acme', currency: 'EUR' } },
 *   SalesOrder.initialState,
 *   { now: new Date(), newId: () => crypto.randomUUID() },
 * );
 * const state = events.reduce(SalesOrder.evolve, SalesOrder.initialState);
 * ```
 */
export const SalesOrder = {
  /** The decider (`initialState`, `decide`, `evolve`). */
  decider: salesOrderDecider,
  /** The state before any event: `{ exists: false }`. */
  initialState: initialSalesOrderState,
  /** Decides the events for a command (pure; throws `ValidationError` or `DomainRuleError`). */
  decide: decideSalesOrder,
  /** Folds one event into the state (pure). */
  evolve: evolveSalesOrder,
  /** Validates any command. */
  commandSchema: SalesOrderCommandSchema,
  /** The command type names. */
  commandTypes: SALES_ORDER_COMMAND_TYPES,
  /** Every event definition (zod schema, schema version 1), for an event registry. */
  events: salesOrderEventDefinitions,
  /** An event registry with every sales order event. */
  createEventRegistry: createSalesOrderEventRegistry,
  /** Rule codes with their meaning. */
  rules: SALES_ORDER_RULES,
  /** Rule codes, in catalogue order. */
  ruleCodes: SALES_ORDER_RULE_CODES,
  /** True for a sales order rule refusal (optionally of one rule). */
  isRuleError: isSalesOrderRuleError,
  /** Checks and brands an order id. */
  id: SalesOrderId,
  /** Checks and brands a line id. */
  lineId: SalesOrderLineId,
  /** The stream id of an order. */
  streamId: salesOrderStreamId,
  /** Validates settings and fills in the defaults. */
  resolveSettings: resolveSalesOrderSettings,
  /** Status derivation. */
  status: {
    /** Every status, in precedence order (the first that applies wins). */
    all: SALES_ORDER_STATUSES,
    /** Derives the status from the document status, the hold and close flags and the percentages. */
    derive: deriveSalesOrderStatus,
    /** ERPNext's `per_delivered`, by quantity, each line capped at its quantity. */
    percentDelivered,
    /** ERPNext's `per_billed`, by line amount, each line capped at its amount. */
    percentBilled,
    /** The delivery status for a delivered percentage: not, partly or fully delivered. */
    deliveryStatusOf,
    /** The billing status for a billed percentage: not, partly or fully billed. */
    billingStatusOf,
  },
  /** Totals computation and rounding. */
  totals: {
    /** Computes an order's totals the ERPNext way: line amounts, order discount, taxes, grand and rounded total. */
    compute: computeSalesOrderTotals,
    /** An order's totals including the per-line figures, as `compute` returns them. */
    of: totalsOf,
    /** The order's grand total as `Money`. */
    grandTotalOf,
    /** What is ordered and not billed yet, as `Money`. */
    unbilledAmountOf,
    /** The rounding methods a host can choose. */
    roundingMethods: SALES_ORDER_ROUNDING_METHODS,
    /** The `Money` rounding mode a rounding method uses at a given number of decimals. */
    roundingModeFor,
    /** Rounds an amount to its currency's minor unit with a rounding method. */
    roundMoney,
    /** ERPNext's rounded total: the grand total rounded to the currency's smallest fraction. */
    roundGrandTotal,
  },
  /** The state as a JSON snapshot (recorded fields only). */
  toSnapshot: toSalesOrderSnapshot,
  /** Loads a snapshot made by `toSnapshot` (validated; derived fields recomputed). */
  fromSnapshot: fromSalesOrderSnapshot,
  /** The snapshot format version. */
  snapshotVersion: SALES_ORDER_SNAPSHOT_VERSION,
} as const;
