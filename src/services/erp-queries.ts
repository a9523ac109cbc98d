import { customerStreamId } from '../domain/customer/customer-ids.js';
import type { CustomerRecord } from '../domain/customer/customer-state.js';
import { paymentStreamId, salesInvoiceStreamId } from '../domain/invoice/invoice-ids.js';
import type { PaymentRecord } from '../domain/invoice/payment-state.js';
import type { SalesInvoiceRecord } from '../domain/invoice/sales-invoice-state.js';
import { itemStreamId } from '../domain/item/item-ids.js';
import type { ItemRecord } from '../domain/item/item-state.js';
import type { MoneyJSON } from '../domain/money/index.js';
import { priceListStreamId } from '../domain/price-list/price-list-ids.js';
import type { PriceListState } from '../domain/price-list/price-list-state.js';
import { salesOrderStreamId } from '../domain/sales-order/sales-order-ids.js';
import type { ExistingSalesOrder } from '../domain/sales-order/sales-order-state.js';
import { stockStreamId } from '../domain/stock/stock-ids.js';
import { availableToIssue, projectedQty } from '../domain/stock/stock-quantities.js';
import type { StockState } from '../domain/stock/stock-state.js';
import {
  type LedgerInvoice,
  type LedgerOrder,
  type LedgerPayment,
  ledgerCurrencies,
  ledgerExposure,
} from './customer-ledger.js';
import type { ErpRuntime } from './erp-runtime.js';
import { loadLedger, models } from './erp-support.js';
import { UnitOfWork } from './unit-of-work.js';

/** The stock of one item in one warehouse, with the derived quantities. */
export interface StockLevelView {
  readonly itemCode: string;
  readonly warehouse: string;
  /** What is physically there. */
  readonly actualQty: string;
  /** Σ active reservations (soft and hard). */
  readonly reservedQty: string;
  /** `actual − reserved`; negative when more is promised than is there. */
  readonly projectedQty: string;
  /** `actual − hard-reserved`. */
  readonly availableToIssue: string;
  /** The active reservations, by order line. */
  readonly reservations: readonly { readonly orderId: string; readonly lineId: string; readonly qty: string }[];
}

/** @internal A stock state as a {@link StockLevelView}. */
export function stockLevelView(state: StockState, itemCode: string, warehouse: string): StockLevelView {
  return {
    itemCode,
    warehouse,
    actualQty: state.actualQty,
    reservedQty: state.reservedQty,
    projectedQty: projectedQty(state).value,
    availableToIssue: availableToIssue(state).value,
    reservations: Object.values(state.reservations)
      .filter((reservation) => reservation.status === 'active')
      .map((reservation) => ({ orderId: reservation.orderId, lineId: reservation.lineId, qty: reservation.qty })),
  };
}

/**
 * A customer's balance for one company, from its ledger.
 *
 * @remarks The figures are in one currency (`currency`: the one asked for, else the ERP's); Ordo converts no
 * currency, so entries in other currencies are not in them but in `byCurrency`, which has the same figures for every
 * currency the customer's entries use. The lists hold the company's entries in every currency.
 */
export interface CustomerBalance {
  readonly customerId: string;
  readonly company: string;
  readonly currency: string;
  /** Σ outstanding of its invoices in `currency`: what it owes now. */
  readonly outstanding: MoneyJSON;
  /** Σ unbilled amount of its submitted, open orders (on hold included) in `currency`. */
  readonly unbilled: MoneyJSON;
  /** `outstanding + unbilled`: what the credit check counts before a new order (for a limit in `currency`). */
  readonly exposure: MoneyJSON;
  /** Σ payments not allocated to an invoice (advances) in `currency`. */
  readonly advances: MoneyJSON;
  /**
   * The same figures per currency: `currency` first, then every other currency of the company's entries, sorted;
   * one entry for a customer who deals in one currency.
   */
  readonly byCurrency: readonly Pick<
    CustomerBalance,
    'currency' | 'outstanding' | 'unbilled' | 'exposure' | 'advances'
  >[];
  readonly orders: readonly LedgerOrder[];
  readonly invoices: readonly LedgerInvoice[];
  readonly payments: readonly LedgerPayment[];
}

/** @internal The read-only queries of the ERP: each folds the streams it needs, at the moment it is called. */
export function createQueries(runtime: ErpRuntime) {
  const read = () => new UnitOfWork(runtime.store, runtime.registry, runtime.stateCache);
  return {
    async getOrder(orderId: string): Promise<ExistingSalesOrder | undefined> {
      const state = await read().load(salesOrderStreamId(orderId), models.salesOrder);
      return state.exists ? state : undefined;
    },
    async getCustomer(customerId: string): Promise<CustomerRecord | undefined> {
      const state = await read().load(customerStreamId(customerId), models.customer);
      return state.exists ? state.customer : undefined;
    },
    async getItem(itemCode: string): Promise<ItemRecord | undefined> {
      const state = await read().load(itemStreamId(itemCode), models.item);
      return state.exists ? state.item : undefined;
    },
    async getPriceList(priceListId: string): Promise<PriceListState> {
      return read().load(priceListStreamId(priceListId), models.priceList);
    },
    async getStock(itemCode: string, warehouse: string = runtime.settings.defaultWarehouse): Promise<StockLevelView> {
      const state = await read().load(stockStreamId(itemCode, warehouse), models.stock);
      return stockLevelView(state, itemCode, warehouse);
    },
    async getInvoice(invoiceId: string): Promise<SalesInvoiceRecord | undefined> {
      const state = await read().load(salesInvoiceStreamId(invoiceId), models.salesInvoice);
      return state.exists ? state.invoice : undefined;
    },
    async getPayment(paymentId: string): Promise<PaymentRecord | undefined> {
      const state = await read().load(paymentStreamId(paymentId), models.payment);
      return state.exists ? state.payment : undefined;
    },
    async customerBalance(
      customerId: string,
      options: { readonly company?: string | undefined; readonly currency?: string | undefined } = {},
    ): Promise<CustomerBalance> {
      const company = options.company ?? runtime.settings.company;
      const currency = options.currency ?? runtime.settings.currency;
      const ledger = await loadLedger(read(), customerId);
      const figures = (inCurrency: string) => {
        const exposure = ledgerExposure(ledger, company, inCurrency);
        return {
          currency: exposure.outstanding.currency,
          outstanding: exposure.outstanding.toJSON(),
          unbilled: exposure.unbilled.toJSON(),
          exposure: exposure.outstanding.add(exposure.unbilled).toJSON(),
          advances: exposure.advances.toJSON(),
        };
      };
      const main = figures(currency);
      const others = ledgerCurrencies(ledger, company).filter((other) => other !== main.currency);
      const ofCompany = <T extends { readonly company: string }>(entries: Readonly<Record<string, T>>) =>
        Object.values(entries).filter((entry) => entry.company === company);
      return {
        customerId,
        company,
        ...main,
        currency,
        byCurrency: [main, ...others.map(figures)],
        orders: ofCompany(ledger.orders),
        invoices: ofCompany(ledger.invoices),
        payments: ofCompany(ledger.payments),
      };
    },
  };
}
