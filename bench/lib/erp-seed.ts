/**
 * The ERP data set W6 places orders against, and the orders it places: customers with credit limits, items in a
 * small item-group tree, one selling price list with a price for every item, the seed's pricing rules, and opening
 * stock for every item. Everything is derived from indexes and a seeded PRNG, so every run and every store sees the
 * very same data and the very same orders.
 */
import { ALL_ITEM_GROUPS, type Erp, type ErpSettings, type PlaceOrderInput, seedPricingRules } from 'ordo';

/** The company, currency, warehouse and price list of the data set. */
export const ERP_COMPANY = 'Ordo Trading';
export const ERP_CURRENCY = 'USD';
export const ERP_WAREHOUSE = 'Main';
export const ERP_PRICE_LIST = 'Standard Selling';

/** The leaf item groups items are spread over, under `Products` under `All Item Groups`. */
const ITEM_GROUPS = ['Widgets', 'Gadgets', 'Fasteners', 'Tools', 'Spares'] as const;

/**
 * One customer in this many gets a tight credit limit (see {@link seedErp}); every other one a limit no order
 * sequence of the workload reaches.
 */
export const TIGHT_CUSTOMER_EVERY = 20;

/** Opening stock of every item: far more than the orders reserve, so the stock check always passes. */
export const OPENING_STOCK = '100000';

/**
 * The ERP's settings: one company, USD, warehouse `Main`, stock policy `block`, the seed's pricing rules
 * (2 % off from 10 units, 3 % from 50, 5 % more from 100) over the item-group tree, `Standard Selling` as the
 * default list. No notification or audit port is wired: those are the host's, not the use case's, cost.
 */
export const ERP_SETTINGS: ErpSettings = {
  company: ERP_COMPANY,
  currency: ERP_CURRENCY,
  defaultWarehouse: ERP_WAREHOUSE,
  stockPolicy: 'block',
  pricing: {
    rules: seedPricingRules,
    itemGroups: [
      { id: ALL_ITEM_GROUPS },
      { id: 'Products', parent: ALL_ITEM_GROUPS },
      ...ITEM_GROUPS.map((id) => ({ id, parent: 'Products' })),
    ],
    defaultPriceListId: ERP_PRICE_LIST,
  },
};

/** Mulberry32: a small, fast, seeded PRNG; `next()` is uniform in [0, 1). */
export function seededRandom(seed: number): { next(): number; int(below: number): number } {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (below) => Math.floor(next() * below) };
}

/** The id of the `index`-th customer. */
export const customerIdOf = (index: number): string => `CUST-${String(index).padStart(4, '0')}`;
/** The code of the `index`-th item. */
export const itemCodeOf = (index: number): string => `ITEM-${String(index).padStart(4, '0')}`;

/** The selling price of the `index`-th item: 5.00 to 199.99 USD, spread by index. */
export function itemPriceOf(index: number): string {
  const units = 5 + ((index * 37) % 195);
  const cents = (index * 53) % 100;
  return `${units}.${String(cents).padStart(2, '0')}`;
}

/** How big the data set is. */
export interface ErpDataSize {
  readonly customers: number;
  readonly items: number;
  /** Orders the workload will place: the credit limits are sized from the orders per customer. */
  readonly orders: number;
}

/**
 * Credit limits, per customer, sized from the orders each customer places on average (`orders / customers`) and
 * the average order (about 3 lines × 6.5 units × 100 USD ≈ 2,000 USD): a normal customer gets 10,000 USD per
 * order it will place, which no order sequence reaches; one customer in {@link TIGHT_CUSTOMER_EVERY} gets
 * 1,500 USD per order, so it runs out of credit roughly three quarters of the way through its orders and the rest
 * of its orders are refused with `CREDIT_LIMIT_EXCEEDED` (nothing written). Orders are never billed, so every
 * accepted order stays in the customer's exposure.
 */
export function creditLimitOf(index: number, size: ErpDataSize): string {
  const perCustomer = Math.max(1, Math.ceil(size.orders / size.customers));
  return String(perCustomer * (index % TIGHT_CUSTOMER_EVERY === 0 ? 1_500 : 10_000));
}

/**
 * Seeds the master data through the ERP's own validated use cases (each its own commit): customers, items, the
 * price list and one price per item, and the opening stock of every item. Throws if any use case refuses.
 */
export async function seedErp(erp: Erp, size: ErpDataSize): Promise<void> {
  const admin = { actor: 'bench-seed' };
  for (let index = 0; index < size.customers; index++) {
    must(
      await erp.manageCustomer(
        {
          type: 'RegisterCustomer',
          customerId: customerIdOf(index),
          name: `Customer ${index}`,
          customerGroup: index % 3 === 0 ? 'Commercial' : 'Retail',
          creditLimits: [
            { company: ERP_COMPANY, limit: { amount: creditLimitOf(index, size), currency: ERP_CURRENCY } },
          ],
        },
        admin,
      ),
      customerIdOf(index),
    );
  }
  for (let index = 0; index < size.items; index++) {
    must(
      await erp.manageItem(
        {
          type: 'RegisterItem',
          itemCode: itemCodeOf(index),
          name: `Item ${index}`,
          itemGroup: ITEM_GROUPS[index % ITEM_GROUPS.length] as string,
          stockUnit: 'Nos',
        },
        admin,
      ),
      itemCodeOf(index),
    );
  }
  must(
    await erp.managePriceList({ type: 'CreatePriceList', priceListId: ERP_PRICE_LIST, currency: ERP_CURRENCY }, admin),
    ERP_PRICE_LIST,
  );
  for (let index = 0; index < size.items; index++) {
    must(
      await erp.managePriceList(
        {
          type: 'SetItemPrice',
          priceListId: ERP_PRICE_LIST,
          itemPriceId: `${ERP_PRICE_LIST}:${itemCodeOf(index)}`,
          itemCode: itemCodeOf(index),
          rate: { amount: itemPriceOf(index), currency: ERP_CURRENCY },
        },
        admin,
      ),
      `price of ${itemCodeOf(index)}`,
    );
  }
  for (let index = 0; index < size.items; index++) {
    must(
      await erp.adjustStock(
        { type: 'ReceiveStock', itemCode: itemCodeOf(index), warehouse: ERP_WAREHOUSE, qty: OPENING_STOCK },
        admin,
      ),
      `stock of ${itemCodeOf(index)}`,
    );
  }
}

function must(result: { readonly ok: boolean }, what: string): void {
  if (!result.ok) throw new Error(`seeding ${what} failed: ${JSON.stringify(result)}`);
}

/** Lines per order: 1 to this many, uniformly. */
export const MAX_LINES = 5;
/** Quantity per line: 1 to this many units, uniformly (from 10 the seed's 2 % promotion applies). */
export const MAX_QTY = 12;

/**
 * The orders, made up front (so that making them is not timed): each for a customer drawn uniformly, with 1 to
 * {@link MAX_LINES} lines over distinct items drawn uniformly, 1 to {@link MAX_QTY} units each, from the default
 * warehouse at the default price list. The order id is left to the ERP (`SO-<uuid v7>`), as a web shop would.
 */
export function makeOrders(size: ErpDataSize, seed = 0x0bd0_0006): PlaceOrderInput[] {
  const random = seededRandom(seed);
  const orders: PlaceOrderInput[] = new Array(size.orders);
  for (let order = 0; order < size.orders; order++) {
    const customerId = customerIdOf(random.int(size.customers));
    const count = Math.min(size.items, 1 + random.int(MAX_LINES));
    const items = new Set<number>();
    while (items.size < count) items.add(random.int(size.items));
    orders[order] = {
      customerId,
      lines: [...items].map((item) => ({ itemCode: itemCodeOf(item), qty: String(1 + random.int(MAX_QTY)) })),
    };
  }
  return orders;
}
