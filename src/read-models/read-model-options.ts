/**
 * Validation of query options, shared by the in-memory and SQL query objects so that both refuse the same
 * input with the same issues, and both apply the same defaults. @internal
 */
import { z } from 'zod';
import { SALES_ORDER_STATUSES, type SalesOrderStatus } from '../domain/sales-order/index.js';
import { ValidationError } from '../kernel/errors.js';
import { parseOrThrow } from '../kernel/validation.js';
import type {
  CreditBalanceListOptions,
  CustomerOrderSummaryListOptions,
  CustomerOrderSummaryOrderBy,
  OrderFilter,
  OrderListOptions,
  OrderListOrderBy,
  SalesDashboardDailyOptions,
  SortDirection,
  StockLevelListOptions,
} from './read-model-types.js';

/** Default number of rows a list query returns. */
export const DEFAULT_LIST_LIMIT = 100;
/** The most rows a list query may ask for. */
export const MAX_LIST_LIMIT = 10_000;

const Key = z.string().min(1).max(140);
const IsoDate = z.iso.date();
const Direction = z.enum(['asc', 'desc']);
const Page = {
  limit: z.number().int().min(1).max(MAX_LIST_LIMIT).optional(),
  offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
};

/** Paging with its defaults applied. */
export interface Page {
  readonly limit: number;
  readonly offset: number;
}

function page(options: { readonly limit?: number | undefined; readonly offset?: number | undefined }): Page {
  return { limit: options.limit ?? DEFAULT_LIST_LIMIT, offset: options.offset ?? 0 };
}

/** A required key argument (customer id, order id, ...): a non-empty string of at most 140 characters. */
export function checkKey(value: unknown, name: string): string {
  return parseOrThrow(Key, value, [name]);
}

/** An optional `{ currency }` argument. */
export function checkCurrencyOption(options: unknown): string | undefined {
  return parseOrThrow(z.strictObject({ currency: Key.optional() }).optional(), options, ['options'])?.currency;
}

/** {@link CustomerOrderSummaryListOptions} with defaults applied. */
export interface SummaryListQuery extends Page {
  readonly customerId: string | undefined;
  readonly currency: string | undefined;
  readonly orderBy: CustomerOrderSummaryOrderBy;
  readonly direction: SortDirection;
}

const SummaryListSchema = z.strictObject({
  customerId: Key.optional(),
  currency: Key.optional(),
  orderBy: z.enum(['customerId', 'totalAmount', 'totalOrders', 'openOrders', 'lastOrderDate']).optional(),
  direction: Direction.optional(),
  ...Page,
});

/** Validates {@link CustomerOrderSummaryListOptions}. */
export function summaryListQuery(options: CustomerOrderSummaryListOptions | undefined): SummaryListQuery {
  const parsed = parseOrThrow(SummaryListSchema, options ?? {}, ['options']);
  const orderBy = parsed.orderBy ?? 'customerId';
  return {
    customerId: parsed.customerId,
    currency: parsed.currency,
    orderBy,
    direction: parsed.direction ?? (orderBy === 'customerId' ? 'asc' : 'desc'),
    ...page(parsed),
  };
}

/** {@link SalesDashboardDailyOptions} after validation. */
export interface DashboardQuery {
  readonly from: string;
  readonly to: string;
  readonly customerId: string | undefined;
  readonly company: string | undefined;
  readonly currency: string | undefined;
}

const DashboardSchema = z.strictObject({
  from: IsoDate,
  to: IsoDate,
  customerId: Key.optional(),
  company: Key.optional(),
  currency: Key.optional(),
});

const DashboardTotalsSchema = DashboardSchema.omit({ customerId: true });

/** Validates the range and filters of a dashboard query; `perCustomer: false` refuses a customer filter. */
export function dashboardQuery(options: SalesDashboardDailyOptions, perCustomer = true): DashboardQuery {
  const parsed = parseOrThrow(perCustomer ? DashboardSchema : DashboardTotalsSchema, options, ['options']) as z.output<
    typeof DashboardSchema
  >;
  return {
    from: parsed.from,
    to: parsed.to,
    customerId: parsed.customerId,
    company: parsed.company,
    currency: parsed.currency,
  };
}

/** {@link OrderFilter} after validation: statuses as a list (empty: every status). */
export interface OrderFilterQuery {
  readonly statuses: readonly SalesOrderStatus[];
  readonly customerId: string | undefined;
  readonly company: string | undefined;
  readonly from: string | undefined;
  readonly to: string | undefined;
}

/** {@link OrderListOptions} with defaults applied. */
export interface OrderListQuery extends OrderFilterQuery, Page {
  readonly orderBy: OrderListOrderBy;
  readonly direction: SortDirection;
}

const Status = z.enum(SALES_ORDER_STATUSES);
const OrderFilterShape = {
  status: z.union([Status, z.array(Status).min(1)]).optional(),
  customerId: Key.optional(),
  company: Key.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
};
const OrderFilterSchema = z.strictObject(OrderFilterShape);
const OrderListSchema = z.strictObject({
  ...OrderFilterShape,
  orderBy: z.enum(['transactionDate', 'orderId', 'netTotal', 'grandTotal']).optional(),
  direction: Direction.optional(),
  ...Page,
});

function filterOf(parsed: z.output<typeof OrderFilterSchema>): OrderFilterQuery {
  const status = parsed.status;
  return {
    statuses: status === undefined ? [] : typeof status === 'string' ? [status] : [...new Set(status)],
    customerId: parsed.customerId,
    company: parsed.company,
    from: parsed.from,
    to: parsed.to,
  };
}

/** Validates an {@link OrderFilter}. */
export function orderFilterQuery(filter: OrderFilter | undefined): OrderFilterQuery {
  return filterOf(parseOrThrow(OrderFilterSchema, filter ?? {}, ['filter']));
}

/** Validates {@link OrderListOptions}. */
export function orderListQuery(options: OrderListOptions | undefined): OrderListQuery {
  const parsed = parseOrThrow(OrderListSchema, options ?? {}, ['options']);
  return {
    ...filterOf(parsed),
    orderBy: parsed.orderBy ?? 'transactionDate',
    direction: parsed.direction ?? 'desc',
    ...page(parsed),
  };
}

/** {@link StockLevelListOptions} with defaults applied. */
export interface StockListQuery extends Page {
  readonly itemCode: string | undefined;
  readonly warehouse: string | undefined;
}

const StockListSchema = z.strictObject({ itemCode: Key.optional(), warehouse: Key.optional(), ...Page });

/** Validates {@link StockLevelListOptions}. */
export function stockListQuery(options: StockLevelListOptions | undefined): StockListQuery {
  const parsed = parseOrThrow(StockListSchema, options ?? {}, ['options']);
  return { itemCode: parsed.itemCode, warehouse: parsed.warehouse, ...page(parsed) };
}

/** {@link CreditBalanceListOptions} with defaults applied. */
export interface CreditListQuery extends Page {
  readonly customerId: string | undefined;
  readonly company: string | undefined;
  readonly overLimit: boolean | undefined;
}

const CreditListSchema = z.strictObject({
  customerId: Key.optional(),
  company: Key.optional(),
  overLimit: z.boolean().optional(),
  ...Page,
});

/** Validates {@link CreditBalanceListOptions}. */
export function creditListQuery(options: CreditBalanceListOptions | undefined): CreditListQuery {
  const parsed = parseOrThrow(CreditListSchema, options ?? {}, ['options']);
  return { customerId: parsed.customerId, company: parsed.company, overLimit: parsed.overLimit, ...page(parsed) };
}

/**
 * Picks the one row a `get` without an explicit currency means: the preferred currency's row when there is
 * one, else the only row. Several rows and no preference is ambiguous: the caller must say which currency.
 */
export function pickCurrencyRow<Row extends { readonly currency: string }>(
  rows: readonly Row[],
  currency: string | undefined,
  preferred: string | undefined,
  what: string,
): Row | undefined {
  if (currency !== undefined) return rows.find((row) => row.currency === currency);
  if (rows.length <= 1) return rows[0];
  const chosen = preferred === undefined ? undefined : rows.find((row) => row.currency === preferred);
  if (chosen) return chosen;
  throw new ValidationError([
    {
      path: ['options', 'currency'],
      message: `${what} has amounts in ${rows.map((row) => row.currency).join(', ')}: say which currency`,
      code: 'invalid_value',
    },
  ]);
}
