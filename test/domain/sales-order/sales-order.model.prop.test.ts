import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SalesOrder, type SalesOrderCommand, type SalesOrderState } from '../../../src/domain/sales-order/index.js';
import { DomainRuleError } from '../../../src/kernel/errors.js';
import { context, ORDER } from './sales-order-fixtures.js';
import { statusProblems, totalsInputOf, totalsProblems } from './sales-order-invariants.js';
import {
  type Action,
  emptyModel,
  formatCents,
  formatMilli,
  type Model,
  modelStatus,
  modelTotals,
  percentBilled,
  percentDelivered,
  step,
  TRANSACTION_DATE,
} from './sales-order-model.js';

/** The real system under test: the folded state and the context decide runs with. */
interface Real {
  state: SalesOrderState;
  readonly context: ReturnType<typeof context>;
}

/** Basis points as a percentage string: 1250 → `12.5`. */
const percentText = (basisPoints: bigint) => formatMilli(basisPoints * 10n);

/** The command the real decider gets for a model action. */
function toCommand(action: Action): SalesOrderCommand {
  const orderId = ORDER;
  switch (action.kind) {
    case 'create':
      return {
        type: 'CreateSalesOrder',
        data: { orderId, customerId: 'CUST-1', company: 'Acme', currency: 'USD', transactionDate: TRANSACTION_DATE },
      };
    case 'add-line':
      return {
        type: 'AddSalesOrderLine',
        data: {
          orderId,
          line: {
            lineId: action.id,
            itemCode: 'WIDGET',
            qty: formatMilli(action.qty),
            uom: 'Nos',
            rate: formatCents(action.rate),
            warehouse: 'Main',
            ...(action.date === null ? {} : { deliveryDate: action.date }),
          },
        },
      };
    case 'update-line':
      return {
        type: 'UpdateSalesOrderLine',
        data: {
          orderId,
          lineId: action.id,
          changes: {
            ...(action.qty === undefined ? {} : { qty: formatMilli(action.qty) }),
            ...(action.rate === undefined ? {} : { rate: formatCents(action.rate) }),
            ...(action.date === undefined ? {} : { deliveryDate: action.date }),
          },
        },
      };
    case 'remove-line':
      return { type: 'RemoveSalesOrderLine', data: { orderId, lineId: action.id } };
    case 'set-discount': {
      const { discount } = action;
      const applyOn = discount.onNet ? ('net_total' as const) : ('grand_total' as const);
      return {
        type: 'SetSalesOrderDiscount',
        data: {
          orderId,
          discount:
            discount.kind === 'percentage'
              ? { kind: 'percentage', percentage: percentText(discount.basisPoints), applyOn }
              : { kind: 'amount', amount: formatCents(discount.cents), applyOn },
        },
      };
    }
    case 'remove-discount':
      return { type: 'RemoveSalesOrderDiscount', data: { orderId } };
    case 'add-tax': {
      const { tax } = action;
      return {
        type: 'AddSalesOrderTax',
        data: {
          orderId,
          tax:
            tax.kind === 'percentage'
              ? { taxId: tax.id, kind: 'on_net_total', rate: percentText(tax.basisPoints) }
              : { taxId: tax.id, kind: 'actual', amount: formatCents(tax.cents) },
        },
      };
    }
    case 'remove-tax':
      return { type: 'RemoveSalesOrderTax', data: { orderId, taxId: action.id } };
    case 'set-delivery-date':
      return { type: 'SetSalesOrderDeliveryDate', data: { orderId, deliveryDate: action.date } };
    case 'submit':
      return { type: 'SubmitSalesOrder', data: { orderId } };
    case 'hold':
      return { type: 'HoldSalesOrder', data: { orderId } };
    case 'resume':
      return { type: 'ResumeSalesOrder', data: { orderId } };
    case 'close':
      return { type: 'CloseSalesOrder', data: { orderId } };
    case 'reopen':
      return { type: 'ReopenSalesOrder', data: { orderId } };
    case 'cancel':
      return { type: 'CancelSalesOrder', data: { orderId } };
    case 'deliver':
      return {
        type: 'RecordSalesOrderDelivery',
        data: { orderId, lines: [{ lineId: action.id, qty: formatMilli(action.qty) }] },
      };
    case 'bill':
      return {
        type: 'RecordSalesOrderBilling',
        data: { orderId, lines: [{ lineId: action.id, amount: formatCents(action.cents) }] },
      };
    case 'update-items-qty':
      return {
        type: 'UpdateSalesOrderItems',
        data: {
          orderId,
          update: [
            {
              lineId: action.id,
              ...(action.qty === undefined ? {} : { qty: formatMilli(action.qty) }),
              ...(action.rate === undefined ? {} : { rate: formatCents(action.rate) }),
              ...(action.date === undefined ? {} : { deliveryDate: action.date }),
            },
          ],
        },
      };
    case 'update-items-add':
      return {
        type: 'UpdateSalesOrderItems',
        data: {
          orderId,
          add: [
            {
              lineId: action.id,
              itemCode: 'GADGET',
              qty: formatMilli(action.qty),
              uom: 'Nos',
              rate: formatCents(action.rate),
              warehouse: 'Main',
              ...(action.date === undefined ? {} : { deliveryDate: action.date }),
            },
          ],
        },
      };
    case 'update-items-remove':
      return { type: 'UpdateSalesOrderItems', data: { orderId, remove: [action.id] } };
  }
}

/** Everything the model predicts about the state, side by side with what the real state says. */
function compare(model: Model, state: SalesOrderState) {
  if (!state.exists) return { model: { exists: model.exists }, real: { exists: false } };
  const totals = modelTotals(model);
  return {
    model: {
      exists: model.exists,
      status: modelStatus(model),
      perDelivered: percentDelivered(model),
      perBilled: percentBilled(model),
      deliveryDate: model.header,
      lines: model.lines.map((line, index) => ({
        lineId: line.id,
        qty: formatMilli(line.qty),
        rate: formatCents(line.rate),
        deliveryDate: line.date,
        deliveredQty: formatMilli(line.delivered),
        billedAmount: formatCents(line.billed),
        amount: formatCents(totals.amounts[index] ?? 0n),
        netAmount: formatCents(totals.nets[index] ?? 0n),
      })),
      total: formatCents(totals.total),
      netTotal: formatCents(totals.netTotal),
      grandTotal: formatCents(totals.grandTotal),
    },
    real: {
      exists: true,
      status: state.status,
      perDelivered: state.perDelivered,
      perBilled: state.perBilled,
      deliveryDate: state.deliveryDate,
      lines: state.lines.map((line) => ({
        lineId: line.lineId,
        qty: line.qty,
        rate: line.rate,
        deliveryDate: line.deliveryDate,
        deliveredQty: line.deliveredQty,
        billedAmount: line.billedAmount,
        amount: line.amount,
        netAmount: line.netAmount,
      })),
      total: state.totals.total,
      netTotal: state.totals.netTotal,
      grandTotal: state.totals.grandTotal,
    },
  };
}

/** One model action as a fast-check command: decide, compare with the model, apply both or neither. */
class Step implements fc.Command<Model, Real> {
  constructor(readonly action: Action) {}
  check(): boolean {
    // Invalid commands are part of the test: the model says which rule refuses them.
    return true;
  }
  run(model: Model, real: Real): void {
    const wasCancelled = model.phase === 'cancelled';
    const expectedRule = step(model, this.action);
    const before = JSON.stringify(real.state);
    let events: ReturnType<typeof SalesOrder.decide> | undefined;
    let refusal: unknown;
    try {
      events = SalesOrder.decide(toCommand(this.action), real.state, real.context);
    } catch (error) {
      refusal = error;
    }
    // A refused command appends nothing and leaves the state as it was (decide must not mutate it).
    expect(JSON.stringify(real.state)).toBe(before);
    if (expectedRule !== undefined) {
      expect(refusal, `expected ${expectedRule}`).toBeInstanceOf(DomainRuleError);
      expect((refusal as DomainRuleError).rule).toBe(expectedRule);
      if (wasCancelled) expect(['ORDER_CANCELLED', 'ORDER_ALREADY_EXISTS']).toContain(expectedRule);
      return;
    }
    if (refusal !== undefined) throw refusal;
    for (const event of events ?? []) real.state = SalesOrder.evolve(real.state, event);
    const { model: predicted, real: actual } = compare(model, real.state);
    expect(actual).toEqual(predicted);
    if (real.state.exists) {
      expect([
        ...totalsProblems(totalsInputOf(real.state), SalesOrder.totals.of(real.state)),
        ...statusProblems(real.state),
      ]).toEqual([]);
    }
  }
  toString(): string {
    return JSON.stringify(this.action, (_key, value) => (typeof value === 'bigint' ? `${value}n` : value));
  }
}

const lineId = fc.constantFrom('L1', 'L2', 'L3');
/** Mostly valid values, sometimes not: the rules get exercised and orders still get submitted and delivered. */
const mostly = <T>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: any, weight: 1 });
const qty = mostly(fc.constantFrom(250n, 1000n, 2000n, 3250n), fc.constantFrom(-1000n, 0n, 10_000n));
const rate = mostly(fc.constantFrom(99n, 125n, 1999n, 10_000n), fc.constantFrom(-300n, 0n));
const date = mostly(
  fc.constantFrom<string | null>(TRANSACTION_DATE, '2026-01-15', '2026-02-09'),
  fc.constantFrom(null, '2026-01-09'),
);
const laterDate = mostly(fc.constantFrom(TRANSACTION_DATE, '2026-03-01'), fc.constant('2026-01-09'));
const cents = mostly(fc.constantFrom(1n, 125n, 500n, 2000n), fc.constantFrom(-100n, 0n, 100_000n));

const weighted = (weight: number, action: fc.Arbitrary<Action>) => Array.from({ length: weight }, () => action);
const actions: fc.Arbitrary<Action>[] = [
  ...weighted(1, fc.constant({ kind: 'create' as const })),
  ...weighted(5, fc.record({ kind: fc.constant('add-line' as const), id: lineId, qty, rate, date })),
  ...weighted(
    1,
    fc.record(
      { kind: fc.constant('update-line' as const), id: lineId, qty, rate, date },
      { requiredKeys: ['kind', 'id'] },
    ),
  ),
  ...weighted(1, fc.record({ kind: fc.constant('remove-line' as const), id: lineId })),
  ...weighted(
    2,
    fc.record({
      kind: fc.constant('set-discount' as const),
      discount: fc.oneof(
        fc.record({
          kind: fc.constant('percentage' as const),
          basisPoints: fc.constantFrom(0n, 500n, 1250n, 10_000n),
          onNet: fc.boolean(),
        }),
        fc.record({
          kind: fc.constant('amount' as const),
          cents: fc.constantFrom(50n, 300n, 100_000n),
          onNet: fc.boolean(),
        }),
      ),
    }),
  ),
  ...weighted(1, fc.constant({ kind: 'remove-discount' as const })),
  ...weighted(
    2,
    fc.record({
      kind: fc.constant('add-tax' as const),
      tax: fc.oneof(
        fc.record({
          id: fc.constantFrom('T1', 'T2'),
          kind: fc.constant('percentage' as const),
          basisPoints: fc.constantFrom(0n, 770n, 2000n),
        }),
        fc.record({
          id: fc.constantFrom('T1', 'T2'),
          kind: fc.constant('actual' as const),
          cents: fc.constantFrom(1n, 499n),
        }),
      ),
    }),
  ),
  ...weighted(1, fc.record({ kind: fc.constant('remove-tax' as const), id: fc.constantFrom('T1', 'T2') })),
  ...weighted(1, fc.record({ kind: fc.constant('set-delivery-date' as const), date })),
  ...weighted(4, fc.constant({ kind: 'submit' as const })),
  ...weighted(
    2,
    fc.constantFrom(...(['hold', 'resume', 'close', 'reopen', 'cancel'] as const).map((kind) => ({ kind }))),
  ),
  ...weighted(5, fc.record({ kind: fc.constant('deliver' as const), id: lineId, qty })),
  ...weighted(5, fc.record({ kind: fc.constant('bill' as const), id: lineId, cents })),
  ...weighted(
    2,
    fc.record(
      { kind: fc.constant('update-items-qty' as const), id: lineId, qty, rate, date: laterDate },
      { requiredKeys: ['kind', 'id'] },
    ),
  ),
  ...weighted(
    1,
    fc.record(
      { kind: fc.constant('update-items-add' as const), id: fc.constantFrom('L3', 'L4'), qty, rate, date: laterDate },
      { requiredKeys: ['kind', 'id', 'qty', 'rate'] },
    ),
  ),
  ...weighted(1, fc.record({ kind: fc.constant('update-items-remove' as const), id: lineId })),
];

/** Most runs start with an order, so that few commands are spent on `ORDER_NOT_FOUND`. */
const program = fc
  .tuple(
    fc.constantFrom(true, true, true, false),
    fc.commands(
      actions.map((action) => action.map((value) => new Step(value))),
      { maxCommands: 60, size: 'large' },
    ),
  )
  .map(([created, steps]) => ({ created, steps }));

describe('SalesOrder against an independent model', () => {
  it('agrees with the model on every acceptance, refusal rule, line, total, percentage and status', () => {
    fc.assert(
      fc.property(program, ({ created, steps }) => {
        const setup = () => {
          const model = emptyModel();
          const real: Real = { state: SalesOrder.initialState, context: context() };
          if (created) {
            step(model, { kind: 'create' });
            for (const event of SalesOrder.decide(toCommand({ kind: 'create' }), real.state, real.context)) {
              real.state = SalesOrder.evolve(real.state, event);
            }
          }
          return { model, real };
        };
        fc.modelRun(setup, steps);
      }),
      { numRuns: 120, seed: 42 },
    );
  });
});
