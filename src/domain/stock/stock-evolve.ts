import { Quantity } from '../money/index.js';
import type { StockEvent } from './stock-events.js';
import { reservationKey } from './stock-ids.js';
import type { StockReservation, StockState } from './stock-state.js';

const add = (a: string, b: string): string => Quantity.of(a).add(b).value;
const sub = (a: string, b: string): string => Quantity.of(a).subtract(b).value;

function located(state: StockState, event: StockEvent): StockState {
  return state.itemCode === null ? { ...state, itemCode: event.data.itemCode, warehouse: event.data.warehouse } : state;
}

function withReservation(state: StockState, reservation: StockReservation): StockState {
  return {
    ...state,
    reservations: { ...state.reservations, [reservationKey(reservation.orderId, reservation.lineId)]: reservation },
  };
}

/** Moves the reserved totals by `delta` for a reservation of `kind`. */
function reserve(state: StockState, kind: StockReservation['kind'], delta: string): StockState {
  return {
    ...state,
    reservedQty: add(state.reservedQty, delta),
    hardReservedQty: kind === 'hard' ? add(state.hardReservedQty, delta) : state.hardReservedQty,
  };
}

/** Folds one Stock event into the state. Pure. */
export function evolveStock(current: StockState, event: StockEvent): StockState {
  const state = located(current, event);
  switch (event.type) {
    case 'StockReceived':
      return { ...state, actualQty: add(state.actualQty, event.data.qty) };
    case 'StockIssued':
      return { ...state, actualQty: sub(state.actualQty, event.data.qty) };
    case 'StockDelivered': {
      const issued = { ...state, actualQty: sub(state.actualQty, event.data.qty) };
      const reservation = state.reservations[reservationKey(event.data.orderId, event.data.lineId)];
      if (!reservation || Quantity.of(event.data.reservationReduced).isZero()) return issued;
      const reduced = withReservation(issued, {
        ...reservation,
        qty: sub(reservation.qty, event.data.reservationReduced),
      });
      // A released reservation no longer counts in the totals; only its remembered quantity shrinks.
      return reservation.status === 'active'
        ? reserve(reduced, reservation.kind, Quantity.of(event.data.reservationReduced).negate().value)
        : reduced;
    }
    case 'StockReserved': {
      const reservation: StockReservation = {
        orderId: event.data.orderId,
        lineId: event.data.lineId,
        kind: event.data.kind,
        qty: event.data.qty,
        status: 'active',
        releaseReason: null,
      };
      return reserve(withReservation(state, reservation), reservation.kind, reservation.qty);
    }
    case 'StockReservationAdjusted': {
      const reservation = state.reservations[reservationKey(event.data.orderId, event.data.lineId)];
      if (!reservation) return state;
      const delta = sub(event.data.qty, reservation.qty);
      return reserve(withReservation(state, { ...reservation, qty: event.data.qty }), reservation.kind, delta);
    }
    case 'StockReservationReleased': {
      const reservation = state.reservations[reservationKey(event.data.orderId, event.data.lineId)];
      if (!reservation) return state;
      const released = withReservation(state, { ...reservation, status: 'released', releaseReason: event.data.reason });
      return reserve(released, reservation.kind, Quantity.of(event.data.qty).negate().value);
    }
    case 'StockReservationRestored': {
      const reservation = state.reservations[reservationKey(event.data.orderId, event.data.lineId)];
      if (!reservation) return state;
      return reserve(withReservation(state, { ...reservation, status: 'active' }), reservation.kind, event.data.qty);
    }
  }
}
