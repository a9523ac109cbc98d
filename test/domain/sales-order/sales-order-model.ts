/**
 * A small, independent model of a sales order for the model-based test: integer arithmetic (quantities in
 * thousandths, money in cents, percentages in basis points, all `bigint`), its own half-even rounding and its own
 * statement of every rule, in USD with the default settings. It shares no code with `src/domain/sales-order/`.
 */

export const TRANSACTION_DATE = '2026-01-10';

export interface ModelLine {
  readonly id: string;
  qty: bigint; // thousandths
  rate: bigint; // cents
  date: string | null;
  delivered: bigint; // thousandths
  billed: bigint; // cents
  billingRecorded: boolean;
}

export type ModelDiscount =
  | { readonly kind: 'percentage'; readonly basisPoints: bigint; readonly onNet: boolean }
  | { readonly kind: 'amount'; readonly cents: bigint; readonly onNet: boolean };

export type ModelTax =
  | { readonly id: string; readonly kind: 'percentage'; readonly basisPoints: bigint }
  | { readonly id: string; readonly kind: 'actual'; readonly cents: bigint };

export interface Model {
  exists: boolean;
  phase: 'draft' | 'submitted' | 'cancelled';
  onHold: boolean;
  closed: boolean;
  header: string | null;
  lines: ModelLine[];
  discount: ModelDiscount | null;
  taxes: ModelTax[];
}

export function emptyModel(): Model {
  return {
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

/** What the model is asked to do (mirrors the commands, with integer values). */
export type Action =
  | { readonly kind: 'create' }
  | {
      readonly kind: 'add-line';
      readonly id: string;
      readonly qty: bigint;
      readonly rate: bigint;
      readonly date: string | null;
    }
  | {
      readonly kind: 'update-line';
      readonly id: string;
      readonly qty?: bigint;
      readonly rate?: bigint;
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
      readonly rate?: bigint;
      readonly date?: string;
    }
  | {
      readonly kind: 'update-items-add';
      readonly id: string;
      readonly qty: bigint;
      readonly rate: bigint;
      readonly date?: string;
    }
  | { readonly kind: 'update-items-remove'; readonly id: string };

// ------------------------------------------------------------------------------------------------------------------
// Arithmetic

const abs = (value: bigint) => (value < 0n ? -value : value);
const min = (a: bigint, b: bigint) => (a < b ? a : b);

/** `numerator / denominator` rounded half to even. */
export function roundDiv(numerator: bigint, denominator: bigint): bigint {
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
  const twice = 2n * remainder;
  if (twice > d || (twice === d && quotient % 2n !== 0n)) quotient += 1n;
  return quotient;
}

/** Cents as the decimal string Money writes for USD: `-0.62`, `0.00`, `12.30`. */
export function formatCents(cents: bigint): string {
  const magnitude = abs(cents);
  const text = `${magnitude / 100n}.${(magnitude % 100n).toString().padStart(2, '0')}`;
  return cents < 0n ? `-${text}` : text;
}

/** Thousandths as a canonical decimal string: `3.25`, `-1`, `0`. */
export function formatMilli(milli: bigint): string {
  const magnitude = abs(milli);
  const fraction = (magnitude % 1000n).toString().padStart(3, '0').replace(/0+$/, '');
  const text = `${magnitude / 1000n}${fraction ? `.${fraction}` : ''}`;
  return milli < 0n && magnitude !== 0n ? `-${text}` : text;
}

/** A percentage `done / of × 100`, 6 decimals rounded down, canonical. */
function formatPercent(done: bigint, of: bigint): string {
  const micro = (done * 100n * 1_000_000n) / of;
  const fraction = (micro % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${micro / 1_000_000n}${fraction ? `.${fraction}` : ''}`;
}

export interface ModelTotals {
  readonly amounts: readonly bigint[];
  readonly nets: readonly bigint[];
  readonly total: bigint;
  readonly netTotal: bigint;
  readonly grandTotal: bigint;
}

function taxAmounts(taxes: readonly ModelTax[], netTotal: bigint, hasLines: boolean): { sum: bigint; actual: bigint } {
  let sum = 0n;
  let actual = 0n;
  for (const tax of taxes) {
    if (tax.kind === 'percentage') sum += roundDiv(netTotal * tax.basisPoints, 10_000n);
    else if (hasLines) {
      sum += tax.cents;
      actual += tax.cents;
    }
  }
  return { sum, actual };
}

/** The totals as ERPNext computes them, in cents. */
export function modelTotals(model: Model): ModelTotals {
  const amounts = model.lines.map((line) => roundDiv(line.rate * line.qty, 1000n));
  const total = amounts.reduce((a, b) => a + b, 0n);
  const hasLines = amounts.length > 0;
  let shares = amounts.map(() => 0n);
  let target: bigint | null = null;
  const { discount } = model;
  if (discount && hasLines) {
    const undiscounted = taxAmounts(model.taxes, total, hasLines);
    const grand0 = total + undiscounted.sum;
    const requested =
      discount.kind === 'percentage'
        ? roundDiv((discount.onNet ? total : grand0) * discount.basisPoints, 10_000n)
        : discount.cents;
    const base = discount.onNet ? total : grand0 - undiscounted.actual;
    if (base !== 0n && requested !== 0n) {
      const onLines = discount.onNet ? requested : roundDiv(requested * total, base);
      shares = amounts.map((amount) => roundDiv(requested * amount, base));
      shares[shares.length - 1] = onLines - shares.slice(0, -1).reduce((a, b) => a + b, 0n);
      if (!discount.onNet) target = grand0 - requested;
    }
  }
  const nets = amounts.map((amount, index) => amount - (shares[index] ?? 0n));
  const netTotal = nets.reduce((a, b) => a + b, 0n);
  const grandTotal = target ?? netTotal + taxAmounts(model.taxes, netTotal, hasLines).sum;
  return { amounts, nets, total, netTotal, grandTotal };
}

export function percentDelivered(model: Model): string {
  if (model.phase === 'draft') return '0';
  const ordered = model.lines.reduce((sum, line) => sum + abs(line.qty), 0n);
  const done = model.lines.reduce((sum, line) => sum + min(abs(line.delivered), abs(line.qty)), 0n);
  return ordered === 0n ? '0' : formatPercent(done, ordered);
}

export function percentBilled(model: Model): string {
  if (model.phase === 'draft') return '0';
  const { amounts } = modelTotals(model);
  const total = amounts.reduce((sum, amount) => sum + abs(amount), 0n);
  if (total === 0n) return model.lines.length > 0 && model.lines.every((line) => line.billingRecorded) ? '100' : '0';
  const done = model.lines.reduce((sum, line, index) => sum + min(abs(line.billed), abs(amounts[index] ?? 0n)), 0n);
  return formatPercent(done, total);
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
const lineAmount = (line: ModelLine) => roundDiv(line.rate * line.qty, 1000n);

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
  switch (action.kind) {
    case 'create':
      if (model.exists) return 'ORDER_ALREADY_EXISTS';
      Object.assign(model, emptyModel(), { exists: true });
      return undefined;
    case 'add-line': {
      const rule = statusRule(model, 'draft') ?? (lineOf(model, action.id) ? 'DUPLICATE_LINE_ID' : undefined);
      if (rule) return rule;
      model.lines.push({
        id: action.id,
        qty: action.qty,
        rate: action.rate,
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
      if (action.rate !== undefined) line.rate = action.rate;
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
      if (line.delivered + action.qty > line.qty) return 'OVER_DELIVERY';
      line.delivered += action.qty;
      return undefined;
    }
    case 'bill': {
      const rule = statusRule(model, 'open');
      if (rule) return rule;
      const line = lineOf(model, action.id);
      if (!line) return 'LINE_NOT_FOUND';
      const amount = lineAmount(line);
      if ((action.cents < 0n && amount >= 0n) || (action.cents > 0n && amount < 0n)) return 'BILLING_SIGN_MISMATCH';
      if (abs(line.billed + action.cents) > abs(amount)) return 'OVER_BILLING';
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
  if (action.kind === 'update-items-qty') {
    const line = lineOf(model, action.id);
    if (!line) return 'LINE_NOT_FOUND';
    const qty = action.qty ?? line.qty;
    const rate = action.rate ?? line.rate;
    if (qty <= 0n) return 'INVALID_QTY';
    if (qty < line.delivered) return 'QTY_BELOW_DELIVERED';
    if (abs(roundDiv(rate * qty, 1000n)) < abs(line.billed)) return 'AMOUNT_BELOW_BILLED';
    const date = action.date ?? line.date;
    if (date !== null && date < TRANSACTION_DATE) return 'DELIVERY_BEFORE_ORDER_DATE';
    Object.assign(line, { qty, rate, date });
    return undefined;
  }
  if (lineOf(model, action.id)) return 'DUPLICATE_LINE_ID';
  if (action.qty <= 0n) return 'INVALID_QTY';
  const date = action.date ?? model.header;
  if (date !== null && date < TRANSACTION_DATE) return 'DELIVERY_BEFORE_ORDER_DATE';
  model.lines.push({
    id: action.id,
    qty: action.qty,
    rate: action.rate,
    date,
    delivered: 0n,
    billed: 0n,
    billingRecorded: false,
  });
  return undefined;
}
