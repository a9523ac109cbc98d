/**
 * Drives the ERP's use cases at random, as a busy host would: places orders (some as drafts), submits, holds and
 * resumes, delivers, invoices, takes payments and cancels. Every call runs as a tracked call, so the caller learns
 * exactly which batches committed; a refused call must have committed none, and anything thrown must be a typed
 * `OrdoError`. The driver only touches the orders it placed itself, so several drivers can share a store.
 */
import { isOrdoError } from '../../src/kernel/errors.js';
import type { Erp } from '../../src/services/erp.js';
import { CURRENCY, CUSTOMERS, committedBatches, ITEMS, type TrackedAppend, withCall } from './erp-fixture.js';

/** The use cases the driver calls. */
export type DriverOperation = 'place' | 'submit' | 'hold' | 'resume' | 'deliver' | 'invoice' | 'pay' | 'cancel';

/** Relative weights of the operations; an operation with weight 0 is never chosen. */
export type DriverMix = Readonly<Partial<Record<DriverOperation, number>>>;

/** The soak's mix: every use case, orders flowing through their whole life. */
export const FULL_MIX: DriverMix = {
  place: 6,
  submit: 2,
  hold: 1,
  resume: 1,
  deliver: 3,
  invoice: 3,
  pay: 2,
  cancel: 2,
};

/** What one step did. */
export interface DriverStep {
  readonly operation: DriverOperation;
  /** `ok`: the use case succeeded; `refused`: it returned errors; `thrown`: it threw (see `error`). */
  readonly outcome: 'ok' | 'refused' | 'thrown';
  /** Batches that committed during the call. */
  readonly committed: readonly string[];
  /** Error codes of a refusal, or the code of what was thrown. */
  readonly codes: readonly string[];
  /** What the call was about, for acknowledgement logs: `<orderId> <item>:<qty>,...` for a placement, else the id. */
  readonly detail: string;
  /** A broken guarantee seen in this step (an untyped throw, a refusal that wrote, an error without a path). */
  readonly problem?: string;
  readonly error?: unknown;
}

interface KnownOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly lines: readonly { readonly itemCode: string; readonly qty: number }[];
  state: 'draft' | 'open' | 'held' | 'delivered' | 'invoiced' | 'cancelled';
}

/** Optional behaviour of {@link createErpDriver}. */
export interface DriverOptions {
  /** Share of placements made as drafts (submitted later). @defaultValue `0.15` */
  readonly draftShare?: number;
}

/** A driver over one ERP; see the module comment. */
export interface ErpDriver {
  /** Runs one use case chosen by the mix. */
  step(): Promise<DriverStep>;
  /** Runs one given use case (the mix is ignored). */
  run(operation: DriverOperation): Promise<DriverStep>;
}

/**
 * Creates a driver. `ordersPrefix` makes its order ids unique among drivers (`SO-<prefix>-<n>`), so that a log
 * line names an order no other driver touches.
 */
export function createErpDriver(
  erp: Erp,
  random: () => number,
  ordersPrefix: string,
  mix: DriverMix,
  options: DriverOptions = {},
): ErpDriver {
  const draftShare = options.draftShare ?? 0.15;
  const orders: KnownOrder[] = [];
  let sequence = 0;
  const weights = Object.entries(mix).filter(([, weight]) => (weight ?? 0) > 0) as [DriverOperation, number][];
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  const pick = <T>(items: readonly T[]): T | undefined => items[Math.floor(random() * items.length)];
  const inState = (...states: KnownOrder['state'][]) => orders.filter((order) => states.includes(order.state));

  const choose = (): DriverOperation => {
    let roll = random() * total;
    for (const [operation, weight] of weights) {
      roll -= weight;
      if (roll < 0) return operation;
    }
    return 'place';
  };

  /** Runs a use case as a tracked call and classifies what came back. */
  const call = async (
    operation: DriverOperation,
    detail: string,
    work: () => Promise<{ ok: boolean; errors?: readonly { code: string; path?: readonly unknown[] }[] }>,
  ): Promise<DriverStep & { ok: boolean }> => {
    let tracked: { result: Awaited<ReturnType<typeof work>>; appends: readonly TrackedAppend[] };
    const attempts: TrackedAppend[] = [];
    try {
      tracked = await withCall(work, attempts);
    } catch (error) {
      const code = isOrdoError(error) ? error.code : 'UNTYPED';
      return {
        ok: false,
        operation,
        outcome: 'thrown',
        committed: committedBatches(attempts),
        codes: [code],
        detail,
        error,
        ...(isOrdoError(error) ? {} : { problem: `${operation} ${detail} threw an untyped ${String(error)}` }),
      };
    }
    const committed = committedBatches(tracked.appends);
    if (tracked.result.ok) return { ok: true, operation, outcome: 'ok', committed, codes: [], detail };
    const errors = tracked.result.errors ?? [];
    const codes = errors.map((error) => error.code);
    let problem: string | undefined;
    if (committed.length > 0)
      problem = `${operation} ${detail} was refused (${codes.join()}) but committed ${committed.length} batch(es)`;
    else if (errors.length === 0) problem = `${operation} ${detail} was refused without an error`;
    else if (errors.some((error) => typeof error.code !== 'string' || error.code.length === 0)) {
      problem = `${operation} ${detail} was refused with an error without a code`;
    }
    return { ok: false, operation, outcome: 'refused', committed, codes, detail, ...(problem ? { problem } : {}) };
  };

  const run = async (operation: DriverOperation): Promise<DriverStep> => {
    switch (operation) {
      case 'place': {
        sequence += 1;
        const orderId = `SO-${ordersPrefix}-${sequence}`;
        const customer = pick(CUSTOMERS) ?? CUSTOMERS[0];
        const lineCount = 1 + Math.floor(random() * 3);
        const lines = Array.from({ length: lineCount }, () => ({
          itemCode: pick(ITEMS) ?? ITEMS[0],
          qty: 1 + Math.floor(random() * 5),
        }));
        const draft = random() < draftShare;
        const detail = `${orderId} ${lines.map((line) => `${line.itemCode}:${line.qty}`).join(',')}`;
        const step = await call('place', detail, () =>
          erp.placeOrder({
            orderId,
            customerId: customer.customerId,
            draft,
            lines: lines.map((line) => ({ itemCode: line.itemCode, qty: String(line.qty) })),
          }),
        );
        if (step.ok) orders.push({ orderId, customerId: customer.customerId, lines, state: draft ? 'draft' : 'open' });
        return step;
      }
      case 'submit':
        return transition('submit', ['draft'], 'open', (orderId) => erp.submitOrder({ orderId }));
      case 'hold':
        return transition('hold', ['open'], 'held', (orderId) => erp.holdOrder({ orderId, reason: 'reliability' }));
      case 'resume':
        return transition('resume', ['held'], 'open', (orderId) => erp.resumeOrder({ orderId }));
      case 'deliver':
        return transition('deliver', ['open'], 'delivered', (orderId) => erp.deliverOrder({ orderId }));
      case 'invoice':
        return transition('invoice', ['delivered'], 'invoiced', (orderId) => erp.invoiceOrder({ orderId }));
      case 'cancel':
        return transition('cancel', ['open', 'held'], 'cancelled', (orderId) =>
          erp.cancelOrder({ orderId, reason: 'reliability' }),
        );
      case 'pay': {
        const order = pick(inState('invoiced'));
        if (!order) return run('place');
        const amount = `${1 + Math.floor(random() * 20)}.${String(Math.floor(random() * 100)).padStart(2, '0')}`;
        return call('pay', order.customerId, () =>
          erp.receivePayment({ customerId: order.customerId, amount: { amount, currency: CURRENCY } }),
        );
      }
    }
  };

  const transition = async (
    operation: DriverOperation,
    from: KnownOrder['state'][],
    to: KnownOrder['state'],
    work: (orderId: string) => Promise<{ ok: boolean; errors?: readonly { code: string }[] }>,
  ): Promise<DriverStep> => {
    const order = pick(inState(...from));
    if (!order) return run('place');
    const step = await call(operation, order.orderId, () => work(order.orderId));
    if (step.ok) order.state = to;
    return step;
  };

  return { step: () => run(choose()), run };
}
