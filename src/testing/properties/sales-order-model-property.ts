import fc from 'fast-check';
import {
  SALES_ORDER_ROUNDING_METHODS,
  SalesOrder,
  type SalesOrderCommand,
  type SalesOrderContext,
  type SalesOrderLineInput,
  type SalesOrderSettings,
  type SalesOrderState,
} from '../../domain/sales-order/index.js';
import { describeError, fail, firstDifference, ruleOf, show } from './property-checks.js';
import { statusProblems, totalsInputOf, totalsProblems } from './sales-order-invariants.js';
import {
  type Action,
  emptyModel,
  formatMicro,
  formatMilli,
  formatMoney,
  formatScaled,
  HUNDRED_MICRO,
  type Model,
  type ModelConfig,
  type ModelPrice,
  type ModelPriceChange,
  minorUnitOf,
  modelStatus,
  modelTotals,
  modelUnbilled,
  parseScaled,
  percentBilled,
  percentDelivered,
  step,
  TRANSACTION_DATE,
} from './sales-order-model.js';
import {
  checkedPropertyOptions,
  type SalesOrderDecider,
  type SalesOrderPropertyOptions,
  testContext,
} from './sales-order-property-options.js';

/** Options of {@link salesOrderModelProperty}. */
export interface SalesOrderModelPropertyOptions extends SalesOrderPropertyOptions {
  /**
   * Most commands a run tries after its start (valid and invalid ones).
   * @defaultValue `60`
   */
  readonly maxCommands?: number;
}

/** How a run of {@link salesOrderModelProperty} starts: no order, a draft, or a submitted order of two lines. */
export type SalesOrderModelStart = 'nothing' | 'draft' | 'submitted';

/** One run of {@link salesOrderModelProperty}, as fast-check reports a counterexample. */
export interface SalesOrderModelRun {
  /** The order's currency. */
  readonly currency: string;
  /** The settings every command of the run is decided with. */
  readonly settings: SalesOrderSettings;
  /** How the run starts. */
  readonly start: SalesOrderModelStart;
  /** The commands tried in turn, as fast-check model commands; each prints as the model action it stands for. */
  readonly steps: Iterable<fc.Command<object, object>>;
}

/** The order every run works on. */
const ORDER = 'SO-1';

/** The real system under test: the decider, the folded state and the context decide runs with. */
interface Real {
  readonly decider: SalesOrderDecider;
  state: SalesOrderState;
  readonly context: SalesOrderContext;
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
    overDeliveryAllowance: formatMicro(config.overDelivery),
    overBillingAllowance: formatMicro(config.overBilling),
  };
}

/** An allowance (percent, a decimal string) in millionths of a percent; throws when the model cannot read it. */
function allowanceOf(text: string, name: string): bigint {
  return (
    parseScaled(text, 6) ??
    fail(`salesOrderModelProperty: ${name} '${text}' must be a plain decimal with at most 6 decimals`)
  );
}

/** A smallest fraction of `currency` in its minor units; throws when it is not a whole number of them. */
function fractionOf(text: string, currency: string, minor: number): bigint {
  const units = parseScaled(text, minor);
  if (units === undefined || units === 0n) {
    return fail(
      `salesOrderModelProperty: smallestCurrencyFraction.${currency} '${text}' must be a whole number of ` +
        `${currency}'s minor units (${minor} decimals)`,
    );
  }
  return units;
}

/** The model configuration for a currency and settings (the inverse of {@link settingsOf}). */
function configOf(currency: string, settings: SalesOrderSettings): ModelConfig {
  const minor = minorUnitOf(currency);
  const fraction = settings.smallestCurrencyFraction?.[currency];
  return {
    currency,
    minor,
    method: settings.roundingMethod ?? 'half-even',
    roundedTotal: settings.roundedTotal ?? false,
    fraction: fraction === undefined ? null : fractionOf(fraction, currency, minor),
    overDelivery: allowanceOf(settings.overDeliveryAllowance ?? '0', 'overDeliveryAllowance'),
    overBilling: allowanceOf(settings.overBillingAllowance ?? '0', 'overBillingAllowance'),
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

const isToLimit = (action: Action | ToLimit): action is ToLimit =>
  action.kind === 'deliver-to-limit' || action.kind === 'bill-to-limit';

/** The concrete action a {@link ToLimit} stands for in the model's current state; any other action as it is. */
function resolve(action: Action | ToLimit, model: Model): Action {
  if (!isToLimit(action)) return action;
  const extra = action.past ? 1n : 0n;
  const index = model.lines.findIndex((line) => line.id === action.id);
  const line = model.lines[index];
  if (action.kind === 'deliver-to-limit') {
    if (line === undefined) return { kind: 'deliver', id: action.id, qty: 1000n };
    const limit = (line.qty * (HUNDRED_MICRO + model.config.overDelivery)) / HUNDRED_MICRO;
    return { kind: 'deliver', id: action.id, qty: limit - line.delivered + extra };
  }
  if (line === undefined) return { kind: 'bill', id: action.id, cents: 1n };
  const amount = modelTotals(model).amounts[index] ?? 0n;
  const magnitude = amount < 0n ? -amount : amount;
  const billed = line.billed < 0n ? -line.billed : line.billed;
  const room = (magnitude * (HUNDRED_MICRO + model.config.overBilling)) / HUNDRED_MICRO - billed + extra;
  return { kind: 'bill', id: action.id, cents: amount < 0n ? -room : room };
}

/**
 * Throws unless the state is the model's — every line, total, percentage, status and unbilled amount — and keeps the
 * order's invariants (totals identities, lines summing to the net total, status agreeing with the percentages).
 */
function checkAgainstModel(model: Model, state: SalesOrderState, after: string): void {
  const { model: predicted, real: actual } = compare(model, state);
  const difference = firstDifference(predicted, actual);
  if (difference !== undefined) {
    fail(`after ${after}, the order disagrees with the model ${difference} (the model's order: ${show(predicted)})`);
  }
  if (state.exists) {
    const problems = [...totalsProblems(totalsInputOf(state), SalesOrder.totals.of(state)), ...statusProblems(state)];
    if (problems.length > 0) fail(`after ${after}, the order breaks its invariants: ${problems.join('; ')}`);
  }
}

/** The rules an order refuses every command with once it is cancelled. */
const AFTER_CANCEL: readonly string[] = ['ORDER_CANCELLED', 'ORDER_ALREADY_EXISTS'];

/** A command as it reads in a message: its type and data. */
const describeCommand = (command: SalesOrderCommand) => `${command.type} ${show(command.data)}`;

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
    const command = toCommand(action, model.config);
    const before = JSON.stringify(real.state);
    let events: ReturnType<SalesOrderDecider['decide']> | undefined;
    let refusal: unknown;
    try {
      events = real.decider.decide(command, real.state, real.context);
    } catch (error) {
      refusal = error;
    }
    const what = describeCommand(command);
    // A refused command appends nothing and leaves the state as it was (decide must not mutate it).
    if (JSON.stringify(real.state) !== before) fail(`decide changed the state it was given, deciding ${what}`);
    if (expectedRule !== undefined) {
      if (wasCancelled && !AFTER_CANCEL.includes(expectedRule)) {
        fail(`the model refuses ${what} after cancel with ${expectedRule}, not ${AFTER_CANCEL.join(' or ')}`);
      }
      if (refusal === undefined) {
        const appended = (events ?? []).map((event) => event.type).join(', ') || 'no events';
        fail(
          `${what} was accepted${wasCancelled ? ' after the order was cancelled' : ''} (${appended}), ` +
            `but must be refused with ${expectedRule}`,
        );
      }
      const rule = ruleOf(refusal);
      if (rule !== expectedRule) {
        fail(`${what} was refused with ${describeError(refusal)}, but must be refused with ${expectedRule}`, refusal);
      }
      return;
    }
    if (refusal !== undefined) {
      fail(`${what} was refused with ${describeError(refusal)}, but must be accepted`, refusal);
    }
    for (const event of events ?? []) real.state = real.decider.evolve(real.state, event);
    checkAgainstModel(model, real.state, what);
  }
  toString(): string {
    return show(this.planned);
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

/** The currencies a run draws from by default: minor units 2, 0, 3, 4 and 2. */
const DEFAULT_CURRENCIES = ['USD', 'JPY', 'KWD', 'CLF', 'CHF'] as const;
/** Smallest fractions of the rounded total, in minor units: USD 0.05, 0.25, 1; JPY 5, 10; KWD 0.005, 0.05... */
const SMALLEST_FRACTIONS: Readonly<Record<string, readonly bigint[]>> = {
  USD: [5n, 25n, 100n],
  JPY: [5n, 10n],
  KWD: [5n, 50n],
  CLF: [5n, 100n],
  CHF: [5n, 10n],
};
/** Any other currency: five or ten minor units. */
const OTHER_FRACTIONS: readonly bigint[] = [5n, 10n];

/** The model configuration of a run: the settings given in `options`, the others drawn. */
function configArb(options: SalesOrderPropertyOptions, currencies: readonly string[]): fc.Arbitrary<ModelConfig> {
  const given = <T>(value: T | undefined, drawn: fc.Arbitrary<T>) => (value === undefined ? drawn : fc.constant(value));
  // Allowances in millionths of a percent: 12.5 %, 50 %; 5 %, 33.3 %, 100 %.
  const overDelivery =
    options.overDeliveryAllowance === undefined
      ? fc.constantFrom(0n, 0n, 12_500_000n, 50_000_000n)
      : fc.constant(allowanceOf(options.overDeliveryAllowance, 'overDeliveryAllowance'));
  const overBilling =
    options.overBillingAllowance === undefined
      ? fc.constantFrom(0n, 0n, 5_000_000n, 33_300_000n, 100_000_000n)
      : fc.constant(allowanceOf(options.overBillingAllowance, 'overBillingAllowance'));
  const fixed = options.smallestCurrencyFraction;
  // The fractions given, in minor units, checked now rather than when a run draws the currency.
  const fixedFractions = new Map(
    currencies.map((currency) => {
      const text = fixed?.[currency];
      return [currency, text === undefined ? null : fractionOf(text, currency, minorUnitOf(currency))] as const;
    }),
  );
  return fc.constantFrom(...currencies).chain((currency) => {
    const minor = minorUnitOf(currency);
    const fraction =
      fixed === undefined
        ? fc.option(fc.constantFrom(...(SMALLEST_FRACTIONS[currency] ?? OTHER_FRACTIONS)), { nil: null })
        : fc.constant(fixedFractions.get(currency) ?? null);
    return fc.record({
      currency: fc.constant(currency),
      minor: fc.constant(minor),
      method: given(options.roundingMethod, fc.constantFrom(...SALES_ORDER_ROUNDING_METHODS)),
      roundedTotal: given(options.roundedTotal, fc.boolean()),
      fraction,
      overDelivery,
      overBilling,
    });
  });
}

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
} as const satisfies Record<SalesOrderModelStart, readonly Action[]>;

/**
 * A model-based property of the sales order: random sequences of commands — valid and invalid, before and after
 * submit — are decided one by one and checked against a small independent model of the order (integer arithmetic,
 * its own rounding and its own statement of every rule; it shares no code with the aggregate).
 *
 * Each command must be accepted or refused exactly as the model says, with the model's rule code. After each
 * accepted command, every line (quantity, rates, discount, delivery date, delivered quantity, billed amount, amount,
 * net amount after the order discount is distributed), every total (total, net, grand, rounded total and adjustment),
 * the percentages delivered and billed, the status and the unbilled amount must be the model's, and the order's
 * invariants must hold (totals identities, the lines sum to the net total, the status agrees with the percentages). A
 * refused command must append nothing and leave the state as it was; after cancel, every command is refused. Deliveries
 * and billings are also sized to land exactly on the over-delivery and over-billing allowances, or one unit past them.
 *
 * Each run draws a currency, how it starts (no order, a draft, a submitted order) and up to `maxCommands` commands;
 * the settings are those of `options`, the ones left out drawn for each run.
 *
 * A violation throws an `Error` whose message names the command and what differs, so `fc.assert` reports it with the
 * shrunk counterexample, its seed and path; it needs fast-check only, no test runner.
 *
 * @param options - the decider under test, the currencies and settings, the number of commands per run
 * @returns a fast-check property, for `fc.assert(property, { numRuns, seed })` or `fc.check`
 * @throws `ValidationError` when a setting given in `options` is invalid, and `Error` when the model cannot express it
 * (an allowance with more than 6 decimals, a smallest fraction that is not a whole number of minor units, no currency)
 *
 * @example
 * ```ts
 * import fc from 'fast-check';
 * import { SalesOrder } from 'ordo';
 * import { salesOrderModelProperty } from 'ordo/testing';
 *
 * const settings = SalesOrder.resolveSettings({ roundingMethod: 'commercial', overDeliveryAllowance: '10' });
 * fc.assert(salesOrderModelProperty({ ...settings, currencies: ['EUR'] }), { numRuns: 100, seed: 42 });
 * ```
 */
export function salesOrderModelProperty(
  options: SalesOrderModelPropertyOptions = {},
): fc.IProperty<[SalesOrderModelRun]> {
  const { decider, currencies } = checkedPropertyOptions(options, DEFAULT_CURRENCIES, 'salesOrderModelProperty');
  const maxCommands = options.maxCommands ?? 60;
  const program: fc.Arbitrary<SalesOrderModelRun> = fc
    .tuple(
      configArb(options, currencies),
      fc.constantFrom<SalesOrderModelStart>('nothing', 'draft', 'draft', 'submitted', 'submitted'),
      fc.commands(
        actions.map((action) => action.map((value) => new Step(value))),
        { maxCommands, size: 'large' },
      ),
    )
    .map(([config, start, steps]) => ({ currency: config.currency, settings: settingsOf(config), start, steps }));
  return fc.property(program, ({ currency, settings, start, steps }) => {
    const config = configOf(currency, settings);
    const setup = () => {
      const model = emptyModel(config);
      const real: Real = { decider, state: decider.initialState, context: testContext(settings) };
      for (const action of STARTS[start]) {
        const command = toCommand(action, config);
        const rule = step(model, action);
        if (rule !== undefined) fail(`the model refuses the start of the run (${describeCommand(command)}): ${rule}`);
        let events: ReturnType<SalesOrderDecider['decide']>;
        try {
          events = decider.decide(command, real.state, real.context);
        } catch (error) {
          return fail(`the start of the run was refused: ${describeCommand(command)}: ${describeError(error)}`, error);
        }
        for (const event of events) real.state = decider.evolve(real.state, event);
      }
      checkAgainstModel(model, real.state, `the start of the run (${start})`);
      return { model, real };
    };
    fc.modelRun(setup, steps as Iterable<fc.Command<Model, Real>>);
  });
}
