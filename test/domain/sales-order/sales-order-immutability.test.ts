import { describe, expect, it } from 'vitest';
import {
  type ExistingSalesOrder,
  SalesOrder,
  type SalesOrderLine,
  type SalesOrderState,
} from '../../../src/domain/sales-order/index.js';
import { addLine, bill, context, create, deliver, orderOf, submittedOrder } from './sales-order-fixtures.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Decides `command` on `state` and folds its events. */
function apply(state: SalesOrderState, command: Parameters<typeof SalesOrder.decide>[0]): ExistingSalesOrder {
  const next = SalesOrder.decide(command, state, context()).reduce(SalesOrder.evolve, state);
  if (!next.exists) throw new Error('expected an order');
  return next;
}

describe('SalesOrder states are immutable', () => {
  it('throws when a returned state, its lines array or one of its lines is mutated', () => {
    const order = orderOf([create(), addLine('L1', { qty: '1', rate: '10' })]);
    const line = order.lines[0] as SalesOrderLine;
    // ES modules are strict: assigning to a frozen object throws instead of being silently ignored.
    expect(() => {
      (order.lines as SalesOrderLine[])[0] = { ...line, qty: '3' };
    }).toThrow(TypeError);
    expect(() => {
      (line as Mutable<SalesOrderLine>).qty = '3';
    }).toThrow(TypeError);
    expect(() => (order.lines as SalesOrderLine[]).push(line)).toThrow(TypeError);
    expect(() => {
      (order as Mutable<ExistingSalesOrder>).status = 'completed';
    }).toThrow(TypeError);
    // The state is as it was, so the next event computes the right totals (10 + 5, not stale memos).
    expect(apply(order, addLine('L2', { qty: '1', rate: '5' })).totals.total).toBe('15.00');
  });

  it('freezes the states of every kind of event, and those loaded from a snapshot', () => {
    const states: SalesOrderState[] = [];
    let state: SalesOrderState = SalesOrder.initialState;
    for (const command of [...submittedOrder, deliver({ L1: '2' }), bill({ L2: '10.00' })]) {
      state = apply(state, command);
      states.push(state);
    }
    states.push(SalesOrder.fromSnapshot(JSON.parse(JSON.stringify(SalesOrder.toSnapshot(state)))));
    for (const each of states) {
      expect(Object.isFrozen(each)).toBe(true);
      if (!each.exists) continue;
      expect(Object.isFrozen(each.lines)).toBe(true);
      for (const line of each.lines) expect(Object.isFrozen(line)).toBe(true);
    }
  });

  it('folds a state built elsewhere (a JSON copy) without depending on it: changing the copy later changes nothing', () => {
    const copy = JSON.parse(JSON.stringify(orderOf([create(), addLine('L1', { qty: '1', rate: '10' })])));
    const next = apply(copy, addLine('L2', { qty: '1', rate: '5' }));
    copy.lines[0].qty = '3';
    copy.lines[0].amount = '30.00';
    expect(next.lines[0]).toMatchObject({ qty: '1', amount: '10.00' });
    expect(apply(next, addLine('L3', { qty: '1', rate: '1' })).totals.total).toBe('16.00');
  });

  it('keeps the states before a delivery or billing as they were', () => {
    const submitted = orderOf(submittedOrder);
    const before = JSON.stringify(submitted);
    const delivered = apply(submitted, deliver({ L1: '10' }));
    apply(delivered, bill({ L1: '50.00' }));
    expect(JSON.stringify(submitted)).toBe(before);
    expect(delivered.lines[0]?.deliveredQty).toBe('10');
  });
});
