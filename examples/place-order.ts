/**
 * Placing an order through the application services, composed by hand: an in-memory store, in-memory
 * notifications and audit log, one customer, one item with a price and some stock. Then one order that passes and
 * one that fails several rules at once.
 *
 * Run with: `npx tsx examples/place-order.ts`
 */
import { createErp, createInMemoryAuditLog, createInMemoryNotifications, createMemoryEventStore } from 'ordo';

const notifications = createInMemoryNotifications();
const audit = createInMemoryAuditLog();
const erp = createErp({
  store: createMemoryEventStore(),
  notifications,
  audit,
  settings: { company: 'Ordo Trading', currency: 'EUR', defaultWarehouse: 'Stores', highValueThreshold: '5000' },
});

// Master data goes through the same validated use cases as orders; each returns { ok, ... } or { ok: false, errors }.
const admin = { actor: 'admin' };
await erp.manageCustomer(
  {
    type: 'RegisterCustomer',
    customerId: 'C-100',
    name: 'Café Lumière',
    customerGroup: 'Retail',
    creditLimits: [{ company: 'Ordo Trading', limit: { amount: '3000', currency: 'EUR' } }],
  },
  admin,
);
await erp.manageItem(
  {
    type: 'RegisterItem',
    itemCode: 'ESPRESSO-1KG',
    name: 'Espresso beans 1 kg',
    itemGroup: 'Coffee',
    stockUnit: 'Bag',
  },
  admin,
);
await erp.managePriceList({ type: 'CreatePriceList', priceListId: 'Standard Selling', currency: 'EUR' }, admin);
await erp.managePriceList(
  {
    type: 'SetItemPrice',
    priceListId: 'Standard Selling',
    itemPriceId: 'espresso',
    itemCode: 'ESPRESSO-1KG',
    rate: { amount: '18.90', currency: 'EUR' },
  },
  admin,
);
await erp.adjustStock({ type: 'ReceiveStock', itemCode: 'ESPRESSO-1KG', warehouse: 'Stores', qty: '200' }, admin);

const placed = await erp.placeOrder(
  { orderId: 'SO-1', customerId: 'C-100', lines: [{ itemCode: 'ESPRESSO-1KG', qty: '40' }] },
  { actor: 'web-shop', correlationId: 'checkout-7f3a' },
);
if (placed.ok) {
  console.log(`placed ${placed.orderId}: ${placed.grandTotal.amount} ${placed.grandTotal.currency} (${placed.status})`);
  for (const line of placed.lines) console.log(`  ${line.itemCode} × ${line.qty}: ${line.pricing.join('; ')}`);
  console.log(`  credit: ${placed.credit?.explanation.at(-1)}`);
}

// Too much for the stock and for the credit limit, in a unit the item has no factor for: every rule is listed.
const refused = await erp.placeOrder({
  customerId: 'C-100',
  lines: [
    { itemCode: 'ESPRESSO-1KG', qty: '300' },
    { itemCode: 'ESPRESSO-1KG', qty: '1', unit: 'Pallet' },
  ],
});
if (!refused.ok) {
  console.log('refused, nothing written:');
  for (const error of refused.errors)
    console.log(`  ${error.code} at ${error.path?.join('.') ?? '-'}: ${error.message}`);
}

console.log(
  `stock: ${JSON.stringify(await erp.getStock('ESPRESSO-1KG', 'Stores'), ['actualQty', 'reservedQty', 'projectedQty'])}`,
);
console.log(`notified: ${notifications.sent.map((n) => `${n.kind} → ${n.recipient} (${n.channel})`).join(', ')}`);
console.log(`audit: ${audit.entries.map((entry) => `${entry.actor} ${entry.action} ${entry.outcome}`).join(' | ')}`);
