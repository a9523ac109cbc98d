import {
  SalesOrder,
  type SalesOrderCommand,
  type SalesOrderCommandOfType,
  type SalesOrderContext,
  type SalesOrderEvent,
  type SalesOrderLineInput,
  type SalesOrderSettings,
  type SalesOrderState,
} from '../../../src/domain/sales-order/index.js';
import { fold } from '../../../src/kernel/decider.js';
import { createDeterministicIds } from '../../../src/kernel/ids.js';
import { deciderSpec } from '../../../src/testing/decider-spec.js';

/** The order every example works on. */
export const ORDER = 'SO-1';
/** The instant every test context is at (the deciderSpec default). */
export const NOW = '2026-01-01T00:00:00.000Z';

type Data<T extends SalesOrderCommand['type']> = SalesOrderCommandOfType<T>['data'];

/** A deterministic context with the given settings. */
export function context(settings?: SalesOrderSettings): SalesOrderContext {
  const ids = createDeterministicIds();
  return { now: new Date(NOW), newId: () => ids.next(), ...(settings ? { settings } : {}) };
}

/** A given/when/then spec of the sales order decider, optionally with settings. */
export function spec(settings?: SalesOrderSettings) {
  return deciderSpec(SalesOrder.decider, { context: () => context(settings) });
}

/** Decides `commands` in turn and returns every event, failing on the first refusal. */
export function eventsOf(commands: readonly SalesOrderCommand[], settings?: SalesOrderSettings): SalesOrderEvent[] {
  const ctx = context(settings);
  const events: SalesOrderEvent[] = [];
  let state: SalesOrderState = SalesOrder.initialState;
  for (const command of commands) {
    const produced = SalesOrder.decide(command, state, ctx);
    events.push(...produced);
    state = fold(SalesOrder.decider, produced, state);
  }
  return events;
}

/** The state after deciding `commands` in turn. */
export function stateOf(commands: readonly SalesOrderCommand[], settings?: SalesOrderSettings): SalesOrderState {
  return fold(SalesOrder.decider, eventsOf(commands, settings));
}

/** The state of an order that exists (fails when there is none). */
export function orderOf(commands: readonly SalesOrderCommand[], settings?: SalesOrderSettings) {
  const state = stateOf(commands, settings);
  if (!state.exists) throw new Error('expected an order');
  return state;
}

export const create = (data: Partial<Data<'CreateSalesOrder'>> = {}): SalesOrderCommand => ({
  type: 'CreateSalesOrder',
  data: {
    orderId: ORDER,
    customerId: 'CUST-1',
    company: 'Acme',
    currency: 'USD',
    transactionDate: '2026-01-10',
    ...data,
  },
});

/** A line of 10 × WIDGET at 5.00 from the Main warehouse, unless overridden. */
export const addLine = (lineId: string, line: Partial<SalesOrderLineInput> = {}): SalesOrderCommand => ({
  type: 'AddSalesOrderLine',
  data: {
    orderId: ORDER,
    line: {
      lineId,
      itemCode: 'WIDGET',
      qty: '10',
      uom: 'Nos',
      rate: '5.00',
      warehouse: 'Main',
      deliveryDate: '2026-01-20',
      ...line,
    },
  },
});

export const updateLine = (lineId: string, changes: Data<'UpdateSalesOrderLine'>['changes']): SalesOrderCommand => ({
  type: 'UpdateSalesOrderLine',
  data: { orderId: ORDER, lineId, changes },
});

export const removeLine = (lineId: string): SalesOrderCommand => ({
  type: 'RemoveSalesOrderLine',
  data: { orderId: ORDER, lineId },
});

export const setDiscount = (discount: Data<'SetSalesOrderDiscount'>['discount']): SalesOrderCommand => ({
  type: 'SetSalesOrderDiscount',
  data: { orderId: ORDER, discount },
});

export const addTax = (tax: Data<'AddSalesOrderTax'>['tax']): SalesOrderCommand => ({
  type: 'AddSalesOrderTax',
  data: { orderId: ORDER, tax },
});

export const setDeliveryDate = (deliveryDate: string | null): SalesOrderCommand => ({
  type: 'SetSalesOrderDeliveryDate',
  data: { orderId: ORDER, deliveryDate },
});

const simple =
  (
    type: 'SubmitSalesOrder' | 'ResumeSalesOrder' | 'CloseSalesOrder' | 'ReopenSalesOrder' | 'RemoveSalesOrderDiscount',
  ) =>
  (): SalesOrderCommand => ({ type, data: { orderId: ORDER } });

export const submit = simple('SubmitSalesOrder');
export const resume = simple('ResumeSalesOrder');
export const close = simple('CloseSalesOrder');
export const reopen = simple('ReopenSalesOrder');
export const removeDiscount = simple('RemoveSalesOrderDiscount');
export const hold = (reason?: string): SalesOrderCommand => ({
  type: 'HoldSalesOrder',
  data: { orderId: ORDER, ...(reason === undefined ? {} : { reason }) },
});
export const cancel = (): SalesOrderCommand => ({ type: 'CancelSalesOrder', data: { orderId: ORDER } });

/** Delivers `{ lineId: qty }`. */
export const deliver = (lines: Readonly<Record<string, string>>): SalesOrderCommand => ({
  type: 'RecordSalesOrderDelivery',
  data: { orderId: ORDER, lines: Object.entries(lines).map(([lineId, qty]) => ({ lineId, qty })) },
});

/** Bills `{ lineId: amount }`. */
export const bill = (lines: Readonly<Record<string, string>>): SalesOrderCommand => ({
  type: 'RecordSalesOrderBilling',
  data: { orderId: ORDER, lines: Object.entries(lines).map(([lineId, amount]) => ({ lineId, amount })) },
});

export const updateItems = (data: Omit<Data<'UpdateSalesOrderItems'>, 'orderId'>): SalesOrderCommand => ({
  type: 'UpdateSalesOrderItems',
  data: { orderId: ORDER, ...data },
});

/** A submitted order with two lines: L1 = 10 × 5.00, L2 = 4 × 12.50 (grand total 100.00). */
export const submittedOrder: readonly SalesOrderCommand[] = [
  create(),
  addLine('L1'),
  addLine('L2', { itemCode: 'GADGET', qty: '4', rate: '12.50' }),
  submit(),
];
