/**
 * The rows and query interfaces of the built-in ERP read models. The in-memory and the SQL versions of a read
 * model implement the same query interface and return the same rows for the same events, so a host can switch
 * stores without touching the code that reads.
 *
 * Money and quantities are decimal strings, exactly as the domain computes them: never JS floats.
 */
import type { SalesOrderDocStatus, SalesOrderStatus } from '../domain/sales-order/index.js';

/** Paging of a list query. */
export interface PageOptions {
  /** Most rows to return, 1 to 10 000. @defaultValue `100` */
  readonly limit?: number;
  /** Rows to skip first. @defaultValue `0` */
  readonly offset?: number;
}

/** Sort direction of a list query. */
export type SortDirection = 'asc' | 'desc';

// -------------------------------------------------------------------------------------------------------------
// Customer order summary

/**
 * What one customer has ordered, in one currency: submitted orders only, cancellations taken back.
 *
 * @remarks Amounts are never added across currencies, so a customer with orders in two currencies has two
 * summaries. With one company currency (the usual case) there is one per customer.
 */
export interface CustomerOrderSummary {
  readonly customerId: string;
  /** ISO 4217 code of `totalAmount`: the orders' currency. */
  readonly currency: string;
  /** Submitted orders that are not cancelled (closed and on-hold orders count: they were sold). */
  readonly totalOrders: number;
  /** Σ net total of those orders: after line and order-level discounts, before taxes. */
  readonly totalAmount: string;
  /** The latest transaction date (`YYYY-MM-DD`) among those orders. */
  readonly lastOrderDate: string;
  /** Those orders still to deliver or bill: not closed and not completed (on-hold orders count). */
  readonly openOrders: number;
}

/** Columns {@link CustomerOrderSummaryQueries.list} can sort by. */
export type CustomerOrderSummaryOrderBy = 'customerId' | 'totalAmount' | 'totalOrders' | 'openOrders' | 'lastOrderDate';

/** Options of {@link CustomerOrderSummaryQueries.list}. */
export interface CustomerOrderSummaryListOptions extends PageOptions {
  /** Only this customer. @defaultValue every customer */
  readonly customerId?: string;
  /** Only this currency. @defaultValue every currency */
  readonly currency?: string;
  /** Sort key; ties are broken by customer, then currency, ascending. @defaultValue `'customerId'` */
  readonly orderBy?: CustomerOrderSummaryOrderBy;
  /** @defaultValue `'asc'` for `customerId`, `'desc'` otherwise */
  readonly direction?: SortDirection;
}

/** Queries of the customer order summary read model. */
export interface CustomerOrderSummaryQueries {
  /**
   * The summary of one customer, or `undefined` when it has no submitted, not cancelled order.
   *
   * @throws ValidationError when the customer has orders in several currencies and `currency` is not given.
   */
  get(customerId: string, options?: { readonly currency?: string }): Promise<CustomerOrderSummary | undefined>;
  /** Summaries, filtered, sorted and paged. */
  list(options?: CustomerOrderSummaryListOptions): Promise<readonly CustomerOrderSummary[]>;
}

// -------------------------------------------------------------------------------------------------------------
// Daily sales dashboard

/** The sales of one day to one customer by one company, in one currency. */
export interface DailySales {
  /** The orders' transaction date (`YYYY-MM-DD`). */
  readonly date: string;
  readonly company: string;
  readonly customerId: string;
  readonly currency: string;
  /** Σ net total of the day's submitted, not cancelled orders (after discounts, before taxes). */
  readonly totalSales: string;
  readonly orderCount: number;
  /** `totalSales / orderCount`, rounded half-even to the currency's minor unit. */
  readonly averageOrderValue: string;
}

/** The sales of one day over every customer (of one company, when filtered), in one currency. */
export interface DailySalesTotal {
  readonly date: string;
  readonly currency: string;
  readonly totalSales: string;
  readonly orderCount: number;
  /** `totalSales / orderCount`, rounded half-even to the currency's minor unit. */
  readonly averageOrderValue: string;
  /** How many customers bought that day. */
  readonly customers: number;
}

/** The days and filters of a dashboard query. */
export interface SalesDashboardRange {
  /** First day, inclusive (`YYYY-MM-DD`). */
  readonly from: string;
  /** Last day, inclusive (`YYYY-MM-DD`). */
  readonly to: string;
  /** Only this company. @defaultValue every company */
  readonly company?: string;
  /** Only this currency. @defaultValue every currency */
  readonly currency?: string;
}

/** Options of {@link SalesDashboardQueries.daily}. */
export interface SalesDashboardDailyOptions extends SalesDashboardRange {
  /** Only this customer. @defaultValue every customer */
  readonly customerId?: string;
}

/** Queries of the daily sales dashboard read model. */
export interface SalesDashboardQueries {
  /** One row per day, company, customer and currency that sold, by date, then company, customer, currency. */
  daily(options: SalesDashboardDailyOptions): Promise<readonly DailySales[]>;
  /** One row per day and currency that sold, summed over customers, by date, then currency. */
  dailyTotals(options: SalesDashboardRange): Promise<readonly DailySalesTotal[]>;
}

// -------------------------------------------------------------------------------------------------------------
// Orders

/** One order in the order list: drafts, submitted and cancelled orders alike. */
export interface OrderListEntry {
  readonly orderId: string;
  readonly customerId: string;
  readonly company: string;
  readonly currency: string;
  /** The order date (`YYYY-MM-DD`). */
  readonly transactionDate: string;
  /** The header delivery date (the latest line date once submitted), if any. */
  readonly deliveryDate: string | null;
  /** The derived status (`draft`, `to_deliver_and_bill`, ..., `on_hold`, `closed`, `cancelled`). */
  readonly status: SalesOrderStatus;
  readonly docStatus: SalesOrderDocStatus;
  /** Σ line amounts, before the order-level discount. */
  readonly total: string;
  /** The order-level discount amount. */
  readonly discountAmount: string;
  /** After line and order-level discounts, before taxes. */
  readonly netTotal: string;
  readonly totalTaxes: string;
  /** What the customer pays. */
  readonly grandTotal: string;
  /** Percent delivered (6 decimals, rounded down). */
  readonly perDelivered: string;
  /** Percent billed (6 decimals, rounded down). */
  readonly perBilled: string;
  readonly lineCount: number;
  /** ISO 8601 instants from the deciding context. */
  readonly createdAt: string;
  readonly submittedAt: string | null;
  readonly cancelledAt: string | null;
}

/** One line of an order, with its delivery and billing progress. */
export interface OrderLineDetails {
  readonly lineId: string;
  readonly itemCode: string;
  readonly warehouse: string;
  readonly qty: string;
  readonly uom: string;
  readonly priceListRate: string;
  readonly discountPercentage: string;
  /** The unit price charged. */
  readonly rate: string;
  /** `rate × qty`, rounded. */
  readonly amount: string;
  /** The line's share of the order-level discount. */
  readonly discountAmount: string;
  /** `amount − discountAmount`. */
  readonly netAmount: string;
  readonly deliveredQty: string;
  readonly billedAmount: string;
  /** The line's delivery date (`null` in a draft: the header's applies). */
  readonly deliveryDate: string | null;
}

/** An order with its lines. */
export interface OrderDetails extends OrderListEntry {
  readonly onHold: boolean;
  readonly holdReason: string | null;
  readonly closed: boolean;
  readonly lines: readonly OrderLineDetails[];
}

/** Which orders {@link OrderQueries.list} and {@link OrderQueries.count} return. */
export interface OrderFilter {
  /** Only orders in this status (or any of these). @defaultValue every status */
  readonly status?: SalesOrderStatus | readonly SalesOrderStatus[];
  /** Only this customer's orders. @defaultValue every customer */
  readonly customerId?: string;
  /** Only this company's orders. @defaultValue every company */
  readonly company?: string;
  /** Transaction date on or after (`YYYY-MM-DD`). @defaultValue no bound */
  readonly from?: string;
  /** Transaction date on or before (`YYYY-MM-DD`). @defaultValue no bound */
  readonly to?: string;
}

/** Columns {@link OrderQueries.list} can sort by. */
export type OrderListOrderBy = 'transactionDate' | 'orderId' | 'netTotal' | 'grandTotal';

/** Options of {@link OrderQueries.list}. */
export interface OrderListOptions extends OrderFilter, PageOptions {
  /** Sort key; ties are broken by order id in the same direction. @defaultValue `'transactionDate'` */
  readonly orderBy?: OrderListOrderBy;
  /** @defaultValue `'desc'` (newest first) */
  readonly direction?: SortDirection;
}

/** Queries of the order list read model. */
export interface OrderQueries {
  /** One order with its lines, or `undefined` when it was never created. */
  get(orderId: string): Promise<OrderDetails | undefined>;
  /** Orders, filtered, sorted and paged. */
  list(options?: OrderListOptions): Promise<readonly OrderListEntry[]>;
  /** How many orders match the filter (for paging). */
  count(filter?: OrderFilter): Promise<number>;
}

// -------------------------------------------------------------------------------------------------------------
// Stock levels

/** The stock of one item in one warehouse (ERPNext's Bin), in stock units. */
export interface ItemStockLevel {
  readonly itemCode: string;
  readonly warehouse: string;
  /** What is physically there. */
  readonly actualQty: string;
  /** Σ active reservations (soft and hard) of submitted orders not yet delivered. */
  readonly reservedQty: string;
  /** The hard part of `reservedQty`: stock that may only go to its order. */
  readonly hardReservedQty: string;
  /** `actualQty − reservedQty`; negative when more is promised than is there. */
  readonly projectedQty: string;
}

/** Options of {@link StockLevelQueries.list}. */
export interface StockLevelListOptions extends PageOptions {
  /** Only this item. @defaultValue every item */
  readonly itemCode?: string;
  /** Only this warehouse. @defaultValue every warehouse */
  readonly warehouse?: string;
}

/** Queries of the stock levels read model. */
export interface StockLevelQueries {
  /** The stock of an item in a warehouse, or `undefined` when nothing ever happened there. */
  get(itemCode: string, warehouse: string): Promise<ItemStockLevel | undefined>;
  /** Stock levels by item, then warehouse. */
  list(options?: StockLevelListOptions): Promise<readonly ItemStockLevel[]>;
}

// -------------------------------------------------------------------------------------------------------------
// Credit balances

/** A customer's credit position with one company, in one currency. */
export interface CreditBalance {
  readonly customerId: string;
  readonly company: string;
  readonly currency: string;
  /**
   * The customer's own credit limit for the company when it is in this currency and not zero (`0` means "no
   * limit at the customer level" in the domain); `null` otherwise.
   */
  readonly creditLimit: string | null;
  /** The limit's "bypass the check at sales order" flag (`false` without a limit). */
  readonly bypassAtSalesOrder: boolean;
  /** Σ outstanding of the customer's submitted, not cancelled invoices (unallocated payments not netted). */
  readonly outstanding: string;
  /** Σ unbilled amount (grand total, taxes included) of submitted orders that are not closed or cancelled. */
  readonly unbilledOrders: string;
  /** `outstanding + unbilledOrders`: what the credit check counts. */
  readonly exposure: string;
  /** `creditLimit − exposure` (negative when over the limit); `null` without a limit. */
  readonly available: string | null;
  /** True when `exposure > creditLimit`. */
  readonly overLimit: boolean;
}

/** Options of {@link CreditBalanceQueries.list}. */
export interface CreditBalanceListOptions extends PageOptions {
  readonly customerId?: string;
  readonly company?: string;
  /** Only balances over (`true`) or within (`false`) their limit. @defaultValue both */
  readonly overLimit?: boolean;
}

/** Queries of the credit balances read model. */
export interface CreditBalanceQueries {
  /**
   * The credit position of a customer with a company, or `undefined` when it has no limit and owes nothing.
   * Without `currency`, the balance in the limit's currency, else the only one.
   *
   * @throws ValidationError when there are balances in several currencies, none of them the limit's, and
   * `currency` is not given.
   */
  get(
    customerId: string,
    company: string,
    options?: { readonly currency?: string },
  ): Promise<CreditBalance | undefined>;
  /** Balances by customer, company, currency. */
  list(options?: CreditBalanceListOptions): Promise<readonly CreditBalance[]>;
}

// -------------------------------------------------------------------------------------------------------------
// All of them

/** The query objects of every built-in ERP read model. */
export interface ErpReadModelQueries {
  readonly customerOrderSummary: CustomerOrderSummaryQueries;
  readonly salesDashboard: SalesDashboardQueries;
  readonly orders: OrderQueries;
  readonly stockLevels: StockLevelQueries;
  readonly creditBalances: CreditBalanceQueries;
}
