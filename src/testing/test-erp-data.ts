import type { ItemCommand } from '../domain/item/item-commands.js';
import { ALL_ITEM_GROUPS, type ItemGroupInput } from '../domain/item/item-groups.js';
import type { PriceListCommand } from '../domain/price-list/price-list-commands.js';
import {
  SEED_DEFAULT_PRICE_LIST,
  SEED_WHOLESALE_PRICE_LIST,
  seedPricingRules,
} from '../domain/pricing/pricing-seed.js';
import type { ErpCustomerCommand, StockAdjustmentCommand } from '../services/administration.js';
import type { Erp } from '../services/erp.js';
import type { ErpResult } from '../services/erp-result.js';
import type { ErpSettings } from '../services/erp-settings.js';

/** The company, currency and warehouse of the sample data. */
export const SAMPLE_COMPANY = 'Ordo Trading';
/** The sample data's currency. */
export const SAMPLE_CURRENCY = 'USD';
/** The warehouse the sample stock is in. */
export const SAMPLE_WAREHOUSE = 'Main';

/** The sample customers' ids, by what makes each one useful in a test. */
export const SAMPLE_CUSTOMERS = Object.freeze({
  /** "Acme Corp", group Commercial, credit limit 50,000 USD. */
  acme: 'CUST-ACME',
  /** "Beta Retail", group Retail, credit limit 2,000 USD: a small order or two exceed it. */
  beta: 'CUST-BETA',
  /** "Wholesale Partners", group Wholesale, priced from the Wholesale list, limit 100,000 USD. */
  wholesale: 'CUST-WHOLESALE',
  /** "Gamma Labs", group Commercial, no credit limit. */
  gamma: 'CUST-GAMMA',
  /** "Closed Account Ltd", disabled: every order for it is refused (`CUSTOMER_DISABLED`). */
  disabled: 'CUST-CLOSED',
});

/** The sample items' codes. */
export const SAMPLE_ITEMS = Object.freeze({
  /** 25.00 USD per Nos (21.00 wholesale), also sold by the Box of 12; 500 in stock. */
  widget: 'WIDGET',
  /** 120.00 USD per Nos (99.00 wholesale); 40 in stock. */
  gadget: 'GADGET',
  /** 2,500.00 USD per Nos; 10 in stock: five of them make a high-value order (above 10,000). */
  gizmo: 'GIZMO-PRO',
  /** 80.00 USD per Hour; a service: never stocked, never reserved. */
  install: 'INSTALL',
  /** Disabled: every order for it is refused (`ITEM_DISABLED`). */
  legacy: 'LEGACY-PART',
});

/** The sample item-group tree (for pricing rules on ancestor groups). */
export const SAMPLE_ERP_ITEM_GROUPS: readonly ItemGroupInput[] = Object.freeze([
  { id: ALL_ITEM_GROUPS },
  { id: 'Products', parent: ALL_ITEM_GROUPS },
  { id: 'Widgets', parent: 'Products' },
  { id: 'Gadgets', parent: 'Products' },
  { id: 'Services', parent: ALL_ITEM_GROUPS },
]);

/**
 * The settings the sample data is made for: the seed's pricing rules (2 % off from 10 units, 3 % from 50, 5 % more
 * from 100), the item-group tree, `Standard Selling` as the default list, company `Ordo Trading`, USD, warehouse
 * `Main`, the seed's 10,000 high-value threshold.
 */
export const SAMPLE_ERP_SETTINGS: ErpSettings = Object.freeze({
  company: SAMPLE_COMPANY,
  currency: SAMPLE_CURRENCY,
  defaultWarehouse: SAMPLE_WAREHOUSE,
  highValueThreshold: '10000',
  pricing: {
    rules: seedPricingRules,
    itemGroups: SAMPLE_ERP_ITEM_GROUPS,
    defaultPriceListId: SEED_DEFAULT_PRICE_LIST,
  },
});

const usd = (amount: string) => ({ amount, currency: SAMPLE_CURRENCY });
const limit = (amount: string) => [{ company: SAMPLE_COMPANY, limit: usd(amount) }];

/** The sample customers as Customer commands. */
export const SAMPLE_CUSTOMER_COMMANDS: readonly ErpCustomerCommand[] = Object.freeze([
  {
    type: 'RegisterCustomer',
    customerId: SAMPLE_CUSTOMERS.acme,
    name: 'Acme Corp',
    customerGroup: 'Commercial',
    creditLimits: limit('50000'),
    billingAddress: { line1: '1 Acme Way', city: 'Springfield', postalCode: '12345', country: 'US' },
  },
  {
    type: 'RegisterCustomer',
    customerId: SAMPLE_CUSTOMERS.beta,
    name: 'Beta Retail',
    customerGroup: 'Retail',
    creditLimits: limit('2000'),
  },
  {
    type: 'RegisterCustomer',
    customerId: SAMPLE_CUSTOMERS.wholesale,
    name: 'Wholesale Partners',
    customerGroup: 'Wholesale',
    defaultPriceList: SEED_WHOLESALE_PRICE_LIST,
    creditLimits: limit('100000'),
  },
  { type: 'RegisterCustomer', customerId: SAMPLE_CUSTOMERS.gamma, name: 'Gamma Labs', customerGroup: 'Commercial' },
  {
    type: 'RegisterCustomer',
    customerId: SAMPLE_CUSTOMERS.disabled,
    name: 'Closed Account Ltd',
    customerGroup: 'Retail',
  },
  { type: 'DisableCustomer', customerId: SAMPLE_CUSTOMERS.disabled },
]);

/** The sample items as Item commands. */
export const SAMPLE_ITEM_COMMANDS: readonly ItemCommand[] = Object.freeze([
  {
    type: 'RegisterItem',
    itemCode: SAMPLE_ITEMS.widget,
    name: 'Widget',
    itemGroup: 'Widgets',
    stockUnit: 'Nos',
    unitConversions: [{ unit: 'Box', factor: '12' }],
    standardRate: usd('25.00'),
  },
  {
    type: 'RegisterItem',
    itemCode: SAMPLE_ITEMS.gadget,
    name: 'Gadget',
    itemGroup: 'Gadgets',
    stockUnit: 'Nos',
    standardRate: usd('120.00'),
  },
  {
    type: 'RegisterItem',
    itemCode: SAMPLE_ITEMS.gizmo,
    name: 'Gizmo Pro',
    itemGroup: 'Gadgets',
    stockUnit: 'Nos',
    standardRate: usd('2500.00'),
  },
  {
    type: 'RegisterItem',
    itemCode: SAMPLE_ITEMS.install,
    name: 'Installation',
    itemGroup: 'Services',
    stockUnit: 'Hour',
    standardRate: usd('80.00'),
    isStockItem: false,
  },
  {
    type: 'RegisterItem',
    itemCode: SAMPLE_ITEMS.legacy,
    name: 'Legacy part',
    itemGroup: 'Products',
    stockUnit: 'Nos',
    standardRate: usd('10.00'),
  },
  { type: 'DisableItem', itemCode: SAMPLE_ITEMS.legacy },
]);

const price = (list: string, itemCode: string, rate: string): PriceListCommand => ({
  type: 'SetItemPrice',
  priceListId: list,
  itemPriceId: `${list}:${itemCode}`,
  itemCode,
  rate: usd(rate),
});

/** The sample price lists as PriceList commands: `Standard Selling` and `Wholesale`, both USD. */
export const SAMPLE_PRICE_LIST_COMMANDS: readonly PriceListCommand[] = Object.freeze([
  { type: 'CreatePriceList', priceListId: SEED_DEFAULT_PRICE_LIST, currency: SAMPLE_CURRENCY },
  { type: 'CreatePriceList', priceListId: SEED_WHOLESALE_PRICE_LIST, currency: SAMPLE_CURRENCY },
  price(SEED_DEFAULT_PRICE_LIST, SAMPLE_ITEMS.widget, '25.00'),
  price(SEED_DEFAULT_PRICE_LIST, SAMPLE_ITEMS.gadget, '120.00'),
  price(SEED_DEFAULT_PRICE_LIST, SAMPLE_ITEMS.gizmo, '2500.00'),
  price(SEED_DEFAULT_PRICE_LIST, SAMPLE_ITEMS.install, '80.00'),
  price(SEED_WHOLESALE_PRICE_LIST, SAMPLE_ITEMS.widget, '21.00'),
  price(SEED_WHOLESALE_PRICE_LIST, SAMPLE_ITEMS.gadget, '99.00'),
]);

/** The sample opening stock in `Main`: 500 widgets, 40 gadgets, 10 gizmos. */
export const SAMPLE_STOCK_COMMANDS: readonly StockAdjustmentCommand[] = Object.freeze([
  {
    type: 'ReceiveStock',
    itemCode: SAMPLE_ITEMS.widget,
    warehouse: SAMPLE_WAREHOUSE,
    qty: '500',
    reference: 'OPENING',
  },
  { type: 'ReceiveStock', itemCode: SAMPLE_ITEMS.gadget, warehouse: SAMPLE_WAREHOUSE, qty: '40', reference: 'OPENING' },
  { type: 'ReceiveStock', itemCode: SAMPLE_ITEMS.gizmo, warehouse: SAMPLE_WAREHOUSE, qty: '10', reference: 'OPENING' },
]);

function expectOk<T>(result: ErpResult<T>, what: string): void {
  if (!result.ok) {
    const reasons = result.errors.map((error) => `${error.code}: ${error.message}`).join('; ');
    throw new Error(`Loading the sample data failed at ${what}: ${reasons}`);
  }
}

/**
 * Loads the sample customers, items, price lists and opening stock through the ERP's own administration use
 * cases (as actor `seed`). Use it with an ERP created with {@link SAMPLE_ERP_SETTINGS}.
 *
 * @throws Error when a command is refused (the ERP already holds other data under the same ids).
 */
export async function loadSampleData(erp: Erp): Promise<void> {
  const context = { actor: 'seed', correlationId: 'sample-data' };
  for (const command of SAMPLE_ITEM_COMMANDS) {
    expectOk(await erp.manageItem(command, context), `${command.type} ${command.itemCode}`);
  }
  for (const command of SAMPLE_PRICE_LIST_COMMANDS) {
    expectOk(await erp.managePriceList(command, context), `${command.type} ${command.priceListId}`);
  }
  for (const command of SAMPLE_CUSTOMER_COMMANDS) {
    expectOk(await erp.manageCustomer(command, context), `${command.type} ${command.customerId}`);
  }
  for (const command of SAMPLE_STOCK_COMMANDS) {
    expectOk(await erp.adjustStock(command, context), `${command.type} ${command.itemCode}`);
  }
}
