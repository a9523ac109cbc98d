import fc from 'fast-check';
import { Money, Quantity } from '../../domain/money/index.js';
import type {
  SalesOrderCommand,
  SalesOrderLineInput,
  SalesOrderRoundingMethod,
  SalesOrderRule,
} from '../../domain/sales-order/index.js';
import { roundMoney } from '../../domain/sales-order/sales-order-rounding.js';

/** Options shared by the sales order arbitraries. */
export interface SalesOrderArbOptions {
  /**
   * The id of the generated order.
   * @defaultValue `'SO-1'`
   */
  readonly orderId?: string;
  /**
   * The currencies an order may be in (one per order).
   * @defaultValue `['USD', 'EUR', 'JPY', 'KWD']` — minor units 2, 2, 0 and 3
   */
  readonly currencies?: readonly string[];
  /**
   * Most lines an order starts with.
   * @defaultValue `4`
   */
  readonly maxLines?: number;
  /**
   * The transaction date of every generated order (`YYYY-MM-DD`).
   * @defaultValue `'2026-01-10'`
   */
  readonly transactionDate?: string;
  /**
   * For {@link salesOrderCommandsArb}: the `settings.roundingMethod` the commands will be decided with. Derived rates
   * and line amounts are predicted with it, so that generated billings stay within the line amounts.
   * @defaultValue `'half-even'`
   */
  readonly roundingMethod?: SalesOrderRoundingMethod;
  /**
   * For {@link salesOrderCommandsArb}: the `settings.overDeliveryAllowance` (percent) the commands will be decided
   * with. Generated deliveries may go beyond the ordered quantity, up to the allowance.
   * @defaultValue `'0'`
   */
  readonly overDeliveryAllowance?: string;
  /**
   * For {@link salesOrderCommandsArb}: the `settings.overBillingAllowance` (percent) the commands will be decided
   * with. Generated billings may go beyond the line amount, up to the allowance.
   * @defaultValue `'0'`
   */
  readonly overBillingAllowance?: string;
}

/** Options of {@link salesOrderLineInputArb}. */
export interface SalesOrderLineArbOptions {
  /**
   * The order's currency: rates are generated at its minor unit.
   * @defaultValue `'USD'`
   */
  readonly currency?: string;
  /**
   * The line id; generated as `L` + a number when absent.
   * @defaultValue a random `L1`...`L99`
   */
  readonly lineId?: string;
  /**
   * The date delivery dates are generated from (never before it).
   * @defaultValue `'2026-01-10'`
   */
  readonly transactionDate?: string;
  /**
   * Whether a line may come without a delivery date of its own.
   * @defaultValue `true`
   */
  readonly allowMissingDate?: boolean;
}

const DEFAULT_CURRENCIES = ['USD', 'EUR', 'JPY', 'KWD'] as const;
const DEFAULT_DATE = '2026-01-10';

/** `date` moved by `days` (negative: earlier), as `YYYY-MM-DD`. */
function shiftDate(date: string, days: number): string {
  const instant = new Date(`${date}T00:00:00.000Z`);
  instant.setUTCDate(instant.getUTCDate() + days);
  return instant.toISOString().slice(0, 10);
}

/** `units` of the currency's smallest unit as a decimal amount: 1234 USD cents → `"12.34"`. */
function minorUnits(units: number, currency: string): string {
  const probe = Money.zero(currency);
  return Money.of(units, currency).divide(10 ** probe.minorUnit).amount;
}

/** `milli` thousandths as a decimal quantity: 2500 → `"2.5"`. */
function thousandths(milli: number): string {
  return Quantity.of(milli).divide(1000).value;
}

interface LineSeed {
  readonly itemCode: string;
  readonly qtyMilli: number;
  readonly uom: string;
  readonly rateUnits: number;
  readonly discountBasisPoints: number | null;
  readonly dateOffset: number | null;
  readonly warehouse: string;
}

function lineSeedArb(minRateUnits: number, minQtyMilli: number): fc.Arbitrary<LineSeed> {
  return fc.record({
    itemCode: fc.constantFrom('WIDGET', 'GADGET', 'BOLT', 'NUT'),
    qtyMilli: fc.oneof(
      fc.integer({ min: 1, max: 50 }).map((whole) => Math.max(whole * 1000, minQtyMilli)),
      fc.integer({ min: minQtyMilli, max: 100_000 }),
    ),
    uom: fc.constantFrom('Nos', 'Kg', 'Box'),
    rateUnits: fc.integer({ min: minRateUnits, max: 500_000 }),
    // A price-list rate with a discount percentage (two decimals), or a rate given directly.
    discountBasisPoints: fc.option(fc.integer({ min: 0, max: 10_000 }), { nil: null }),
    dateOffset: fc.option(fc.integer({ min: 0, max: 60 }), { nil: null }),
    warehouse: fc.constantFrom('Main', 'East'),
  });
}

function lineInput(seed: LineSeed, lineId: string, currency: string, transactionDate: string): SalesOrderLineInput {
  const price = minorUnits(seed.rateUnits, currency);
  return {
    lineId,
    itemCode: seed.itemCode,
    qty: thousandths(seed.qtyMilli),
    uom: seed.uom,
    ...(seed.discountBasisPoints === null
      ? { rate: price }
      : { priceListRate: price, discountPercentage: Quantity.of(seed.discountBasisPoints).divide(100).value }),
    ...(seed.dateOffset === null ? {} : { deliveryDate: shiftDate(transactionDate, seed.dateOffset) }),
    warehouse: seed.warehouse,
  };
}

/**
 * A valid new line (`AddSalesOrderLine`'s `line`): a positive quantity with up to three decimals, a non-negative rate
 * at the currency's minor unit — given directly or as a price-list rate with a discount percentage — and a delivery
 * date on or after the transaction date (or none).
 *
 * @remarks Shrinks toward small quantities and rates.
 */
export function salesOrderLineInputArb(options: SalesOrderLineArbOptions = {}): fc.Arbitrary<SalesOrderLineInput> {
  const currency = options.currency ?? 'USD';
  const transactionDate = options.transactionDate ?? DEFAULT_DATE;
  const lineId =
    options.lineId === undefined ? fc.integer({ min: 1, max: 99 }).map((n) => `L${n}`) : fc.constant(options.lineId);
  return fc.tuple(lineSeedArb(0, 1), lineId).map(([seed, id]) => {
    const dated = options.allowMissingDate === false && seed.dateOffset === null ? { ...seed, dateOffset: 0 } : seed;
    return lineInput(dated, id, currency, transactionDate);
  });
}

// -----------------------------------------------------------------------------------------------------------------
// Valid command sequences

interface TrackedLine {
  readonly lineId: string;
  qty: Quantity;
  rate: Money;
  amount: Money;
  delivered: Quantity;
  billed: Money;
  billingRecorded: boolean;
}

type DraftEdit =
  | { readonly kind: 'qty'; readonly line: number; readonly qtyMilli: number }
  | { readonly kind: 'discount'; readonly line: number; readonly basisPoints: number }
  | { readonly kind: 'add-and-remove' };

type AfterSubmitAction =
  | { readonly kind: 'deliver'; readonly line: number; readonly permille: number }
  | { readonly kind: 'bill'; readonly line: number; readonly permille: number }
  | { readonly kind: 'hold-resume' }
  | { readonly kind: 'close-reopen' }
  | { readonly kind: 'increase-qty'; readonly line: number; readonly qtyMilli: number };

interface SequenceSeed {
  readonly currency: string;
  readonly headerOffset: number | null;
  readonly lines: readonly LineSeed[];
  readonly edits: readonly DraftEdit[];
  readonly discount:
    | { readonly kind: 'percentage'; readonly basisPoints: number; readonly onNet: boolean }
    | { readonly kind: 'amount'; readonly permilleOfUnit: number; readonly onNet: boolean }
    | null;
  readonly taxes: readonly (
    | { readonly kind: 'on_net_total'; readonly basisPoints: number }
    | { readonly kind: 'actual'; readonly units: number }
  )[];
  readonly submit: boolean;
  readonly actions: readonly AfterSubmitAction[];
  readonly ending: 'none' | 'hold' | 'close' | 'cancel';
}

function sequenceSeedArb(options: SalesOrderArbOptions): fc.Arbitrary<SequenceSeed> {
  const maxLines = options.maxLines ?? 4;
  const lineIndex = fc.nat({ max: maxLines - 1 });
  return fc.record({
    currency: fc.constantFrom(...(options.currencies ?? DEFAULT_CURRENCIES)),
    headerOffset: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
    // The first line is worth at least one whole unit, so a fixed discount of at most one unit never turns the
    // grand total negative.
    lines: fc
      .tuple(lineSeedArb(1000, 1000), fc.array(lineSeedArb(0, 1), { maxLength: maxLines - 1 }))
      .map(([first, rest]) => [{ ...first, discountBasisPoints: null }, ...rest]),
    edits: fc.array(
      fc.oneof(
        fc.record({
          kind: fc.constant('qty' as const),
          line: lineIndex,
          qtyMilli: fc.integer({ min: 1000, max: 20_000 }),
        }),
        fc.record({
          kind: fc.constant('discount' as const),
          line: lineIndex,
          basisPoints: fc.integer({ min: 0, max: 10_000 }),
        }),
        fc.constant({ kind: 'add-and-remove' as const }),
      ),
      { maxLength: 3 },
    ),
    discount: fc.option(
      fc.oneof(
        fc.record({
          kind: fc.constant('percentage' as const),
          basisPoints: fc.integer({ min: 0, max: 10_000 }),
          onNet: fc.boolean(),
        }),
        fc.record({
          kind: fc.constant('amount' as const),
          permilleOfUnit: fc.integer({ min: 0, max: 1000 }),
          onNet: fc.boolean(),
        }),
      ),
      { nil: null },
    ),
    taxes: fc.array(
      fc.oneof(
        fc.record({ kind: fc.constant('on_net_total' as const), basisPoints: fc.integer({ min: 0, max: 2500 }) }),
        fc.record({ kind: fc.constant('actual' as const), units: fc.integer({ min: 0, max: 5000 }) }),
      ),
      { maxLength: 2 },
    ),
    submit: fc.constantFrom(true, true, true, false),
    actions: fc.array(
      fc.oneof(
        {
          arbitrary: fc.record({
            kind: fc.constant('deliver' as const),
            line: lineIndex,
            permille: fc.integer({ min: 1, max: 1000 }),
          }),
          weight: 3,
        },
        {
          arbitrary: fc.record({
            kind: fc.constant('bill' as const),
            line: lineIndex,
            permille: fc.integer({ min: 1, max: 1000 }),
          }),
          weight: 3,
        },
        { arbitrary: fc.constant({ kind: 'hold-resume' as const }), weight: 1 },
        { arbitrary: fc.constant({ kind: 'close-reopen' as const }), weight: 1 },
        {
          arbitrary: fc.record({
            kind: fc.constant('increase-qty' as const),
            line: lineIndex,
            qtyMilli: fc.integer({ min: 1, max: 5000 }),
          }),
          weight: 1,
        },
      ),
      { maxLength: 8 },
    ),
    ending: fc.constantFrom('none' as const, 'hold' as const, 'close' as const, 'cancel' as const),
  });
}

/** A line amount as the order computes it: `rate × qty` rounded to the currency with the order's method. */
function roundedAmount(rate: Money, qty: Quantity, method: SalesOrderRoundingMethod): Money {
  return roundMoney(rate.multiply(qty), method);
}

function isCompleted(lines: readonly TrackedLine[]): boolean {
  const delivered = lines.every((line) => line.delivered.greaterThanOrEqual(line.qty));
  const total = lines.reduce((sum, line) => sum.add(line.amount.abs().amount), Quantity.zero());
  const billed = total.isZero()
    ? lines.every((line) => line.billingRecorded)
    : lines.every((line) => line.billed.abs().greaterThanOrEqual(line.amount.abs()));
  return delivered && billed;
}

function buildSequence(seed: SequenceSeed, options: SalesOrderArbOptions): SalesOrderCommand[] {
  const orderId = options.orderId ?? 'SO-1';
  const transactionDate = options.transactionDate ?? DEFAULT_DATE;
  const method = options.roundingMethod ?? 'half-even';
  const overDelivery = Quantity.of(options.overDeliveryAllowance ?? '0');
  const overBilling = Quantity.of(options.overBillingAllowance ?? '0');
  const { currency } = seed;
  const commands: SalesOrderCommand[] = [];
  const headerDate = seed.headerOffset === null ? undefined : shiftDate(transactionDate, seed.headerOffset);
  commands.push({
    type: 'CreateSalesOrder',
    data: {
      orderId,
      customerId: 'CUST-1',
      company: 'Acme',
      currency,
      transactionDate,
      ...(headerDate === undefined ? {} : { deliveryDate: headerDate }),
    },
  });

  const tracked: TrackedLine[] = [];
  seed.lines.forEach((lineSeed, index) => {
    // Without a header date every line needs its own, or the order could not be submitted.
    const dated = headerDate === undefined && lineSeed.dateOffset === null ? { ...lineSeed, dateOffset: 0 } : lineSeed;
    const input = lineInput(dated, `L${index + 1}`, currency, transactionDate);
    commands.push({ type: 'AddSalesOrderLine', data: { orderId, line: input } });
    const price = Money.of(minorUnits(lineSeed.rateUnits, currency), currency);
    const rate =
      lineSeed.discountBasisPoints === null
        ? price
        : roundMoney(price.percentage(Quantity.of(10_000 - lineSeed.discountBasisPoints).divide(100)), method);
    const qty = Quantity.of(input.qty);
    tracked.push({
      lineId: `L${index + 1}`,
      qty,
      rate,
      amount: roundedAmount(rate, qty, method),
      delivered: Quantity.zero(),
      billed: Money.zero(currency),
      billingRecorded: false,
    });
  });

  for (const edit of seed.edits) {
    if (edit.kind === 'add-and-remove') {
      commands.push({
        type: 'AddSalesOrderLine',
        data: {
          orderId,
          line: {
            lineId: 'TEMP',
            itemCode: 'NUT',
            qty: '1',
            uom: 'Nos',
            rate: '1',
            warehouse: 'Main',
            deliveryDate: transactionDate,
          },
        },
      });
      commands.push({ type: 'RemoveSalesOrderLine', data: { orderId, lineId: 'TEMP' } });
      continue;
    }
    const line = tracked[edit.line % tracked.length];
    // The first line keeps its rate and at least one unit, so the order keeps its minimum worth.
    if (!line || (edit.kind === 'discount' && line === tracked[0])) continue;
    if (edit.kind === 'qty') {
      line.qty = Quantity.of(thousandths(edit.qtyMilli));
      line.amount = roundedAmount(line.rate, line.qty, method);
      commands.push({
        type: 'UpdateSalesOrderLine',
        data: { orderId, lineId: line.lineId, changes: { qty: line.qty.value } },
      });
    } else {
      const percentage = Quantity.of(edit.basisPoints).divide(100);
      // The rate is re-derived from the line's price-list rate, which is its rate when it was given directly.
      const seedIndex = tracked.indexOf(line);
      const lineSeed = seed.lines[seedIndex];
      if (!lineSeed) continue;
      const price = Money.of(minorUnits(lineSeed.rateUnits, currency), currency);
      line.rate = roundMoney(price.percentage(Quantity.of(100).subtract(percentage)), method);
      line.amount = roundedAmount(line.rate, line.qty, method);
      commands.push({
        type: 'UpdateSalesOrderLine',
        data: { orderId, lineId: line.lineId, changes: { discountPercentage: percentage.value } },
      });
    }
  }

  if (seed.discount) {
    const applyOn = seed.discount.onNet ? ('net_total' as const) : ('grand_total' as const);
    commands.push({
      type: 'SetSalesOrderDiscount',
      data: {
        orderId,
        discount:
          seed.discount.kind === 'percentage'
            ? { kind: 'percentage', percentage: Quantity.of(seed.discount.basisPoints).divide(100).value, applyOn }
            : {
                kind: 'amount',
                // At most one unit, or the first line's amount when that is less (CLF: 0.1), so the grand total stays
                // positive.
                amount: Money.min(Money.of(1, currency), tracked[0]?.amount ?? Money.of(1, currency))
                  .multiply(seed.discount.permilleOfUnit)
                  .divide(1000)
                  .round('down').amount,
                applyOn,
              },
      },
    });
  }
  seed.taxes.forEach((tax, index) => {
    commands.push({
      type: 'AddSalesOrderTax',
      data: {
        orderId,
        tax:
          tax.kind === 'on_net_total'
            ? {
                taxId: `T${index + 1}`,
                kind: 'on_net_total',
                rate: Quantity.of(tax.basisPoints).divide(100).value,
                description: 'VAT',
              }
            : {
                taxId: `T${index + 1}`,
                kind: 'actual',
                amount: minorUnits(tax.units, currency),
                description: 'Freight',
              },
      },
    });
  });

  if (!seed.submit) return commands;
  commands.push({ type: 'SubmitSalesOrder', data: { orderId } });

  let touched = false;
  for (const action of seed.actions) {
    if (action.kind === 'hold-resume' || action.kind === 'close-reopen') {
      if (isCompleted(tracked)) continue;
      const [first, second] =
        action.kind === 'hold-resume'
          ? (['HoldSalesOrder', 'ResumeSalesOrder'] as const)
          : (['CloseSalesOrder', 'ReopenSalesOrder'] as const);
      commands.push({ type: first, data: { orderId } }, { type: second, data: { orderId } });
      continue;
    }
    const line = tracked[action.line % tracked.length];
    if (!line) continue;
    if (action.kind === 'deliver') {
      // Up to the ordered quantity plus the over-delivery allowance, as `decide` checks it.
      const limit = line.qty.add(line.qty.multiply(overDelivery).divide(100));
      const qty = limit.subtract(line.delivered).multiply(action.permille).divide(1000).round(3, 'down');
      if (!qty.isPositive()) continue;
      line.delivered = line.delivered.add(qty);
      touched = true;
      commands.push({
        type: 'RecordSalesOrderDelivery',
        data: { orderId, lines: [{ lineId: line.lineId, qty: qty.value }] },
      });
    } else if (action.kind === 'bill') {
      // Up to the line amount plus the over-billing allowance, as `decide` checks it (line amounts are never negative).
      const limit = line.amount.add(line.amount.percentage(overBilling));
      const amount = limit.subtract(line.billed).multiply(action.permille).divide(1000).round('down');
      if (amount.isZero() && !line.amount.isZero()) continue;
      line.billed = line.billed.add(amount);
      line.billingRecorded = true;
      touched = true;
      commands.push({
        type: 'RecordSalesOrderBilling',
        data: { orderId, lines: [{ lineId: line.lineId, amount: amount.amount }] },
      });
    } else {
      if (isCompleted(tracked)) continue;
      const qty = line.qty.add(thousandths(action.qtyMilli));
      const amount = roundedAmount(line.rate, qty, method);
      // Delivered or billed beyond the line (allowances): a quantity or amount below that would be refused.
      if (qty.lessThan(line.delivered) || amount.lessThan(line.billed)) continue;
      line.qty = qty;
      line.amount = amount;
      commands.push({
        type: 'UpdateSalesOrderItems',
        data: { orderId, update: [{ lineId: line.lineId, qty: line.qty.value }] },
      });
    }
  }

  if (seed.ending === 'cancel' && !touched) commands.push({ type: 'CancelSalesOrder', data: { orderId } });
  if (seed.ending === 'hold' && !isCompleted(tracked)) commands.push({ type: 'HoldSalesOrder', data: { orderId } });
  if (seed.ending === 'close' && !isCompleted(tracked)) commands.push({ type: 'CloseSalesOrder', data: { orderId } });
  return commands;
}

/**
 * A whole valid life of one sales order: create, lines, draft edits, an order discount, tax rows, then (usually) submit,
 * partial deliveries and billings, hold/resume, close/re-open, quantity increases, and possibly a final hold, close or
 * cancel. Every command is accepted by `SalesOrder.decide`, in order, with default settings — or with the rounding
 * method and allowances given in `options` (any rounded-total setting goes).
 *
 * @remarks
 * Amounts are generated at the currency's minor unit; quantities have up to three decimals. Shrinks toward shorter
 * histories with fewer lines.
 */
export function salesOrderCommandsArb(options: SalesOrderArbOptions = {}): fc.Arbitrary<SalesOrderCommand[]> {
  return sequenceSeedArb(options).map((seed) => buildSequence(seed, options));
}

// -----------------------------------------------------------------------------------------------------------------
// Deliberately invalid commands

/** A valid history, then one command that must be refused with `rule`. */
export interface InvalidSalesOrderScenario {
  /** What happened before: every command is accepted. */
  readonly given: readonly SalesOrderCommand[];
  /** The command that must be refused. */
  readonly when: SalesOrderCommand;
  /** The rule code the refusal must carry. */
  readonly rule: SalesOrderRule;
}

interface BaseSeed {
  readonly currency: string;
  readonly headerOffset: number;
  readonly lines: readonly LineSeed[];
}

/**
 * Valid scenarios paired with one deliberately invalid command and the rule it breaks: submitting without lines, with
 * a zero or negative quantity, without a delivery date, with a date before the order date or a negative grand total;
 * editing a submitted order; any command after cancel; over-delivery; over-billing; cancelling a delivered or closed
 * order; delivering while on hold; lowering a quantity below what was delivered; removing a delivered line.
 */
export function invalidSalesOrderScenarioArb(
  options: SalesOrderArbOptions = {},
): fc.Arbitrary<InvalidSalesOrderScenario> {
  const orderId = options.orderId ?? 'SO-1';
  const transactionDate = options.transactionDate ?? DEFAULT_DATE;
  const maxLines = options.maxLines ?? 4;
  const base: fc.Arbitrary<BaseSeed> = fc.record({
    currency: fc.constantFrom(...(options.currencies ?? DEFAULT_CURRENCIES)),
    headerOffset: fc.integer({ min: 0, max: 30 }),
    lines: fc.array(lineSeedArb(1, 1), { minLength: 1, maxLength: maxLines }),
  });
  const order = (seed: BaseSeed, header: boolean): SalesOrderCommand[] => [
    {
      type: 'CreateSalesOrder',
      data: {
        orderId,
        customerId: 'CUST-1',
        company: 'Acme',
        currency: seed.currency,
        transactionDate,
        ...(header ? { deliveryDate: shiftDate(transactionDate, seed.headerOffset) } : {}),
      },
    },
    ...seed.lines.map(
      (line, index): SalesOrderCommand => ({
        type: 'AddSalesOrderLine',
        data: {
          orderId,
          line: lineInput(
            header ? line : { ...line, dateOffset: line.dateOffset ?? 0 },
            `L${index + 1}`,
            seed.currency,
            transactionDate,
          ),
        },
      }),
    ),
  ];
  const submit: SalesOrderCommand = { type: 'SubmitSalesOrder', data: { orderId } };
  const simple = (
    type: 'HoldSalesOrder' | 'CloseSalesOrder' | 'CancelSalesOrder' | 'ResumeSalesOrder',
  ): SalesOrderCommand => ({
    type,
    data: { orderId },
  });
  const deliver = (lineId: string, qty: string): SalesOrderCommand => ({
    type: 'RecordSalesOrderDelivery',
    data: { orderId, lines: [{ lineId, qty }] },
  });
  const extraLine = (line: Partial<SalesOrderLineInput>): SalesOrderCommand => ({
    type: 'AddSalesOrderLine',
    data: {
      orderId,
      line: {
        lineId: 'BAD',
        itemCode: 'BOLT',
        qty: '1',
        uom: 'Nos',
        rate: '1',
        warehouse: 'Main',
        deliveryDate: transactionDate,
        ...line,
      },
    },
  });
  const qtyOf = (seed: BaseSeed) => thousandths(seed.lines[0]?.qtyMilli ?? 1000);

  return fc
    .tuple(base, fc.integer({ min: 1, max: 30 }), fc.constantFrom('0', '-1', '-0.5'))
    .chain(([seed, days, badQty]) =>
      fc.constantFrom<InvalidSalesOrderScenario>(
        { given: order(seed, true).slice(0, 1), when: submit, rule: 'ORDER_HAS_NO_LINES' },
        { given: [...order(seed, true), extraLine({ qty: badQty })], when: submit, rule: 'INVALID_QTY' },
        {
          given: [...order(seed, false), extraLine({ deliveryDate: undefined })],
          when: submit,
          rule: 'DELIVERY_DATE_MISSING',
        },
        {
          given: [...order(seed, true), extraLine({ deliveryDate: shiftDate(transactionDate, -days) })],
          when: submit,
          rule: 'DELIVERY_BEFORE_ORDER_DATE',
        },
        {
          given: [...order({ ...seed, lines: [] }, true), extraLine({ rate: `-${days}` })],
          when: submit,
          rule: 'GRAND_TOTAL_NEGATIVE',
        },
        { given: [...order(seed, true), submit], when: extraLine({}), rule: 'ORDER_NOT_DRAFT' },
        {
          given: [...order(seed, true), submit, simple('CancelSalesOrder')],
          when: simple('HoldSalesOrder'),
          rule: 'ORDER_CANCELLED',
        },
        {
          given: [...order(seed, true), submit, simple('CancelSalesOrder')],
          when: deliver('L1', '1'),
          rule: 'ORDER_CANCELLED',
        },
        {
          given: [...order(seed, true), submit],
          when: deliver('L1', Quantity.of(qtyOf(seed)).add('0.001').value),
          rule: 'OVER_DELIVERY',
        },
        {
          given: [...order(seed, true), submit, deliver('L1', '0.001')],
          when: simple('CancelSalesOrder'),
          rule: 'ORDER_HAS_DELIVERIES',
        },
        {
          given: [...order(seed, true), submit, simple('CloseSalesOrder')],
          when: simple('CancelSalesOrder'),
          rule: 'ORDER_CLOSED',
        },
        {
          given: [...order(seed, true), submit, simple('HoldSalesOrder')],
          when: deliver('L1', '0.001'),
          rule: 'ORDER_ON_HOLD',
        },
        { given: [...order(seed, true), submit], when: simple('ResumeSalesOrder'), rule: 'ORDER_NOT_ON_HOLD' },
        {
          given: [...order(seed, true), submit, deliver('L1', qtyOf(seed))],
          when: {
            type: 'UpdateSalesOrderItems',
            data: { orderId, update: [{ lineId: 'L1', qty: Quantity.of(qtyOf(seed)).subtract('0.001').value }] },
          },
          rule: Quantity.of(qtyOf(seed)).equals('0.001') ? 'INVALID_QTY' : 'QTY_BELOW_DELIVERED',
        },
        {
          given: [...order(seed, true), submit, deliver('L1', '0.001')],
          when: { type: 'UpdateSalesOrderItems', data: { orderId, remove: ['L1'] } },
          rule: 'LINE_HAS_DELIVERIES',
        },
        {
          given: [...order(seed, true), submit],
          when: {
            type: 'RecordSalesOrderBilling',
            data: { orderId, lines: [{ lineId: 'L1', amount: minorUnits(1_000_000_000, seed.currency) }] },
          },
          rule: 'OVER_BILLING',
        },
      ),
    );
}
