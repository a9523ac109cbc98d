/**
 * A long, genuine sales order history for the rehydration benchmark (W3): every event is produced by
 * `SalesOrder.decide` from a command chosen by a seeded random walk, so the stream is one the aggregate could
 * really have written, and folding it costs what folding a real order costs.
 *
 * The walk keeps the order realistic in size: between 6 and 20 lines, at most 3 tax rows. The first 30% of
 * the events edit the draft (lines added, updated and removed, order discount and tax rows set and removed,
 * the delivery date moved), then the order is submitted and the rest is its life after submit: partial
 * deliveries and billings, "Update Items" raising quantities and rates (which keeps room for more deliveries
 * and billings, so the order never completes) or adding and removing lines, and holds and closes that are
 * resumed and reopened. Every price change reprices the order, every delivery and billing moves its
 * percentages, so `evolve` does all of its kinds of work, each at the cost of an order of about 15 lines.
 */
import {
  type ExistingSalesOrder,
  type NewEvent,
  SalesOrder,
  type SalesOrderCommand,
  type SalesOrderContext,
  type SalesOrderEvent,
  type SalesOrderState,
} from 'ordo';

/** Lines the walk keeps the order between. */
const MIN_LINES = 6;
const MAX_LINES = 20;
const MAX_TAXES = 3;
/** Share of the events spent editing the draft before it is submitted. */
const DRAFT_SHARE = 0.3;
const WAREHOUSES = ['Stores - WH', 'Finished Goods - WH', 'Transit - WH'];
const UOMS = ['Nos', 'Box', 'Kg'];
/** When the first command is handled; each further command is a minute later. */
const START = Date.parse('2026-01-05T08:00:00.000Z');

/** A sales order's history: the events as they are appended, with the metadata a command handler stamps. */
export interface SalesOrderHistory {
  readonly orderId: string;
  readonly events: readonly NewEvent[];
  /** How many events of each type, for the result line. */
  readonly typeCounts: Readonly<Record<string, number>>;
}

/** A small, fast, seeded PRNG (mulberry32), so every run writes the same history. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * `count` events of one sales order `orderId`, decided command by command from `SalesOrderCreated` on.
 * Deterministic for a given `seed`.
 */
export function salesOrderHistory(orderId: string, count: number, seed = 42): SalesOrderHistory {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const between = (low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
  const money = (low: number, high: number): string => (low + random() * (high - low)).toFixed(2);
  const date = (): string => `2026-02-${String(between(1, 28)).padStart(2, '0')}`;

  const events: NewEvent[] = [];
  const typeCounts: Record<string, number> = {};
  let state: SalesOrderState = SalesOrder.initialState;
  let commands = 0;
  let ids = 0;
  let lineNumber = 0;
  let taxNumber = 0;
  const context = (): SalesOrderContext => ({
    now: new Date(START + commands * 60_000),
    newId: () => `id-${++ids}`,
  });

  /** Decides `command`; appends its events when they fit in what is left. False when refused or too many. */
  const handle = (command: SalesOrderCommand): boolean => {
    let decided: readonly SalesOrderEvent[];
    try {
      decided = SalesOrder.decide(command, state, context());
    } catch (error) {
      if (SalesOrder.isRuleError(error)) return false;
      throw error;
    }
    if (decided.length === 0 || events.length + decided.length > count) return false;
    commands += 1;
    const commandId = `cmd-${String(commands).padStart(6, '0')}`;
    for (const event of decided) {
      state = SalesOrder.evolve(state, event);
      typeCounts[event.type] = (typeCounts[event.type] ?? 0) + 1;
      events.push({
        type: event.type,
        data: event.data as NewEvent['data'],
        metadata: { actor: 'bench', correlationId: commandId, causationId: commandId, commandId },
      });
    }
    return true;
  };

  const order = (): ExistingSalesOrder => {
    if (!state.exists) throw new Error('the order does not exist');
    return state;
  };

  const newLine = () => {
    lineNumber += 1;
    const base = {
      lineId: `L${lineNumber}`,
      itemCode: `ITEM-${String(between(1, 500)).padStart(4, '0')}`,
      qty: String(between(5, 60)),
      uom: pick(UOMS),
      warehouse: pick(WAREHOUSES),
      ...(random() < 0.3 ? { deliveryDate: date() } : {}),
    };
    return random() < 0.5
      ? { ...base, rate: money(2, 400) }
      : { ...base, priceListRate: money(2, 400), discountPercentage: String(between(0, 15)) };
  };

  /** One draft edit. */
  const draftCommand = (): SalesOrderCommand => {
    const { lines, taxes, discount } = order();
    const roll = random();
    if (lines.length < MIN_LINES || (roll < 0.25 && lines.length < MAX_LINES)) {
      return { type: 'AddSalesOrderLine', data: { orderId, line: newLine() } };
    }
    if (roll < 0.35 && lines.length > MIN_LINES) {
      return { type: 'RemoveSalesOrderLine', data: { orderId, lineId: pick(lines).lineId } };
    }
    if (roll < 0.8) {
      const lineId = pick(lines).lineId;
      const which = random();
      const changes =
        which < 0.4
          ? { qty: String(between(1, 80)) }
          : which < 0.6
            ? { rate: money(2, 400) }
            : which < 0.8
              ? { discountPercentage: String(between(0, 20)) }
              : { deliveryDate: random() < 0.8 ? date() : null };
      return { type: 'UpdateSalesOrderLine', data: { orderId, lineId, changes } };
    }
    if (roll < 0.86) {
      return {
        type: 'SetSalesOrderDiscount',
        data: {
          orderId,
          discount:
            random() < 0.6
              ? { kind: 'percentage', percentage: String(between(1, 10)), applyOn: pick(['grand_total', 'net_total']) }
              : { kind: 'amount', amount: money(1, 50), applyOn: pick(['grand_total', 'net_total']) },
        },
      };
    }
    if (roll < 0.89 && discount !== null) return { type: 'RemoveSalesOrderDiscount', data: { orderId } };
    if (roll < 0.94 && taxes.length < MAX_TAXES) {
      taxNumber += 1;
      const taxId = `T${taxNumber}`;
      return {
        type: 'AddSalesOrderTax',
        data: {
          orderId,
          tax:
            random() < 0.7
              ? { taxId, description: 'VAT', kind: 'on_net_total', rate: pick(['5', '7.5', '19', '20']) }
              : { taxId, description: 'Freight', kind: 'actual', amount: money(5, 80) },
        },
      };
    }
    if (roll < 0.97 && taxes.length > 1) {
      return { type: 'RemoveSalesOrderTax', data: { orderId, taxId: pick(taxes).taxId } };
    }
    return { type: 'SetSalesOrderDeliveryDate', data: { orderId, deliveryDate: date() } };
  };

  /** "Update Items" giving `lines` more quantity (so more can be delivered and billed), sometimes a higher rate. */
  const raise = (lines: readonly ExistingSalesOrder['lines'][number][]): SalesOrderCommand => ({
    type: 'UpdateSalesOrderItems',
    data: {
      orderId,
      update: lines.map((line) => ({
        lineId: line.lineId,
        qty: String(Number(line.qty) + between(5, 30)),
        ...(random() < 0.2 ? { rate: (Number(line.rate) + between(1, 20)).toFixed(2) } : {}),
      })),
    },
  });

  /** One command on the submitted order. */
  const submittedCommand = (): SalesOrderCommand => {
    const current = order();
    const { lines } = current;
    if (current.onHold) return { type: 'ResumeSalesOrder', data: { orderId } };
    if (current.closed) return { type: 'ReopenSalesOrder', data: { orderId } };
    const roll = random();
    const some = () => {
      const chosen = new Set<(typeof lines)[number]>();
      const wanted = between(1, 3);
      while (chosen.size < wanted) chosen.add(pick(lines));
      return [...chosen];
    };
    if (roll < 0.4) {
      const deliveries = some()
        .map((line) => ({ line, qty: between(1, 3) }))
        .filter(({ line, qty }) => Number(line.deliveredQty) + qty <= Number(line.qty));
      if (deliveries.length === 0) return raise(some());
      return {
        type: 'RecordSalesOrderDelivery',
        data: {
          orderId,
          reference: `DN-${commands}`,
          lines: deliveries.map(({ line, qty }) => ({ lineId: line.lineId, qty: String(qty) })),
        },
      };
    }
    if (roll < 0.8) {
      // One unit's worth per line, while the line has that much left to bill.
      const billings = some().filter((line) => Number(line.billedAmount) + Number(line.rate) <= Number(line.amount));
      if (billings.length === 0) return raise(some());
      return {
        type: 'RecordSalesOrderBilling',
        data: {
          orderId,
          reference: `SINV-${commands}`,
          lines: billings.map((line) => ({ lineId: line.lineId, amount: line.rate })),
        },
      };
    }
    if (roll < 0.93) return raise(some());
    if (roll < 0.96) {
      const removable = lines.filter((line) => Number(line.deliveredQty) === 0 && !line.billingRecorded);
      const remove = lines.length > MIN_LINES && removable.length > 0 ? [pick(removable).lineId] : [];
      const add = lines.length - remove.length < MAX_LINES ? [newLine()] : [];
      return { type: 'UpdateSalesOrderItems', data: { orderId, add, remove } };
    }
    if (roll < 0.98) return { type: 'HoldSalesOrder', data: { orderId, reason: 'Customer asked to wait' } };
    return { type: 'CloseSalesOrder', data: { orderId } };
  };

  handle({
    type: 'CreateSalesOrder',
    data: {
      orderId,
      customerId: 'CUST-ACME',
      company: 'Ordo Trading',
      currency: 'USD',
      transactionDate: '2026-01-05',
      deliveryDate: '2026-02-15',
    },
  });
  const draftEvents = Math.max(MIN_LINES + 1, Math.round(count * DRAFT_SHARE));
  let refusals = 0;
  while (events.length < count) {
    const current = order();
    const command =
      current.docStatus === 'draft'
        ? events.length >= draftEvents && current.lines.length >= MIN_LINES
          ? ({ type: 'SubmitSalesOrder', data: { orderId } } as const)
          : draftCommand()
        : submittedCommand();
    if (handle(command)) {
      refusals = 0;
    } else if (++refusals > 1_000) {
      throw new Error(`salesOrderHistory: stuck at ${events.length} events of ${count}`);
    }
  }
  return { orderId, events, typeCounts };
}
