/**
 * W7's order history: a year of sales orders for a hundred customers, written straight as the events the
 * SalesOrder decider emits (running the decider for 100,000 orders would take longer than the benchmark), plus
 * the sales figures that history must produce, computed from the plan alone so that both sides of W7 can be
 * checked against something neither of them computed. {@link checkAgainstDecider} proves on a sample that the
 * events written here are exactly the decider's.
 */
import { isDeepStrictEqual } from 'node:util';
import { type NewEvent, SalesOrder, type SalesOrderCommand, type SalesOrderState, type StreamAppend } from 'ordo';

/** The one company and currency of the history (the read models key rows by both; one of each is the usual case). */
export const COMPANY = 'Acme';
export const CURRENCY = 'USD';
/** The first day of the year the orders are spread over. */
const FIRST_DAY_MS = Date.UTC(2025, 0, 1);
const DAYS = 365;

/** What happens to an order after it is created with its lines. */
export type Outcome = 'draft' | 'submitted' | 'cancelled' | 'closed';

/** One order of the history: everything its events say. */
export interface OrderPlan {
  readonly orderId: string;
  readonly customerId: string;
  readonly date: string;
  readonly lines: readonly {
    readonly lineId: string;
    readonly itemCode: string;
    readonly qty: number;
    /** The unit rate in cents (the currency has two decimals). */
    readonly rateCents: number;
  }[];
  /** Σ qty × rate, in cents: the net total and grand total (no discount, no tax). */
  readonly totalCents: number;
  readonly outcome: Outcome;
}

/** A customer's figures as the customer order summary shows them, amounts in cents. */
export interface CustomerTotals {
  totalOrders: number;
  totalCents: number;
  lastOrderDate: string;
  openOrders: number;
}

/** A (date, company, customer, currency) row of the daily dashboard, amount in cents. */
export interface DayTotals {
  readonly date: string;
  readonly company: string;
  readonly customerId: string;
  readonly currency: string;
  totalCents: number;
  orderCount: number;
}

/** The two read models' contents: customer summaries by `customerId|currency`, day rows by their four keys. */
export interface SalesFigures {
  readonly customers: Map<string, CustomerTotals & { readonly customerId: string; readonly currency: string }>;
  readonly days: Map<string, DayTotals>;
}

/** An empty {@link SalesFigures}. */
export function emptyFigures(): SalesFigures {
  return { customers: new Map(), days: new Map() };
}

/**
 * Counts one order into `figures` as the read models count it: a submitted order that was not cancelled, with
 * its net total on its transaction date; open unless closed (nothing is delivered or billed, so none completes).
 */
export function countOrder(
  figures: SalesFigures,
  order: {
    readonly customerId: string;
    readonly company: string;
    readonly currency: string;
    readonly date: string;
    readonly totalCents: number;
    readonly closed: boolean;
  },
): void {
  const customerKey = `${order.customerId}|${order.currency}`;
  let customer = figures.customers.get(customerKey);
  if (!customer) {
    customer = {
      customerId: order.customerId,
      currency: order.currency,
      totalOrders: 0,
      totalCents: 0,
      lastOrderDate: '',
      openOrders: 0,
    };
    figures.customers.set(customerKey, customer);
  }
  customer.totalOrders += 1;
  customer.totalCents += order.totalCents;
  if (order.date > customer.lastOrderDate) customer.lastOrderDate = order.date;
  if (!order.closed) customer.openOrders += 1;
  const dayKey = `${order.date}|${order.company}|${order.customerId}|${order.currency}`;
  let day = figures.days.get(dayKey);
  if (!day) {
    day = {
      date: order.date,
      company: order.company,
      customerId: order.customerId,
      currency: order.currency,
      totalCents: 0,
      orderCount: 0,
    };
    figures.days.set(dayKey, day);
  }
  day.totalCents += order.totalCents;
  day.orderCount += 1;
}

/** Cents as the decimal string `Money` writes for a two-decimal currency (`1234` → `"12.34"`). */
export function centsToAmount(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** A decimal string of at most two decimals as cents (`"12.5"` → `1250`); anything else throws. */
export function amountToCents(amount: string): number {
  const match = /^(-?)(\d+)(?:\.(\d{1,2}))?$/.exec(amount);
  if (!match) throw new Error(`w7: "${amount}" is not an amount of at most two decimals`);
  const cents = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  return match[1] === '-' ? -cents : cents;
}

/** mulberry32: a small seeded generator, so every run writes the same history. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const isoDate = (dayIndex: number): string => new Date(FIRST_DAY_MS + dayIndex * 86_400_000).toISOString().slice(0, 10);

/**
 * The order history: `orders` orders in date order over a year, for `customers` customers, 1 to 3 lines each.
 * About 4% stay drafts, 8% are cancelled and 8% closed after submission; the rest stay submitted and open.
 */
export function* planOrders(orders: number, customers: number, seed = 7): Generator<OrderPlan> {
  const random = seeded(seed);
  const pick = (n: number): number => Math.floor(random() * n);
  for (let index = 0; index < orders; index++) {
    const lineCount = 1 + pick(3);
    const lines = [];
    let totalCents = 0;
    for (let line = 1; line <= lineCount; line++) {
      const qty = 1 + pick(9);
      const rateCents = 100 + pick(49_900);
      totalCents += qty * rateCents;
      lines.push({ lineId: `L${line}`, itemCode: `ITEM-${String(pick(500)).padStart(3, '0')}`, qty, rateCents });
    }
    const roll = random();
    const outcome: Outcome = roll < 0.04 ? 'draft' : roll < 0.12 ? 'cancelled' : roll < 0.2 ? 'closed' : 'submitted';
    yield {
      orderId: `SO-${String(index + 1).padStart(7, '0')}`,
      customerId: `CUST-${String(pick(customers) + 1).padStart(3, '0')}`,
      date: isoDate(Math.floor((index * DAYS) / orders)),
      lines,
      totalCents,
      outcome,
    };
  }
}

/** When each of an order's events was decided: the order's day, created at 9:00, submitted at 10:00, ended at 16:00. */
function instants(plan: OrderPlan): { readonly created: string; readonly submitted: string; readonly ended: string } {
  return {
    created: `${plan.date}T09:00:00.000Z`,
    submitted: `${plan.date}T10:00:00.000Z`,
    ended: `${plan.date}T16:00:00.000Z`,
  };
}

/**
 * The order's events as the decider emits them: created, lines and (unless a draft) submitted, appended together,
 * and the cancellation or closing, if any, appended later as a follow-up.
 */
export function orderEvents(plan: OrderPlan): { readonly opening: NewEvent[]; readonly followUp?: NewEvent } {
  const { orderId } = plan;
  const at = instants(plan);
  const opening: NewEvent[] = [
    {
      type: 'SalesOrderCreated',
      data: {
        orderId,
        customerId: plan.customerId,
        company: COMPANY,
        currency: CURRENCY,
        transactionDate: plan.date,
        deliveryDate: plan.date,
        pricing: { roundingMethod: 'half-even', roundedTotal: false, smallestFraction: null },
        createdAt: at.created,
      },
    },
  ];
  for (const line of plan.lines) {
    const rate = centsToAmount(line.rateCents);
    opening.push({
      type: 'SalesOrderLineAdded',
      data: {
        orderId,
        line: {
          lineId: line.lineId,
          itemCode: line.itemCode,
          qty: String(line.qty),
          uom: 'Nos',
          priceListRate: rate,
          discountPercentage: '0',
          rate,
          deliveryDate: null,
          warehouse: 'Main',
        },
      },
    });
  }
  if (plan.outcome === 'draft') return { opening };
  opening.push({
    type: 'SalesOrderSubmitted',
    data: {
      orderId,
      customerId: plan.customerId,
      deliveryDate: plan.date,
      grandTotal: { amount: centsToAmount(plan.totalCents), currency: CURRENCY },
      submittedAt: at.submitted,
    },
  });
  if (plan.outcome === 'cancelled') {
    return { opening, followUp: { type: 'SalesOrderCancelled', data: { orderId, reason: null, at: at.ended } } };
  }
  if (plan.outcome === 'closed') {
    return { opening, followUp: { type: 'SalesOrderClosed', data: { orderId, at: at.ended } } };
  }
  return { opening };
}

/** What {@link populateOrders} wrote. */
export interface PopulatedHistory {
  readonly orders: number;
  readonly events: number;
  /** The figures the read models must show, from the plan. */
  readonly expected: SalesFigures;
}

/**
 * Appends the history with `appendMany`, `ordersPerCall` orders per call: each call writes the opening events of
 * its orders and the follow-ups (cancellations, closings) of the previous call's orders, so those land later in the
 * log, as they would in life.
 */
export async function populateOrders(
  appendMany: (appends: readonly StreamAppend[]) => Promise<unknown>,
  orders: number,
  customers: number,
  ordersPerCall: number,
): Promise<PopulatedHistory> {
  const expected = emptyFigures();
  let events = 0;
  let pending: StreamAppend[] = [];
  let batch: StreamAppend[] = [];
  let followUps: StreamAppend[] = [];
  const flush = async (): Promise<void> => {
    const appends = [...pending, ...batch];
    if (appends.length > 0) await appendMany(appends);
    for (const append of appends) events += append.events.length;
    pending = followUps;
    batch = [];
    followUps = [];
  };
  for (const plan of planOrders(orders, customers)) {
    const { opening, followUp } = orderEvents(plan);
    const streamId = SalesOrder.streamId(plan.orderId);
    batch.push({ streamId, events: opening, expectedVersion: 'no_stream' });
    if (followUp) followUps.push({ streamId, events: [followUp], expectedVersion: opening.length });
    if (plan.outcome === 'submitted' || plan.outcome === 'closed') {
      countOrder(expected, {
        customerId: plan.customerId,
        company: COMPANY,
        currency: CURRENCY,
        date: plan.date,
        totalCents: plan.totalCents,
        closed: plan.outcome === 'closed',
      });
    }
    if (batch.length >= ordersPerCall) await flush();
  }
  await flush();
  await flush();
  return { orders, events, expected };
}

/**
 * Runs the SalesOrder decider on the first `count` orders of the history and throws unless it emits exactly the
 * events {@link orderEvents} writes: the history is what the domain would have recorded.
 */
export function checkAgainstDecider(count: number, customers: number, orders: number): void {
  let checked = 0;
  for (const plan of planOrders(orders, customers)) {
    if (checked++ >= count) return;
    const { orderId } = plan;
    const at = instants(plan);
    const steps: [string, SalesOrderCommand][] = [
      [
        at.created,
        {
          type: 'CreateSalesOrder',
          data: {
            orderId,
            customerId: plan.customerId,
            company: COMPANY,
            currency: CURRENCY,
            transactionDate: plan.date,
            deliveryDate: plan.date,
          },
        },
      ],
      ...plan.lines.map((line): [string, SalesOrderCommand] => [
        at.created,
        {
          type: 'AddSalesOrderLine',
          data: {
            orderId,
            line: {
              lineId: line.lineId,
              itemCode: line.itemCode,
              qty: String(line.qty),
              uom: 'Nos',
              rate: centsToAmount(line.rateCents),
              warehouse: 'Main',
            },
          },
        },
      ]),
    ];
    if (plan.outcome !== 'draft') steps.push([at.submitted, { type: 'SubmitSalesOrder', data: { orderId } }]);
    if (plan.outcome === 'cancelled') steps.push([at.ended, { type: 'CancelSalesOrder', data: { orderId } }]);
    if (plan.outcome === 'closed') steps.push([at.ended, { type: 'CloseSalesOrder', data: { orderId } }]);
    let state: SalesOrderState = SalesOrder.initialState;
    const decided: unknown[] = [];
    for (const [now, command] of steps) {
      const events = SalesOrder.decide(command, state, {
        now: new Date(now),
        newId: () => {
          throw new Error('w7: every id is given');
        },
      });
      state = events.reduce(SalesOrder.evolve, state);
      decided.push(...events);
    }
    const { opening, followUp } = orderEvents(plan);
    const written = followUp ? [...opening, followUp] : opening;
    if (!isDeepStrictEqual(JSON.parse(JSON.stringify(decided)), written)) {
      throw new Error(`w7: the events written for ${orderId} are not the decider's: ${JSON.stringify(decided)}`);
    }
    if (state.exists && plan.totalCents !== amountToCents(state.totals.netTotal)) {
      throw new Error(`w7: ${orderId} totals ${state.totals.netTotal}, the plan ${centsToAmount(plan.totalCents)}`);
    }
  }
}
