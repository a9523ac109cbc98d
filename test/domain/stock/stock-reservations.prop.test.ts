import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Quantity } from '../../../src/domain/money/index.js';
import { Stock, type StockCommand, type StockEvent, type StockState } from '../../../src/domain/stock/index.js';
import { DomainRuleError } from '../../../src/kernel/errors.js';
import { orderLifecycleCommandsArb } from '../../../src/testing/arbitraries/stock-arbitraries.js';

function run(state: StockState, command: StockCommand): { state: StockState; events: readonly StockEvent[] } {
  const events = Stock.decide(command, state);
  return { state: events.reduce(Stock.evolve, state), events };
}

/** How much an event moves reserved quantity, read from the event alone. */
function reservedDelta(event: StockEvent, before: StockState): Quantity {
  switch (event.type) {
    case 'StockReserved':
    case 'StockReservationRestored':
      return Quantity.of(event.data.qty);
    case 'StockReservationReleased':
      return Quantity.of(event.data.qty).negate();
    case 'StockReservationAdjusted':
      return Quantity.of(event.data.qty).subtract(event.data.previousQty);
    case 'StockDelivered': {
      const reservation = before.reservations[Stock.reservationKey(event.data.orderId, event.data.lineId)];
      return reservation?.status === 'active' ? Quantity.of(event.data.reservationReduced).negate() : Quantity.zero();
    }
    default:
      return Quantity.zero();
  }
}

function activeSum(state: StockState, kind?: 'hard'): Quantity {
  return Object.values(state.reservations)
    .filter((reservation) => reservation.status === 'active' && (kind === undefined || reservation.kind === kind))
    .reduce((sum, reservation) => sum.add(reservation.qty), Quantity.zero());
}

describe('stock reservations over order lifecycles', () => {
  it('reserved and released quantities balance to zero over any order lifecycle', () => {
    fc.assert(
      fc.property(orderLifecycleCommandsArb(), (commands) => {
        let state = Stock.initialState;
        let balance = Quantity.zero();
        for (const command of commands) {
          const before = state;
          const step = run(state, command);
          for (const event of step.events) balance = balance.add(reservedDelta(event, before));
          state = step.state;
          // The running totals always equal the sum of the active reservations.
          expect(state.reservedQty).toBe(activeSum(state).value);
          expect(state.hardReservedQty).toBe(activeSum(state, 'hard').value);
          expect(Quantity.of(state.reservedQty).isNegative()).toBe(false);
          expect(Quantity.of(state.hardReservedQty).lessThanOrEqual(state.actualQty)).toBe(true);
        }
        expect(balance.isZero()).toBe(true);
        expect(state.reservedQty).toBe('0');
        expect(state.hardReservedQty).toBe('0');
      }),
      { numRuns: 100 },
    );
  });

  it('repeating any release or restore right away changes nothing', () => {
    fc.assert(
      fc.property(orderLifecycleCommandsArb(), (commands) => {
        let state = Stock.initialState;
        for (const command of commands) {
          state = run(state, command).state;
          if (command.type === 'ReleaseStockReservation' || command.type === 'RestoreStockReservation') {
            expect(Stock.decide(command, state)).toEqual([]);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

// Model-based: the decider against a model made of plain integers.
interface ModelReservation {
  qty: number;
  hard: boolean;
  active: boolean;
}
interface Model {
  actual: number;
  reservations: Map<string, ModelReservation>;
}
interface Real {
  state: StockState;
}

const where = { itemCode: 'WIDGET', warehouse: 'Main' };
const sum = (model: Model, filter: (r: ModelReservation) => boolean) =>
  [...model.reservations.values()].filter(filter).reduce((total, r) => total + r.qty, 0);
const hardReserved = (model: Model) => sum(model, (r) => r.active && r.hard);

function attempt(real: Real, command: StockCommand): string | null {
  try {
    real.state = run(real.state, command).state;
    return null;
  } catch (error) {
    if (error instanceof DomainRuleError) return error.rule;
    throw error;
  }
}

function check(model: Model, real: Real): void {
  expect(real.state.actualQty).toBe(String(model.actual));
  expect(real.state.reservedQty).toBe(String(sum(model, (r) => r.active)));
  expect(real.state.hardReservedQty).toBe(String(hardReserved(model)));
}

class Receive implements fc.Command<Model, Real> {
  constructor(readonly qty: number) {}
  check = () => true;
  run(model: Model, real: Real) {
    expect(attempt(real, { type: 'ReceiveStock', ...where, qty: String(this.qty) })).toBeNull();
    model.actual += this.qty;
    check(model, real);
  }
  toString = () => `Receive(${this.qty})`;
}

class Issue implements fc.Command<Model, Real> {
  constructor(readonly qty: number) {}
  check = () => true;
  run(model: Model, real: Real) {
    const expected =
      this.qty > model.actual
        ? 'INSUFFICIENT_STOCK'
        : hardReserved(model) > 0 && model.actual - this.qty < hardReserved(model)
          ? 'STOCK_RESERVED'
          : null;
    expect(attempt(real, { type: 'IssueStock', ...where, qty: String(this.qty) })).toBe(expected);
    if (expected === null) model.actual -= this.qty;
    check(model, real);
  }
  toString = () => `Issue(${this.qty})`;
}

class Reserve implements fc.Command<Model, Real> {
  constructor(
    readonly order: string,
    readonly line: string,
    readonly qty: number,
    readonly hard: boolean,
  ) {}
  check = () => true;
  run(model: Model, real: Real) {
    const key = `${this.order}#${this.line}`;
    const existing = model.reservations.get(key);
    let expected: string | null = null;
    if (existing) {
      const same = existing.active && existing.hard === this.hard && existing.qty === this.qty;
      expected = same ? null : 'RESERVATION_EXISTS';
    } else if (this.hard && this.qty > model.actual - hardReserved(model)) {
      expected = 'INSUFFICIENT_STOCK';
    }
    const command: StockCommand = {
      type: 'ReserveStock',
      ...where,
      orderId: this.order,
      lineId: this.line,
      qty: String(this.qty),
      kind: this.hard ? 'hard' : 'soft',
    };
    expect(attempt(real, command)).toBe(expected);
    if (expected === null && !existing) model.reservations.set(key, { qty: this.qty, hard: this.hard, active: true });
    check(model, real);
  }
  toString = () => `Reserve(${this.order}#${this.line}, ${this.qty}, ${this.hard ? 'hard' : 'soft'})`;
}

class Release implements fc.Command<Model, Real> {
  constructor(readonly order: string) {}
  check = () => true;
  run(model: Model, real: Real) {
    expect(
      attempt(real, { type: 'ReleaseStockReservation', ...where, orderId: this.order, reason: 'on_hold' }),
    ).toBeNull();
    for (const [key, r] of model.reservations) if (key.startsWith(`${this.order}#`) && r.qty > 0) r.active = false;
    check(model, real);
  }
  toString = () => `Release(${this.order})`;
}

class Restore implements fc.Command<Model, Real> {
  constructor(readonly order: string) {}
  check = () => true;
  run(model: Model, real: Real) {
    const toRestore = [...model.reservations].filter(
      ([key, r]) => key.startsWith(`${this.order}#`) && !r.active && r.qty > 0,
    );
    const hard = toRestore.filter(([, r]) => r.hard).reduce((total, [, r]) => total + r.qty, 0);
    const expected = hard > 0 && hard > model.actual - hardReserved(model) ? 'INSUFFICIENT_STOCK' : null;
    expect(attempt(real, { type: 'RestoreStockReservation', ...where, orderId: this.order, reason: 'resumed' })).toBe(
      expected,
    );
    if (expected === null) for (const [, r] of toRestore) r.active = true;
    check(model, real);
  }
  toString = () => `Restore(${this.order})`;
}

class Deliver implements fc.Command<Model, Real> {
  constructor(
    readonly order: string,
    readonly line: string,
    readonly qty: number,
  ) {}
  check = () => true;
  run(model: Model, real: Real) {
    const r = model.reservations.get(`${this.order}#${this.line}`);
    const reduced = r ? Math.min(this.qty, r.qty) : 0;
    const hardAfter = hardReserved(model) - (r?.hard && r.active ? reduced : 0);
    const expected =
      this.qty > model.actual
        ? 'INSUFFICIENT_STOCK'
        : hardAfter > 0 && model.actual - this.qty < hardAfter
          ? 'STOCK_RESERVED'
          : null;
    const command: StockCommand = {
      type: 'DeliverStock',
      ...where,
      orderId: this.order,
      lineId: this.line,
      qty: String(this.qty),
    };
    expect(attempt(real, command)).toBe(expected);
    if (expected === null) {
      model.actual -= this.qty;
      if (r) r.qty -= reduced;
    }
    check(model, real);
  }
  toString = () => `Deliver(${this.order}#${this.line}, ${this.qty})`;
}

describe('Stock decider against an integer model', () => {
  it('agrees with the model on every accepted and refused command', () => {
    const order = fc.constantFrom('SO-1', 'SO-2', 'SO-3');
    const line = fc.constantFrom('L1', 'L2');
    const qty = fc.integer({ min: 1, max: 20 });
    const commands = [
      qty.map((q) => new Receive(q)),
      qty.map((q) => new Issue(q)),
      fc.tuple(order, line, qty, fc.boolean()).map(([o, l, q, h]) => new Reserve(o, l, q, h)),
      order.map((o) => new Release(o)),
      order.map((o) => new Restore(o)),
      fc.tuple(order, line, qty).map(([o, l, q]) => new Deliver(o, l, q)),
    ];
    fc.assert(
      fc.property(fc.commands(commands, { maxCommands: 40 }), (cmds) => {
        fc.modelRun(
          () => ({ model: { actual: 0, reservations: new Map() }, real: { state: Stock.initialState } }),
          cmds,
        );
      }),
      { numRuns: 200 },
    );
  });
});
