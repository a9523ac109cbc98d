/**
 * A small, independent model of a sales order for the model-based property (`salesOrderModelProperty`):
 * integer arithmetic (quantities in thousandths, money in minor units of the order's currency — cents for USD, yen for
 * JPY, ten-thousandths for CLF —, percentages in basis points, allowances in millionths of a percent, all `bigint`),
 * its own table of minor units, its own rounding (each method) and its own statement of every rule, under the
 * settings of its {@link ModelConfig}. It imports nothing: it shares no code with `src/domain/` (neither the sales
 * order nor the money module), so that a mistake there cannot be repeated here.
 *
 * Internal to `ordo/testing`: not exported from it.
 */

export const TRANSACTION_DATE = '2026-01-10';

/**
 * The currencies whose minor unit is not 2 (ISO 4217 List One): the model's own table, so that it shares nothing with
 * the money module (a test checks that the two agree).
 */
// biome-ignore format: grouped by minor unit, to check against ISO
const MINOR_UNIT_EXCEPTIONS: Readonly<Record<string, number>> = {
  BIF: 0, CLP: 0, DJF: 0, GNF: 0, ISK: 0, JPY: 0, KMF: 0, KRW: 0, PYG: 0, RWF: 0, UGX: 0, UYI: 0, VND: 0, VUV: 0,
  XAF: 0, XOF: 0, XPF: 0,
  BHD: 3, IQD: 3, JOD: 3, KWD: 3, LYD: 3, OMR: 3, TND: 3,
  CLF: 4, UYW: 4,
};

/** The decimal places of a currency's minor unit, as ISO 4217 lists it (2 for any currency not listed otherwise). */
export function minorUnitOf(currency: string): number {
  return MINOR_UNIT_EXCEPTIONS[currency] ?? 2;
}

/** The ERPNext rounding methods, as the model names them. */
export type ModelRoundingMethod = 'half-even' | 'commercial' | 'erpnext-legacy';

/** The order's currency and the host's settings the model runs under (fixed for a run). */
export interface ModelConfig {
  readonly currency: string;
  /** Decimal places of the currency's minor unit (JPY 0, USD 2, KWD 3, CLF 4). */
  readonly minor: number;
  readonly method: ModelRoundingMethod;
  readonly roundedTotal: boolean;
  /** The smallest fraction of the rounded total, in minor units; `null`: whole units. */
  readonly fraction: bigint | null;
  /** Over-delivery and over-billing allowances, in millionths of a percent (10_000_000n = 10 %). */
  readonly overDelivery: bigint;
  readonly overBilling: bigint;
}

/** USD, half-even, no rounded total, no allowances: the default settings. */
export const DEFAULT_CONFIG: ModelConfig = {
  currency: 'USD',
  minor: 2,
  method: 'half-even',
  roundedTotal: false,
  fraction: null,
  overDelivery: 0n,
  overBilling: 0n,
};

export interface ModelLine {
  readonly id: string;
  qty: bigint; // thousandths
  rate: bigint; // minor units
  priceListRate: bigint; // minor units
  discount: bigint; // basis points of a percent
  date: string | null;
  delivered: bigint; // thousandths
  billed: bigint; // minor units
  billingRecorded: boolean;
}

export type ModelDiscount =
  | { readonly kind: 'percentage'; readonly basisPoints: bigint; readonly onNet: boolean }
  | { readonly kind: 'amount'; readonly cents: bigint; readonly onNet: boolean };

export type ModelTax =
  | { readonly id: string; readonly kind: 'percentage'; readonly basisPoints: bigint }
  | { readonly id: string; readonly kind: 'actual'; readonly cents: bigint };

export interface Model {
  readonly config: ModelConfig;
  exists: boolean;
  phase: 'draft' | 'submitted' | 'cancelled';
  onHold: boolean;
  closed: boolean;
  header: string | null;
  lines: ModelLine[];
  discount: ModelDiscount | null;
  taxes: ModelTax[];
}

export function emptyModel(config: ModelConfig = DEFAULT_CONFIG): Model {
  return {
    config,
    exists: false,
    phase: 'draft',
    onHold: false,
    closed: false,
    header: null,
    lines: [],
    discount: null,
    taxes: [],
  };
}

/**
 * How a line is priced, in tenths of a minor unit (one decimal more than the currency has, so that rates are rounded):
 * a rate (optionally with the price-list rate it was set against), or a price-list rate with an optional discount
 * (basis points of a percent).
 */
export type ModelPrice =
  | { readonly rate: bigint; readonly priceListRate?: bigint }
  | { readonly priceListRate: bigint; readonly discount?: bigint };

/** A change of price of a draft line: a rate (and a price-list rate), or a price-list rate and/or a discount. */
export type ModelPriceChange =
  | { readonly rate: bigint; readonly priceListRate?: bigint }
  | { readonly priceListRate?: bigint; readonly discount?: bigint };

/** What the model is asked to do (mirrors the commands, with integer values). */
export type Action =
  | { readonly kind: 'create' }
  | {
      readonly kind: 'add-line';
      readonly id: string;
      readonly qty: bigint;
      readonly price: ModelPrice;
      readonly date: string | null;
    }
  | {
      readonly kind: 'update-line';
      readonly id: string;
      readonly qty?: bigint;
      readonly price?: ModelPriceChange;
      readonly date?: string | null;
    }
  | { readonly kind: 'remove-line'; readonly id: string }
  | { readonly kind: 'set-discount'; readonly discount: ModelDiscount }
  | { readonly kind: 'remove-discount' }
  | { readonly kind: 'add-tax'; readonly tax: ModelTax }
  | { readonly kind: 'remove-tax'; readonly id: string }
  | { readonly kind: 'set-delivery-date'; readonly date: string | null }
  | { readonly kind: 'submit' | 'hold' | 'resume' | 'close' | 'reopen' | 'cancel' }
  | { readonly kind: 'deliver'; readonly id: string; readonly qty: bigint }
  | { readonly kind: 'bill'; readonly id: string; readonly cents: bigint }
  | {
      readonly kind: 'update-items-qty';
      readonly id: string;
      readonly qty?: bigint;
      /** In tenths of a minor unit, as {@link ModelPrice}. */
      readonly rate?: bigint;
      readonly date?: string;
    }
  | {
      readonly kind: 'update-items-add';
      readonly id: string;
      readonly qty: bigint;
      readonly price: ModelPrice;
      readonly date?: string;
    }
  | { readonly kind: 'update-items-remove'; readonly id: string };

// ------------------------------------------------------------------------------------------------------------------
// Arithmetic

const abs = (value: bigint) => (value < 0n ? -value : value);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** How a tie is broken: to the even neighbour, away from zero, or up (toward +∞). */
export type Tie = 'even' | 'away' | 'up';

/** `numerator / denominator` rounded to an integer, a tie broken as `tie` says (half to even by default). */
export function roundDiv(numerator: bigint, denominator: bigint, tie: Tie = 'even'): bigint {
  let n = numerator;
  let d = denominator;
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  let quotient = n / d;
  let remainder = n % d;
  if (remainder < 0n) {
    quotient -= 1n;
    remainder += d;
  }
  // The value is quotient + remainder / d, with 0 <= remainder < d.
  const twice = 2n * remainder;
  if (twice > d) return quotient + 1n;
  if (twice < d) return quotient;
  // A tie, quotient + 1/2: positive exactly when quotient >= 0.
  if (tie === 'up' || (tie === 'away' && quotient >= 0n)) return quotient + 1n;
  if (tie === 'even' && quotient % 2n !== 0n) return quotient + 1n;
  return quotient;
}

/** How `method` breaks ties when rounding to `places` decimals (Frappe's legacy method: up, but even at 0 places). */
export function tieOf(method: ModelRoundingMethod, places: number): Tie {
  if (method === 'commercial') return 'away';
  if (method === 'erpnext-legacy') return places === 0 ? 'even' : 'up';
  return 'even';
}

/** `numerator / denominator` minor units rounded to a whole minor unit with the order's method. */
function roundUnits(config: ModelConfig, numerator: bigint, denominator: bigint): bigint {
  return roundDiv(numerator, denominator, tieOf(config.method, config.minor));
}

/** `value / 10^places` as a decimal string with exactly `places` decimals: `-0.62`, `0.00`, `12.30`, `100`. */
export function formatScaled(value: bigint, places: number): string {
  const magnitude = abs(value);
  const scale = 10n ** BigInt(places);
  const fraction = places === 0 ? '' : `.${(magnitude % scale).toString().padStart(places, '0')}`;
  const text = `${magnitude / scale}${fraction}`;
  return value < 0n ? `-${text}` : text;
}

/**
 * A plain non-negative decimal string (`12.5`, `0.05`, `10`) as an integer count of `10^-places`: `12.5` at 6 places
 * is `12_500_000n`. `undefined` when it is not such a string or has more than `places` decimals.
 */
export function parseScaled(text: string, places: number): bigint | undefined {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return undefined;
  const whole = match[1] ?? '0';
  const fraction = (match[2] ?? '').replace(/0+$/, '');
  if (fraction.length > places) return undefined;
  return BigInt(whole) * 10n ** BigInt(places) + BigInt(fraction.padEnd(places, '0') || '0');
}

/** Minor units as the decimal string Money writes for the currency: `-0.62`, `0.00`, `12.30` (USD), `100` (JPY). */
export function formatMoney(units: bigint, config: ModelConfig): string {
  return formatScaled(units, config.minor);
}

/** Cents as the decimal string Money writes for USD: `-0.62`, `0.00`, `12.30`. */
export function formatCents(cents: bigint): string {
  return formatScaled(cents, 2);
}

/** Thousandths as a canonical decimal string: `3.25`, `-1`, `0`. */
export function formatMilli(milli: bigint): string {
  const magnitude = abs(milli);
  const fraction = (magnitude % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  const text = `${magnitude / 1000n}${fraction ? `.${fraction}` : ''}`;
  return milli < 0n && magnitude !== 0n ? `-${text}` : text;
}

/** 100 % in millionths of a percent. */
export const HUNDRED_MICRO = 100_000_000n;

/** A percentage `done / of × 100` in millionths of a percent, rounded down (ERPNext keeps 6 decimals). */
function microPercent(done: bigint, of: bigint): bigint {
  return (done * HUNDRED_MICRO) / of;
}

/** Millionths of a percent as a canonical decimal string: `100`, `33.333333`, `0`. */
export function formatMicro(micro: bigint): string {
  const fraction = (micro % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${micro / 1_000_000n}${fraction ? `.${fraction}` : ''}`;
}

export interface ModelTotals {
  readonly amounts: readonly bigint[];
  readonly nets: readonly bigint[];
  readonly total: bigint;
  readonly netTotal: bigint;
  readonly grandTotal: bigint;
  /** `null` when the rounded total is off. */
  readonly roundedTotal: bigint | null;
}

function taxAmounts(
  config: ModelConfig,
  taxes: readonly ModelTax[],
  netTotal: bigint,
  hasLines: boolean,
): { sum: bigint; actual: bigint } {
  let sum = 0n;
  let actual = 0n;
  for (const tax of taxes) {
    if (tax.kind === 'percentage') sum += roundUnits(config, netTotal * tax.basisPoints, 10_000n);
    else if (hasLines) {
      sum += tax.cents;
      actual += tax.cents;
    }
  }
  return { sum, actual };
}

/** ERPNext's rounded total: to the smallest fraction (up only past half), or to whole units with the method. */
function roundedTotalOf(config: ModelConfig, grandTotal: bigint): bigint {
  if (config.fraction === null) {
    const unit = 10n ** BigInt(config.minor);
    return roundDiv(grandTotal, unit, tieOf(config.method, 0)) * unit;
  }
  const f = config.fraction;
  const remainder = ((grandTotal % f) + f) % f; // never negative, as Python's %
  return 2n * remainder > f ? grandTotal + f - remainder : grandTotal - remainder;
}

/** A line's amount: `rate × qty` rounded to the currency with the order's method. */
function amountOf(config: ModelConfig, line: { readonly rate: bigint; readonly qty: bigint }): bigint {
  return roundUnits(config, line.rate * line.qty, 1000n);
}

/** The totals as ERPNext computes them, in minor units. */
export function modelTotals(model: Model): ModelTotals {
  const { config } = model;
  const round = (numerator: bigint, denominator: bigint) => roundUnits(config, numerator, denominator);
  const amounts = model.lines.map((line) => amountOf(config, line));
  const total = amounts.reduce((a, b) => a + b, 0n);
  const hasLines = amounts.length > 0;
  let shares = amounts.map(() => 0n);
  let target: bigint | null = null;
  const { discount } = model;
  if (discount && hasLines) {
    const undiscounted = taxAmounts(config, model.taxes, total, hasLines);
    const grand0 = total + undiscounted.sum;
    const requested =
      discount.kind === 'percentage'
        ? round((discount.onNet ? total : grand0) * discount.basisPoints, 10_000n)
        : discount.cents;
    const base = discount.onNet ? total : grand0 - undiscounted.actual;
    if (base !== 0n && requested !== 0n) {
      const onLines = discount.onNet ? requested : round(requested * total, base);
      shares = amounts.map((amount) => round(requested * amount, base));
      shares[shares.length - 1] = onLines - shares.slice(0, -1).reduce((a, b) => a + b, 0n);
      if (!discount.onNet) target = grand0 - requested;
    }
  }
  const nets = amounts.map((amount, index) => amount - (shares[index] ?? 0n));
  const netTotal = nets.reduce((a, b) => a + b, 0n);
  const grandTotal = target ?? netTotal + taxAmounts(config, model.taxes, netTotal, hasLines).sum;
  const roundedTotal = config.roundedTotal ? roundedTotalOf(config, grandTotal) : null;
  return { amounts, nets, total, netTotal, grandTotal, roundedTotal };
}

/**
 * What is ordered and not billed yet: `grandTotal × (100 - perBilled) / 100` rounded, for a submitted order that is
 * not closed (on hold counts); 0 otherwise.
 */
export function modelUnbilled(model: Model): bigint {
  if (model.phase !== 'submitted' || model.closed) return 0n;
  return roundUnits(model.config, modelTotals(model).grandTotal * (HUNDRED_MICRO - billedMicro(model)), HUNDRED_MICRO);
}

export function percentDelivered(model: Model): string {
  if (model.phase === 'draft') return '0';
  const ordered = model.lines.reduce((sum, line) => sum + abs(line.qty), 0n);
  // Each line counts up to its quantity: delivering more (an allowance) never completes another line.
  const done = model.lines.reduce((sum, line) => sum + min(abs(line.delivered), abs(line.qty)), 0n);
  return ordered === 0n ? '0' : formatMicro(microPercent(done, ordered));
}

function billedMicro(model: Model): bigint {
  if (model.phase === 'draft') return 0n;
  const { amounts } = modelTotals(model);
  const total = amounts.reduce((sum, amount) => sum + abs(amount), 0n);
  if (total === 0n) {
    return model.lines.length > 0 && model.lines.every((line) => line.billingRecorded) ? HUNDRED_MICRO : 0n;
  }
  const done = model.lines.reduce((sum, line, index) => sum + min(abs(line.billed), abs(amounts[index] ?? 0n)), 0n);
  return microPercent(done, total);
}

export function percentBilled(model: Model): string {
  return formatMicro(billedMicro(model));
}

export function modelStatus(model: Model): string {
  if (model.onHold) return 'on_hold';
  if (model.closed) return 'closed';
  if (model.phase === 'cancelled') return 'cancelled';
  if (model.phase === 'draft') return 'draft';
  const delivered = percentDelivered(model) === '100';
  const billed = percentBilled(model) === '100';
  if (delivered && billed) return 'completed';
  if (billed) return 'to_deliver';
  if (delivered) return 'to_bill';
  return 'to_deliver_and_bill';
}

// ------------------------------------------------------------------------------------------------------------------
// Rules: the rule code a command is refused with, or `undefined` when it is accepted

function submitRule(model: Model): string | undefined {
  if (model.lines.length === 0) return 'ORDER_HAS_NO_LINES';
  if (model.lines.some((line) => line.qty <= 0n)) return 'INVALID_QTY';
  for (const line of model.lines) {
    const date = line.date ?? model.header;
    if (date === null) return 'DELIVERY_DATE_MISSING';
    if (date < TRANSACTION_DATE) return 'DELIVERY_BEFORE_ORDER_DATE';
  }
  return modelTotals(model).grandTotal < 0n ? 'GRAND_TOTAL_NEGATIVE' : undefined;
}

function statusRule(model: Model, needs: 'draft' | 'submitted' | 'open'): string | undefined {
  if (!model.exists) return 'ORDER_NOT_FOUND';
  if (model.phase === 'cancelled') return 'ORDER_CANCELLED';
  if (needs === 'draft') return model.phase === 'draft' ? undefined : 'ORDER_NOT_DRAFT';
  if (model.phase === 'draft') return 'ORDER_NOT_SUBMITTED';
  if (needs === 'open') {
    if (model.onHold) return 'ORDER_ON_HOLD';
    if (model.closed) return 'ORDER_CLOSED';
  }
  return undefined;
}

const lineOf = (model: Model, id: string) => model.lines.find((line) => line.id === id);

/** A rate given in tenths of a minor unit, rounded to the currency with the order's method (as ERPNext rounds it). */
function rateOf(config: ModelConfig, tenths: bigint): bigint {
  return roundUnits(config, tenths, 10n);
}

/** The rate a (rounded) price-list rate gives less a discount, rounded to the currency. */
function discounted(config: ModelConfig, priceListRate: bigint, discount: bigint): bigint {
  return roundUnits(config, priceListRate * (10_000n - discount), 10_000n);
}

/** The rates of a new line priced by `price`. */
function priced(config: ModelConfig, price: ModelPrice): Pick<ModelLine, 'rate' | 'priceListRate' | 'discount'> {
  if ('rate' in price) {
    const rate = rateOf(config, price.rate);
    const priceListRate = price.priceListRate === undefined ? rate : rateOf(config, price.priceListRate);
    return { rate, priceListRate, discount: 0n };
  }
  const priceListRate = rateOf(config, price.priceListRate);
  const discount = price.discount ?? 0n;
  return { rate: discounted(config, priceListRate, discount), priceListRate, discount };
}

/** A copy of the model (actions are tried on copies before they are accepted). */
export function cloneModel(model: Model): Model {
  return { ...model, lines: model.lines.map((line) => ({ ...line })), taxes: [...model.taxes] };
}

function latestDate(model: Model): string | null {
  return model.lines.reduce<string | null>(
    (latest, line) => (line.date !== null && (latest === null || line.date > latest) ? line.date : latest),
    null,
  );
}

/**
 * Applies `action` to `model` (in place) if the rules allow it. Returns the rule code that refuses it, or
 * `undefined` after applying it.
 */
export function step(model: Model, action: Action): string | undefined {
  const completed = () => modelStatus(model) === 'completed';
  const { config } = model;
  switch (action.kind) {
    case 'create':
      if (model.exists) return 'ORDER_ALREADY_EXISTS';
      Object.assign(model, emptyModel(config), { exists: true });
      return undefined;
    case 'add-line': {
      const rule = statusRule(model, 'draft') ?? (lineOf(model, action.id) ? 'DUPLICATE_LINE_ID' : undefined);
      if (rule) return rule;
      model.lines.push({
        id: action.id,
        qty: action.qty,
        ...priced(config, action.price),
        date: action.date,
        delivered: 0n,
        billed: 0n,
        billingRecorded: false,
      });
      return undefined;
    }
    case 'update-line': {
      const rule = statusRule(model, 'draft');
      if (rule) return rule;
      const line = lineOf(model, action.id);
      if (!line) return 'LINE_NOT_FOUND';
      if (action.qty !== undefined) line.qty = action.qty;
      const { price } = action;
      if (price !== undefined && 'rate' in price) {
        // A rate wins: no line discount; a price-list rate given with it is recorded as well.
        line.rate = rateOf(config, price.rate);
        line.discount = 0n;
        if (price.priceListRate !== undefined) line.priceListRate = rateOf(config, price.priceListRate);
      } else if (price !== undefined && (price.priceListRate !== undefined || price.discount !== undefined)) {
        if (price.priceListRate !== undefined) line.priceListRate = rateOf(config, price.priceListRate);
        if (price.discount !== undefined) line.discount = price.discount;
        line.rate = discounted(config, line.priceListRate, line.discount);
      }
      if (action.date !== undefined) line.date = action.date;
      return undefined;
    }
    case 'remove-line': {
      const rule = statusRule(model, 'draft') ?? (lineOf(model, action.id) ? undefined : 'LINE_NOT_FOUND');
      if (rule) return rule;
      model.lines = model.lines.filter((line) => line.id !== action.id);
      return undefined;
    }
    case 'set-discount':
    case 'remove-discount': {
      const rule = statusRule(model, 'draft');
      if (rule) return rule;
      model.discount = action.kind === 'set-discount' ? action.discount : null;
      return undefined;
    }
    case 'add-tax': {
      const rule =
        statusRule(model, 'draft') ??
        (model.taxes.some((tax) => tax.id === action.tax.id) ? 'DUPLICATE_TAX_ID' : undefined);
      if (rule) return rule;
      model.taxes.push(action.tax);
      return undefined;
    }
    case 'remove-tax': {
      const rule =
        statusRule(model, 'draft') ?? (model.taxes.some((tax) => tax.id === action.id) ? undefined : 'TAX_NOT_FOUND');
      if (rule) return rule;
      model.taxes = model.taxes.filter((tax) => tax.id !== action.id);
      return undefined;
    }
    case 'set-delivery-date': {
      const rule = statusRule(model, 'draft');
      if (rule) return rule;
      model.header = action.date;
      return undefined;
    }
    case 'submit': {
      const rule = statusRule(model, 'draft') ?? submitRule(model);
      if (rule) return rule;
      for (const line of model.lines) line.date ??= model.header;
      model.header = latestDate(model);
      model.phase = 'submitted';
      return undefined;
    }
    case 'hold': {
      const rule =
        statusRule(model, 'submitted') ??
        (model.closed ? 'ORDER_CLOSED' : model.onHold ? 'ORDER_ON_HOLD' : completed() ? 'ORDER_COMPLETED' : undefined);
      if (rule) return rule;
      model.onHold = true;
      return undefined;
    }
    case 'resume': {
      const rule = statusRule(model, 'submitted') ?? (model.onHold ? undefined : 'ORDER_NOT_ON_HOLD');
      if (rule) return rule;
      model.onHold = false;
      return undefined;
    }
    case 'close': {
      const rule =
        statusRule(model, 'submitted') ??
        (model.onHold ? 'ORDER_ON_HOLD' : model.closed ? 'ORDER_CLOSED' : completed() ? 'ORDER_COMPLETED' : undefined);
      if (rule) return rule;
      model.closed = true;
      return undefined;
    }
    case 'reopen': {
      const rule = statusRule(model, 'submitted') ?? (model.closed ? undefined : 'ORDER_NOT_CLOSED');
      if (rule) return rule;
      model.closed = false;
      return undefined;
    }
    case 'cancel': {
      const rule =
        statusRule(model, 'submitted') ??
        (model.closed
          ? 'ORDER_CLOSED'
          : model.lines.some((line) => line.delivered !== 0n)
            ? 'ORDER_HAS_DELIVERIES'
            : model.lines.some((line) => line.billingRecorded)
              ? 'ORDER_HAS_BILLINGS'
              : undefined);
      if (rule) return rule;
      model.phase = 'cancelled';
      model.onHold = false;
      return undefined;
    }
    case 'deliver': {
      const rule = statusRule(model, 'open');
      if (rule) return rule;
      const line = lineOf(model, action.id);
      if (!line) return 'LINE_NOT_FOUND';
      if (action.qty <= 0n) return 'INVALID_QTY';
      // At most the ordered quantity plus the allowance, exactly.
      if ((line.delivered + action.qty) * HUNDRED_MICRO > line.qty * (HUNDRED_MICRO + config.overDelivery)) {
        return 'OVER_DELIVERY';
      }
      line.delivered += action.qty;
      return undefined;
    }
    case 'bill': {
      const rule = statusRule(model, 'open');
      if (rule) return rule;
      const line = lineOf(model, action.id);
      if (!line) return 'LINE_NOT_FOUND';
      const amount = amountOf(config, line);
      if ((action.cents < 0n && amount >= 0n) || (action.cents > 0n && amount < 0n)) return 'BILLING_SIGN_MISMATCH';
      // At most the line amount plus the allowance, in absolute value, exactly.
      if (abs(line.billed + action.cents) * HUNDRED_MICRO > abs(amount) * (HUNDRED_MICRO + config.overBilling)) {
        return 'OVER_BILLING';
      }
      line.billed += action.cents;
      line.billingRecorded = true;
      return undefined;
    }
    case 'update-items-qty':
    case 'update-items-add':
    case 'update-items-remove': {
      const rule = statusRule(model, 'open') ?? (completed() ? 'ORDER_COMPLETED' : undefined);
      if (rule) return rule;
      const next = cloneModel(model);
      const refusal = updateItems(next, action);
      if (refusal) return refusal;
      if (next.lines.length === 0) return 'ORDER_HAS_NO_LINES';
      if (modelTotals(next).grandTotal < 0n) return 'GRAND_TOTAL_NEGATIVE';
      next.header = latestDate(next) ?? next.header;
      Object.assign(model, next);
      return undefined;
    }
  }
}

function updateItems(model: Model, action: Extract<Action, { kind: `update-items-${string}` }>): string | undefined {
  if (action.kind === 'update-items-remove') {
    const line = lineOf(model, action.id);
    if (!line) return 'LINE_NOT_FOUND';
    if (line.delivered !== 0n) return 'LINE_HAS_DELIVERIES';
    if (line.billingRecorded) return 'LINE_HAS_BILLINGS';
    model.lines = model.lines.filter((candidate) => candidate !== line);
    return undefined;
  }
  const { config } = model;
  if (action.kind === 'update-items-qty') {
    const line = lineOf(model, action.id);
    if (!line) return 'LINE_NOT_FOUND';
    const qty = action.qty ?? line.qty;
    const rate = action.rate === undefined ? line.rate : rateOf(config, action.rate);
    if (qty <= 0n) return 'INVALID_QTY';
    if (qty < line.delivered) return 'QTY_BELOW_DELIVERED';
    if (abs(amountOf(config, { rate, qty })) < abs(line.billed)) return 'AMOUNT_BELOW_BILLED';
    const date = action.date ?? line.date;
    if (date !== null && date < TRANSACTION_DATE) return 'DELIVERY_BEFORE_ORDER_DATE';
    // A rate set directly replaces the one derived from the price list (the price-list rate stays).
    Object.assign(line, { qty, rate, date, discount: action.rate === undefined ? line.discount : 0n });
    return undefined;
  }
  if (lineOf(model, action.id)) return 'DUPLICATE_LINE_ID';
  if (action.qty <= 0n) return 'INVALID_QTY';
  const date = action.date ?? model.header;
  if (date !== null && date < TRANSACTION_DATE) return 'DELIVERY_BEFORE_ORDER_DATE';
  model.lines.push({
    id: action.id,
    qty: action.qty,
    ...priced(config, action.price),
    date,
    delivered: 0n,
    billed: 0n,
    billingRecorded: false,
  });
  return undefined;
}
