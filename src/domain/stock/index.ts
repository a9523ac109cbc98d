/**
 * Stock per item and warehouse: receipts, issues and deliveries (actual quantity), soft and hard reservations
 * keyed by order line (reserved quantity), projected quantity, and the pure availability check.
 */
import type { Decider } from '../../kernel/decider.js';
import { assertStockAvailable, checkStockAvailability } from './stock-availability.js';
import { type StockCommand, StockCommandSchema } from './stock-commands.js';
import { decideStock } from './stock-decide.js';
import { type StockEvent, stockEvents } from './stock-events.js';
import { evolveStock } from './stock-evolve.js';
import { reservationKey, stockStreamId } from './stock-ids.js';
import { availableToIssue, projectedQty } from './stock-quantities.js';
import { initialStockState, type StockState } from './stock-state.js';

export {
  assertStockAvailable,
  checkStockAvailability,
  type ReserveStockCommand,
  type StockAvailabilityDecision,
  type StockAvailabilityInput,
  type StockLevelEntry,
  type StockLineDecision,
  type StockPolicy,
  type StockRequestLine,
  type StockShortfall,
} from './stock-availability.js';
export {
  AdjustStockReservationSchema,
  DeliverStockSchema,
  IssueStockSchema,
  type ParsedStockCommand,
  ReceiveStockSchema,
  type ReleaseReason,
  ReleaseReasonSchema,
  ReleaseStockReservationSchema,
  type ReservationKind,
  ReservationKindSchema,
  ReserveStockSchema,
  type RestoreReason,
  RestoreReasonSchema,
  RestoreStockReservationSchema,
  type StockCommand,
  StockCommandSchema,
} from './stock-commands.js';
export type { StockRuleCode } from './stock-decide.js';
export {
  StockDelivered,
  type StockEvent,
  StockIssued,
  StockReceived,
  StockReservationAdjusted,
  StockReservationReleased,
  StockReservationRestored,
  StockReserved,
  stockEvents,
} from './stock-events.js';
export {
  OrderLineRefSchema,
  OrderRefSchema,
  reservationKey,
  STOCK_STREAM_PREFIX,
  stockStreamId,
  WarehouseId,
  WarehouseIdSchema,
} from './stock-ids.js';
export { availableToIssue, projectedQty, type StockLevel } from './stock-quantities.js';
export { initialStockState, type StockReservation, type StockState } from './stock-state.js';

/** The Stock aggregate as a decider. One stream per item and warehouse: see {@link Stock.streamId}. */
export const stockDecider: Decider<StockCommand, StockEvent, StockState> = {
  initialState: initialStockState,
  decide: decideStock,
  evolve: evolveStock,
};

/**
 * Everything about stock in one namespace: `Stock.decider`, `Stock.events`, `Stock.streamId(itemCode,
 * warehouse)`, the quantities (`projectedQty`, `availableToIssue`) and the availability check.
 */
export const Stock = {
  /** `{ initialState, decide, evolve }`. */
  decider: stockDecider,
  /** Decides the events for a Stock command (pure; throws `ValidationError` or `DomainRuleError`). */
  decide: decideStock,
  /** Folds one Stock event into the state (pure). */
  evolve: evolveStock,
  initialState: initialStockState,
  /** The event definitions, for the event registry. */
  events: stockEvents,
  /** Validates any Stock command. */
  commandSchema: StockCommandSchema,
  /** The stream that holds the stock of one item in one warehouse: `Stock-<itemCode>@<warehouse>`. */
  streamId: stockStreamId,
  /** {@link reservationKey}: the key of one reservation in the stock state, `<orderId>#<lineId>`. */
  reservationKey,
  /** {@link projectedQty}: actual − reserved (negative when more is promised than is there). */
  projectedQty,
  /** {@link availableToIssue}: actual − hard-reserved. */
  availableToIssue,
  /** {@link checkStockAvailability}: checks order lines against projected stock and says what to reserve. */
  checkAvailability: checkStockAvailability,
  /** {@link assertStockAvailable}: the same check, throwing `INSUFFICIENT_STOCK` on a shortfall under `block`. */
  assertAvailable: assertStockAvailable,
} as const;
