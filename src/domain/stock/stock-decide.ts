import type { DecideContext } from '../../kernel/decider.js';
import { DomainRuleError } from '../../kernel/errors.js';
import { parseOrThrow } from '../../kernel/validation.js';
import { Quantity } from '../money/index.js';
import { type ParsedStockCommand, type StockCommand, StockCommandSchema } from './stock-commands.js';
import type { StockEvent } from './stock-events.js';
import { reservationKey } from './stock-ids.js';
import type { StockReservation, StockState } from './stock-state.js';

/** The rule codes the Stock decider refuses commands with. */
export type StockRuleCode =
  | 'INSUFFICIENT_STOCK'
  | 'STOCK_RESERVED'
  | 'RESERVATION_EXISTS'
  | 'RESERVATION_NOT_FOUND'
  | 'RESERVATION_NOT_ACTIVE'
  | 'STOCK_LOCATION_MISMATCH';

function refuse(rule: StockRuleCode, message: string, data: Record<string, unknown>): never {
  throw new DomainRuleError<StockRuleCode>(rule, message, data);
}

/** One stream holds one item in one warehouse; a command for another pair was routed to the wrong stream. */
function checkLocation(state: StockState, command: ParsedStockCommand): void {
  if (state.itemCode !== null && (state.itemCode !== command.itemCode || state.warehouse !== command.warehouse)) {
    refuse(
      'STOCK_LOCATION_MISMATCH',
      `This stream holds "${state.itemCode}" in "${state.warehouse}", not "${command.itemCode}" in "${command.warehouse}"`,
      {
        expected: { itemCode: state.itemCode, warehouse: state.warehouse },
        actual: { itemCode: command.itemCode, warehouse: command.warehouse },
      },
    );
  }
}

/**
 * Checks that taking `qty` out leaves enough: never below zero (unless negative stock is allowed) and never into
 * stock hard-reserved for other orders (`hardReservedAfter`).
 */
function checkIssue(
  state: StockState,
  command: { itemCode: string; warehouse: string; qty: string; allowNegativeStock: boolean },
  hardReservedAfter: Quantity,
): void {
  const actual = Quantity.of(state.actualQty);
  const after = actual.subtract(command.qty);
  const where = { itemCode: command.itemCode, warehouse: command.warehouse };
  if (!command.allowNegativeStock && after.isNegative()) {
    refuse(
      'INSUFFICIENT_STOCK',
      `Only ${actual.value} of "${command.itemCode}" in "${command.warehouse}", ${command.qty} requested`,
      { ...where, requested: command.qty, available: actual.value, shortfall: after.negate().value },
    );
  }
  if (hardReservedAfter.isPositive() && after.lessThan(hardReservedAfter)) {
    const free = Quantity.max(actual.subtract(hardReservedAfter), 0);
    refuse(
      'STOCK_RESERVED',
      `${hardReservedAfter.value} of "${command.itemCode}" in "${command.warehouse}" is hard-reserved for other orders; only ${free.value} may be issued`,
      {
        ...where,
        requested: command.qty,
        actual: actual.value,
        hardReserved: hardReservedAfter.value,
        availableToIssue: free.value,
      },
    );
  }
}

/** A hard reservation needs the stock to be there and not already hard-reserved. */
function checkHardReservable(state: StockState, itemCode: string, warehouse: string, qty: Quantity): void {
  const free = Quantity.of(state.actualQty).subtract(state.hardReservedQty);
  if (qty.greaterThan(free)) {
    refuse(
      'INSUFFICIENT_STOCK',
      `Cannot hard-reserve ${qty.value} of "${itemCode}" in "${warehouse}": only ${Quantity.max(free, 0).value} is free`,
      {
        itemCode,
        warehouse,
        requested: qty.value,
        available: Quantity.max(free, 0).value,
        shortfall: qty.subtract(Quantity.max(free, 0)).value,
      },
    );
  }
}

function linesOf(state: StockState, orderId: string, lineId: string | undefined): StockReservation[] {
  return Object.values(state.reservations)
    .filter((reservation) => reservation.orderId === orderId && (lineId === undefined || reservation.lineId === lineId))
    .sort((a, b) => (a.lineId < b.lineId ? -1 : a.lineId > b.lineId ? 1 : 0));
}

/**
 * Decides what a Stock command changes, for one item in one warehouse.
 *
 * @remarks
 * Rules: issuing never takes actual quantity below zero unless `allowNegativeStock` (`INSUFFICIENT_STOCK`), and
 * never into stock hard-reserved for other orders (`STOCK_RESERVED`); a delivery for an order line reduces that
 * line's reservation by up to the delivered quantity; a soft reservation is always accepted (projected
 * quantity may go negative), a hard one needs free stock (`INSUFFICIENT_STOCK`); one reservation per order
 * line (`RESERVATION_EXISTS`, unless it is the same one again: then nothing happens). Release and restore are
 * exact and idempotent: they move each line's outstanding quantity between active and released, and do nothing
 * for lines already there.
 */
export function decideStock(input: StockCommand, state: StockState, _context?: DecideContext): readonly StockEvent[] {
  const command = parseOrThrow(StockCommandSchema, input);
  checkLocation(state, command);
  const where = { itemCode: command.itemCode, warehouse: command.warehouse };
  switch (command.type) {
    case 'ReceiveStock':
      return [
        {
          type: 'StockReceived',
          data: { ...where, qty: Quantity.of(command.qty).value, reference: command.reference ?? null },
        },
      ];
    case 'IssueStock': {
      checkIssue(state, command, Quantity.of(state.hardReservedQty));
      return [
        {
          type: 'StockIssued',
          data: { ...where, qty: Quantity.of(command.qty).value, reference: command.reference ?? null },
        },
      ];
    }
    case 'DeliverStock': {
      const reservation = state.reservations[reservationKey(command.orderId, command.lineId)];
      const reduced = reservation ? Quantity.min(command.qty, reservation.qty) : Quantity.zero();
      // The delivered line's own hard reservation is what the delivery consumes, so it does not block it.
      const hardAfter =
        reservation?.kind === 'hard' && reservation.status === 'active'
          ? Quantity.of(state.hardReservedQty).subtract(reduced)
          : Quantity.of(state.hardReservedQty);
      checkIssue(state, command, hardAfter);
      return [
        {
          type: 'StockDelivered',
          data: {
            ...where,
            orderId: command.orderId,
            lineId: command.lineId,
            qty: Quantity.of(command.qty).value,
            reservationReduced: reduced.value,
            reference: command.reference ?? null,
          },
        },
      ];
    }
    case 'ReserveStock': {
      const qty = Quantity.of(command.qty);
      const existing = state.reservations[reservationKey(command.orderId, command.lineId)];
      if (existing) {
        if (existing.status === 'active' && existing.kind === command.kind && qty.equals(existing.qty)) return [];
        refuse(
          'RESERVATION_EXISTS',
          `Order "${command.orderId}" line "${command.lineId}" already has a reservation here; adjust, release or restore it instead`,
          { ...where, orderId: command.orderId, lineId: command.lineId, existing },
        );
      }
      if (command.kind === 'hard') checkHardReservable(state, command.itemCode, command.warehouse, qty);
      return [
        {
          type: 'StockReserved',
          data: { ...where, orderId: command.orderId, lineId: command.lineId, qty: qty.value, kind: command.kind },
        },
      ];
    }
    case 'AdjustStockReservation': {
      const existing = state.reservations[reservationKey(command.orderId, command.lineId)];
      if (!existing) {
        refuse('RESERVATION_NOT_FOUND', `Order "${command.orderId}" line "${command.lineId}" has no reservation here`, {
          ...where,
          orderId: command.orderId,
          lineId: command.lineId,
        });
      }
      if (existing.status !== 'active') {
        refuse(
          'RESERVATION_NOT_ACTIVE',
          `The reservation of order "${command.orderId}" line "${command.lineId}" is released; restore it first`,
          { ...where, orderId: command.orderId, lineId: command.lineId, releaseReason: existing.releaseReason },
        );
      }
      const qty = Quantity.of(command.qty);
      if (qty.equals(existing.qty)) return [];
      const increase = qty.subtract(existing.qty);
      if (existing.kind === 'hard' && increase.isPositive()) {
        checkHardReservable(state, command.itemCode, command.warehouse, increase);
      }
      return [
        {
          type: 'StockReservationAdjusted',
          data: {
            ...where,
            orderId: command.orderId,
            lineId: command.lineId,
            previousQty: existing.qty,
            qty: qty.value,
          },
        },
      ];
    }
    case 'ReleaseStockReservation':
      return linesOf(state, command.orderId, command.lineId)
        .filter((reservation) => reservation.status === 'active' && Quantity.of(reservation.qty).isPositive())
        .map((reservation) => ({
          type: 'StockReservationReleased' as const,
          data: {
            ...where,
            orderId: reservation.orderId,
            lineId: reservation.lineId,
            qty: reservation.qty,
            reason: command.reason,
          },
        }));
    case 'RestoreStockReservation': {
      const toRestore = linesOf(state, command.orderId, command.lineId).filter(
        (reservation) => reservation.status === 'released' && Quantity.of(reservation.qty).isPositive(),
      );
      const hard = toRestore.filter((reservation) => reservation.kind === 'hard');
      if (hard.length > 0) {
        checkHardReservable(
          state,
          command.itemCode,
          command.warehouse,
          hard.reduce((sum, reservation) => sum.add(reservation.qty), Quantity.zero()),
        );
      }
      return toRestore.map((reservation) => ({
        type: 'StockReservationRestored' as const,
        data: {
          ...where,
          orderId: reservation.orderId,
          lineId: reservation.lineId,
          qty: reservation.qty,
          reason: command.reason,
        },
      }));
    }
  }
}
