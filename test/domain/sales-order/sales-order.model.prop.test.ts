import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SALES_ORDER_ROUNDING_METHODS,
  SalesOrder,
  type SalesOrderCommand,
  type SalesOrderLineInput,
  type SalesOrderSettings,
  type SalesOrderState,
} from '../../../src/domain/sales-order/index.js';
import { DomainRuleError } from '../../../src/kernel/errors.js';
import { context, ORDER } from './sales-order-fixtures.js';
import { statusProblems, totalsInputOf, totalsProblems } from './sales-order-invariants.js';
import {
  type Action,
  emptyModel,
  formatMilli,
  formatMoney,
  formatScaled,
  type Model,
  type ModelConfig,
  type ModelPrice,
  type ModelPriceChange,
  modelStatus,
  modelTotals,
  modelUnbilled,
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

/** The settings the real decider runs with for a model configuration. */
function settingsOf(config: ModelConfig): SalesOrderSettings {
  return {
    roundingMethod: config.method,
    roundedTotal: config.roundedTotal,
    ...(config.fraction === null
      ? {}
      : { smallestCurrencyFraction: { [config.currency]: formatMoney(config.fraction, config) } }),
    overDeliveryAllowance: percentText(config.overDelivery),
    overBillingAllowance: percentText(config.overBilling),
  };
}

/** The price fields of a line input or change: rates in tenths of a minor unit, one decimal more than the currency. */
function priceFields(price: ModelPrice | ModelPriceChange, config: ModelConfig) {
  const rate = (tenths: bigint) => formatScaled(tenths, config.minor + 1);
  return {
    ...('rate' in price && price.rate !== undefined ? { rate: rate(price.rate) } : {}),
    ...(price.priceListRate === undefined ? {} : { priceListRate: rate(price.priceListRate) }),
    ...('discount' in price && price.discount !== undefined ? { discountPercentage: percentText(price.discount) } : {}),
  };
}

/** A new line as a command gives it. */
function lineInput(
  id: string,
  itemCode: string,
  qty: bigint,
  price: ModelPrice,
  date: string | null | undefined,
  config: ModelConfig,
): SalesOrderLineInput {
  return {
    lineId: id,
    itemCode,
    qty: formatMilli(qty),
    uom: 'Nos',
    ...priceFields(price, config),
    warehouse: 'Main',
    ...(date == null ? {} : { deliveryDate: date }),
  };
}

/** The command the real decider gets for a model action. */
function toCommand(action: Action, config: ModelConfig): SalesOrderCommand {
  const orderId = ORDER;
  const formatCents = (units: bigint) => formatMoney(units, config);
  switch (action.kind) {
    case 'create':
      return {
        type: 'CreateSalesOrder',
        data: {
          orderId,
          customerId: 'CUST-1',
          company: 'Acme',
          currency: config.currency,
          transactionDate: TRANSACTION_DATE,
        },
      };
    case 'add-line':
      return {
        type: 'AddSalesOrderLine',
        data: { orderId, line: lineInput(action.id, 'WIDGET', action.qty, action.price, action.date, config) },
      };
    case 'update-line':
      return {
        type: 'UpdateSalesOrderLine',
        data: {
          orderId,
          lineId: action.id,
          changes: {
            ...(action.qty === undefined ? {} : { qty: formatMilli(action.qty) }),
            ...(action.price === undefined ? {} : priceFields(action.price, config)),
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
              ...(action.rate === undefined ? {} : { rate: formatScaled(action.rate, config.minor + 1) }),
              ...(action.date === undefined ? {} : { deliveryDate: action.date }),
            },
          ],
        },
      };
    case 'update-items-add':
      return {
        type: 'UpdateSalesOrderItems',
        data: { orderId, add: [lineInput(action.id, 'GADGET', action.qty, action.price, action.date, config)] },
      };
    case 'update-items-remove':
      return { type: 'UpdateSalesOrderItems', data: { orderId, remove: [action.id] } };
  }
}

/** Everything the model predicts about the state, side by side with what the real state says. */
function compare(model: Model, state: SalesOrderState) {
  if (!state.exists) return { model: { exists: model.exists }, real: { exists: false } };
  const totals = modelTotals(model);
  const money = (units: bigint) => formatMoney(units, model.config);
  return {
    model: {
      exists: model.exists,
      currency: model.config.currency,
      status: modelStatus(model),
      perDelivered: percentDelivered(model),
      perBilled: percentBilled(model),
      deliveryDate: model.header,
      lines: model.lines.map((line, index) => ({
        lineId: line.id,
        qty: formatMilli(line.qty),
        priceListRate: money(line.priceListRate),
        discountPercentage: percentText(line.discount),
        rate: money(line.rate),
        deliveryDate: line.date,
        deliveredQty: formatMilli(line.delivered),
        billedAmount: money(line.billed),
        amount: money(totals.amounts[index] ?? 0n),
        netAmount: money(totals.nets[index] ?? 0n),
      })),
      total: money(totals.total),
      netTotal: money(totals.netTotal),
      grandTotal: money(totals.grandTotal),
      roundedTotal: totals.roundedTotal === null ? null : money(totals.roundedTotal),
      roundingAdjustment: totals.roundedTotal === null ? null : money(totals.roundedTotal - totals.grandTotal),
      unbilledAmount: money(modelUnbilled(model)),
    },
    real: {
      exists: true,
      currency: state.currency,
      status: state.status,
      perDelivered: state.perDelivered,
      perBilled: state.perBilled,
      deliveryDate: state.deliveryDate,
      lines: state.lines.map((line) => ({
        lineId: line.lineId,
        qty: line.qty,
        priceListRate: line.priceListRate,
        discountPercentage: line.discountPercentage,
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
      roundedTotal: state.totals.roundedTotal,
      roundingAdjustment: state.totals.roundingAdjustment,
      unbilledAmount: state.unbilledAmount,
    },
  };
}

/**
 * A delivery or billing sized when it runs, from the model: exactly up to what the line allows (its quantity or amount
 * plus the allowance), or one smallest unit past it, so the allowance limits get hit on the dot.
 */
interface ToLimit {
  readonly kind: 'deliver-to-limit' | 'bill-to-limit';
  readonly id: string;
  readonly past: boolean;
}

/** The concrete action a {@link ToLimit} stands for in the model's current state; any other action as it is. */
const isToLimit = (action: Action | ToLimit): action is ToLimit =>
  action.kind === 'deliver-to-limit' || action.kind === 'bill-to-limit';

function resolve(action: Action | ToLimit, model: Model): Action {
  if (!isToLimit(action)) return action;
  const extra = action.past ? 1n : 0n;
  const index = model.lines.findIndex((line) => line.id === action.id);
  const line = model.lines[index];
  if (action.kind === 'deliver-to-limit') {
    if (line === undefined) return { kind: 'deliver', id: action.id, qty: 1000n };
    const limit = (line.qty * (10_000n + model.config.overDelivery)) / 10_000n;
    return { kind: 'deliver', id: action.id, qty: limit - line.delivered + extra };
  }
  if (line === undefined) return { kind: 'bill', id: action.id, cents: 1n };
  const amount = modelTotals(model).amounts[index] ?? 0n;
  const magnitude = amount < 0n ? -amount : amount;
  const billed = line.billed < 0n ? -line.billed : line.billed;
  const room = (magnitude * (10_000n + model.config.overBilling)) / 10_000n - billed + extra;
  return { kind: 'bill', id: action.id, cents: amount < 0n ? -room : room };
}

/** One model action as a fast-check command: decide, compare with the model, apply both or neither. */
class Step implements fc.Command<Model, Real> {
  constructor(readonly planned: Action | ToLimit) {}
  check(): boolean {
    // Invalid commands are part of the test: the model says which rule refuses them.
    return true;
  }
  run(model: Model, real: Real): void {
    const wasCancelled = model.phase === 'cancelled';
    const action = resolve(this.planned, model);
    const expectedRule = step(model, action);
    const before = JSON.stringify(real.state);
    let events: ReturnType<typeof SalesOrder.decide> | undefined;
    let refusal: unknown;
    try {
      events = SalesOrder.decide(toCommand(action, model.config), real.state, real.context);
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
    return JSON.stringify(this.planned, (_key, value) => (typeof value === 'bigint' ? `${value}n` : value));
  }
}

const lineId = fc.constantFrom('L1', 'L2', 'L3');
/** Mostly valid values, sometimes not: the rules get exercised and orders still get submitted and delivered. */
const mostly = <T>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: any, weight: 1 });
const qty = mostly(fc.constantFrom(250n, 500n, 1000n, 2000n, 3250n), fc.constantFrom(-1000n, 0n, 10_000n));
/** In tenths of a minor unit: rates with one decimal too many, ties (…5) included, get rounded to the currency. */
const rate = mostly(
  fc.constantFrom(990n, 995n, 1250n, 3355n, 12_345n, 19_990n, 100_000n),
  fc.constantFrom(-3000n, -5n, 0n, 5n),
);
/** A line discount in basis points of a percent: 12.5 %, 33.33 %, 100 %... */
const lineDiscount = fc.constantFrom(0n, 1250n, 3333n, 5000n, 10_000n);
/** A rate (with or without the price-list rate it was set against), or a price-list rate less a discount. */
const price: fc.Arbitrary<ModelPrice> = fc.oneof(
  { arbitrary: fc.record({ rate }), weight: 2 },
  { arbitrary: fc.record({ rate, priceListRate: rate }), weight: 1 },
  {
    arbitrary: fc.record({ priceListRate: rate, discount: lineDiscount }, { requiredKeys: ['priceListRate'] }),
    weight: 3,
  },
);
/** A new rate wins over the price list; otherwise a new price-list rate and/or discount re-derive it. */
const priceChange: fc.Arbitrary<ModelPriceChange> = fc.oneof(
  fc.record({ rate }),
  fc.record({ rate, priceListRate: rate }),
  fc.record({ priceListRate: rate, discount: lineDiscount }, { requiredKeys: [] }),
);
const date = mostly(
  fc.constantFrom<string | null>(TRANSACTION_DATE, '2026-01-15', '2026-02-09'),
  fc.constantFrom(null, '2026-01-09'),
);
const laterDate = mostly(fc.constantFrom(TRANSACTION_DATE, '2026-03-01'), fc.constant('2026-01-09'));
const cents = mostly(fc.constantFrom(1n, 125n, 500n, 2000n), fc.constantFrom(-100n, 0n, 100_000n));

const weighted = (weight: number, action: fc.Arbitrary<Action | ToLimit>) =>
  Array.from({ length: weight }, () => action);
const actions: fc.Arbitrary<Action | ToLimit>[] = [
  ...weighted(1, fc.constant({ kind: 'create' as const })),
  ...weighted(5, fc.record({ kind: fc.constant('add-line' as const), id: lineId, qty, price, date })),
  ...weighted(
    2,
    fc.record(
      { kind: fc.constant('update-line' as const), id: lineId, qty, price: priceChange, date },
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
    fc.record({
      kind: fc.constantFrom('deliver-to-limit' as const, 'bill-to-limit' as const),
      id: lineId,
      past: fc.boolean(),
    }),
  ),
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
      { kind: fc.constant('update-items-add' as const), id: fc.constantFrom('L3', 'L4'), qty, price, date: laterDate },
      { requiredKeys: ['kind', 'id', 'qty', 'price'] },
    ),
  ),
  ...weighted(1, fc.record({ kind: fc.constant('update-items-remove' as const), id: lineId })),
];

/** The model's own table of minor units (it shares no code with the money module). */
const MINOR_UNITS: Readonly<Record<string, number>> = { USD: 2, JPY: 0, KWD: 3, CLF: 4, CHF: 2 };
/** Smallest fractions of the rounded total, in minor units: USD 0.05, 0.25, 1; JPY 5, 10; KWD 0.005, 0.05... */
const SMALLEST_FRACTIONS: Readonly<Record<string, readonly bigint[]>> = {
  USD: [5n, 25n, 100n],
  JPY: [5n, 10n],
  KWD: [5n, 50n],
  CLF: [5n, 100n],
  CHF: [5n, 10n],
};

/** A currency and the settings the order is decided under: rounding method, rounded total, allowances. */
const config: fc.Arbitrary<ModelConfig> = fc.constantFrom(...Object.keys(MINOR_UNITS)).chain((currency) =>
  fc.record({
    currency: fc.constant(currency),
    minor: fc.constant(MINOR_UNITS[currency] ?? 2),
    method: fc.constantFrom(...SALES_ORDER_ROUNDING_METHODS),
    roundedTotal: fc.boolean(),
    fraction: fc.option(fc.constantFrom(...(SMALLEST_FRACTIONS[currency] ?? [])), { nil: null }),
    overDelivery: fc.constantFrom(0n, 0n, 1250n, 5000n),
    overBilling: fc.constantFrom(0n, 0n, 500n, 3330n, 10_000n),
  }),
);

/**
 * How a run starts: with nothing, with a draft, or with a submitted order of two lines (one at a rate with a tie to
 * round, one at a price-list rate less 12.5 %), so that runs also spend their commands after submit.
 */
const STARTS = {
  nothing: [],
  draft: [{ kind: 'create' }],
  submitted: [
    { kind: 'create' },
    { kind: 'add-line', id: 'L1', qty: 2000n, price: { rate: 19_995n }, date: TRANSACTION_DATE },
    { kind: 'add-line', id: 'L2', qty: 1000n, price: { priceListRate: 12_345n, discount: 1250n }, date: '2026-01-15' },
    { kind: 'submit' },
  ],
} as const satisfies Record<string, readonly Action[]>;

const program = fc
  .tuple(
    config,
    fc.constantFrom<keyof typeof STARTS>('nothing', 'draft', 'draft', 'submitted', 'submitted'),
    fc.commands(
      actions.map((action) => action.map((value) => new Step(value))),
      { maxCommands: 60, size: 'large' },
    ),
  )
  .map(([settings, start, steps]) => ({ config: settings, start, steps }));

describe('SalesOrder against an independent model', () => {
  it('agrees with the model on every acceptance, refusal rule, line, total, percentage and status', () => {
    fc.assert(
      fc.property(program, ({ config: chosen, start, steps }) => {
        const setup = () => {
          const model = emptyModel(chosen);
          const real: Real = { state: SalesOrder.initialState, context: context(settingsOf(chosen)) };
          for (const action of STARTS[start]) {
            expect(step(model, action)).toBeUndefined();
            for (const event of SalesOrder.decide(toCommand(action, chosen), real.state, real.context)) {
              real.state = SalesOrder.evolve(real.state, event);
            }
          }
          return { model, real };
        };
        fc.modelRun(setup, steps);
      }),
      // A fixed seed keeps runs reproducible; on failure fast-check prints the seed, the path and the shrunk commands.
      { numRuns: 150, seed: 42 },
    );
  });
});
