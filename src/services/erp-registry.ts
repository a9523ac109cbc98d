import { customerEvents } from '../domain/customer/customer-events.js';
import { paymentEvents } from '../domain/invoice/payment-events.js';
import { salesInvoiceEvents } from '../domain/invoice/sales-invoice-events.js';
import { itemEvents } from '../domain/item/item-events.js';
import { priceListEvents } from '../domain/price-list/price-list-events.js';
import { salesOrderEventDefinitions } from '../domain/sales-order/sales-order-events.js';
import { stockEvents } from '../domain/stock/stock-events.js';
import { createEventRegistry, type EventDefinition, type EventRegistry } from '../kernel/event-registry.js';
import { customerLedgerEvents } from './customer-ledger.js';

/** Every event definition the ERP writes: the domain aggregates' and the customer ledger's. */
export const erpEventDefinitions: readonly EventDefinition[] = Object.freeze([
  ...customerEvents,
  ...itemEvents,
  ...priceListEvents,
  ...stockEvents,
  ...salesOrderEventDefinitions,
  ...salesInvoiceEvents,
  ...paymentEvents,
  ...customerLedgerEvents,
]);

/**
 * An event registry with every event the ERP writes. Give it to a store (`createMemoryEventStore({ registry })`,
 * `openSqliteEventStore({ path, registry })`) to have the store validate and upcast them too; the ERP validates
 * what it appends and decodes what it reads with it either way.
 */
export function createErpEventRegistry(): EventRegistry {
  return createEventRegistry(erpEventDefinitions);
}
