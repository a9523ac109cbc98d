/**
 * A sales order from draft to partly delivered and billed, with the `SalesOrder` decider alone (no store): create it,
 * add lines, give an order discount and a tax row, submit, deliver part, bill part, and print totals and status.
 *
 * Run with: `npx tsx examples/sales-order.ts`
 */
import {
  SalesOrder,
  type SalesOrderCommand,
  type SalesOrderContext,
  type SalesOrderState,
  systemClock,
  uuidV7Ids,
} from 'ordo';

// Time, ids and settings come in through the context: `decide` itself never reads a clock or makes an id.
const context = (): SalesOrderContext => ({
  now: systemClock.now(),
  newId: () => uuidV7Ids.next(),
  settings: { roundingMethod: 'half-even', roundedTotal: true, smallestCurrencyFraction: { EUR: '0.05' } },
});

let state: SalesOrderState = SalesOrder.initialState;

/** Decides one command and folds its events, as a command handler would before appending them. */
function handle(command: SalesOrderCommand): void {
  const events = SalesOrder.decide(command, state, context());
  for (const event of events) state = SalesOrder.evolve(state, event);
  console.log(`${command.type.padEnd(26)} -> ${events.map((event) => event.type).join(', ') || '(nothing)'}`);
}

const orderId = 'SO-2026-00042';

handle({
  type: 'CreateSalesOrder',
  data: {
    orderId,
    customerId: 'CUST-ACME',
    company: 'Ordo Trading',
    currency: 'EUR',
    transactionDate: '2026-03-02',
    deliveryDate: '2026-03-16',
  },
});
handle({
  type: 'AddSalesOrderLine',
  data: {
    orderId,
    line: {
      lineId: 'L1',
      itemCode: 'DESK-OAK',
      qty: '4',
      uom: 'Nos',
      priceListRate: '249.00',
      discountPercentage: '10',
      warehouse: 'Stores - OT',
    },
  },
});
handle({
  type: 'AddSalesOrderLine',
  data: {
    orderId,
    line: {
      lineId: 'L2',
      itemCode: 'CHAIR-MESH',
      qty: '12',
      uom: 'Nos',
      rate: '89.90',
      warehouse: 'Stores - OT',
      deliveryDate: '2026-03-23',
    },
  },
});
handle({
  type: 'SetSalesOrderDiscount',
  data: { orderId, discount: { kind: 'percentage', percentage: '3', applyOn: 'net_total' } },
});
handle({
  type: 'AddSalesOrderTax',
  data: { orderId, tax: { taxId: 'VAT', description: 'VAT 19 %', kind: 'on_net_total', rate: '19' } },
});
handle({
  type: 'AddSalesOrderTax',
  data: { orderId, tax: { taxId: 'FREIGHT', description: 'Freight', kind: 'actual', amount: '45.00' } },
});
handle({ type: 'SubmitSalesOrder', data: { orderId } });
handle({
  type: 'RecordSalesOrderDelivery',
  data: {
    orderId,
    reference: 'DN-0001',
    lines: [
      { lineId: 'L1', qty: '4' },
      { lineId: 'L2', qty: '5' },
    ],
  },
});
handle({
  type: 'RecordSalesOrderBilling',
  data: { orderId, reference: 'SINV-0001', lines: [{ lineId: 'L1', amount: '896.40' }] },
});

// A refused command throws a DomainRuleError with its rule code, and appends nothing.
try {
  handle({ type: 'CancelSalesOrder', data: { orderId } });
} catch (error) {
  if (!SalesOrder.isRuleError(error)) throw error;
  console.log(`CancelSalesOrder           -> refused: ${error.rule}`);
}

if (!state.exists) throw new Error('the order should exist');
const { totals } = state;
console.log('\nLines');
for (const line of state.lines) {
  console.log(
    `  ${line.lineId} ${line.itemCode.padEnd(11)} ${line.qty.padStart(3)} × ${line.rate.padStart(6)} = ${line.amount.padStart(8)}` +
      `  net ${line.netAmount.padStart(8)}  delivered ${line.deliveredQty}/${line.qty}  billed ${line.billedAmount}`,
  );
}
console.log('\nTotals (EUR)');
console.log(`  total           ${totals.total}`);
console.log(`  discount        ${totals.discountAmount}`);
console.log(`  net total       ${totals.netTotal}`);
for (const [index, tax] of totals.taxes.entries())
  console.log(`  ${(state.taxes[index]?.description ?? tax.taxId).padEnd(15)} ${tax.amount}`);
console.log(`  grand total     ${totals.grandTotal}`);
console.log(`  rounded total   ${totals.roundedTotal} (adjustment ${totals.roundingAdjustment})`);
console.log('\nStatus');
console.log(
  `  ${state.status}: ${state.perDelivered} % delivered (${state.deliveryStatus}), ${state.perBilled} % billed (${state.billingStatus})`,
);
console.log(`  unbilled amount ${SalesOrder.totals.unbilledAmountOf(state).toString()}`);
