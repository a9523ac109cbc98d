import type { CustomerAddress, CustomerEvent, CustomerRecord, CustomerState } from '../../domain/customer/index.js';
import {
  column,
  defineWarehouseTable,
  LINEAGE_COLUMNS,
  lineageOf,
  nullableColumn,
  type StreamChange,
  sameCells,
  type WarehouseTableRow,
} from './star-schema-table.js';

/**
 * `customer_dim`: the customer dimension as a slowly changing dimension of type 2, append-only.
 *
 * @remarks
 * Each change of a column below writes a new row (a new version of the customer); rows are never updated.
 * Version `n` is valid from its `occurred_at` until the `occurred_at` of the customer's next row (a view with
 * `LEAD(occurred_at) OVER (PARTITION BY customer_id ORDER BY version)` gives `valid_to`); keeping only the
 * highest version per customer gives a type 1 dimension. Events that change nothing exported (credit limits,
 * street lines of an address) write no row, so versions of a customer need not be consecutive.
 */
export const customerDimTable = defineWarehouseTable({
  name: 'customer_dim',
  kind: 'dimension',
  description: 'Customers (SCD type 2, append-only): one row per version that changed an exported attribute.',
  grain: 'one row per customer change of an exported attribute',
  columns: [
    ...LINEAGE_COLUMNS,
    column('customer_id', 'text', 'The customer id: the natural key.'),
    column('version', 'integer', "The customer's stream version the row reflects; the highest one is current."),
    column('name', 'text', 'Customer name.'),
    column('customer_group', 'text', 'Customer group.'),
    nullableColumn('default_price_list', 'text', 'Default price list.'),
    column('is_disabled', 'boolean', 'Whether the customer is disabled.'),
    nullableColumn('billing_city', 'text', 'City of the billing address.'),
    nullableColumn('billing_state', 'text', 'State or region of the billing address.'),
    nullableColumn('billing_postal_code', 'text', 'Postal code of the billing address.'),
    nullableColumn('billing_country', 'text', 'ISO 3166-1 alpha-2 country of the billing address.'),
    nullableColumn('shipping_city', 'text', 'City of the shipping address.'),
    nullableColumn('shipping_state', 'text', 'State or region of the shipping address.'),
    nullableColumn('shipping_postal_code', 'text', 'Postal code of the shipping address.'),
    nullableColumn('shipping_country', 'text', 'ISO 3166-1 alpha-2 country of the shipping address.'),
  ],
});

/** A row of {@link customerDimTable}. */
export type CustomerDimRow = WarehouseTableRow<typeof customerDimTable>;

function dimensionCells(customer: CustomerRecord) {
  const billing: CustomerAddress | null = customer.billingAddress;
  const shipping: CustomerAddress | null = customer.shippingAddress;
  return {
    name: customer.name,
    customer_group: customer.customerGroup,
    default_price_list: customer.defaultPriceList,
    is_disabled: customer.disabled,
    billing_city: billing?.city ?? null,
    billing_state: billing?.state ?? null,
    billing_postal_code: billing?.postalCode ?? null,
    billing_country: billing?.country ?? null,
    shipping_city: shipping?.city ?? null,
    shipping_state: shipping?.state ?? null,
    shipping_postal_code: shipping?.postalCode ?? null,
    shipping_country: shipping?.country ?? null,
  };
}

/**
 * The `customer_dim` rows of one customer event: one new version when the event changed an exported attribute
 * (always on registration), none otherwise. Pure.
 */
export function customerDimRows(change: StreamChange<CustomerEvent, CustomerState>): readonly CustomerDimRow[] {
  const { event, before, after } = change;
  if (!after.exists) return [];
  const cells = dimensionCells(after.customer);
  if (before.exists && sameCells(dimensionCells(before.customer), cells)) return [];
  const lineage = lineageOf(customerDimTable.name, event, 0);
  return [
    {
      table: customerDimTable.name,
      key: lineage.row_key,
      values: { ...lineage, customer_id: after.customer.customerId, version: event.streamVersion, ...cells },
    },
  ];
}
