import { Money } from '../domain/money/index.js';
import type { ExistingSalesOrder } from '../domain/sales-order/index.js';
import type { StoredEvent } from '../kernel/event.js';
import { defineStateProjection, type StateProjectionHandler } from '../kernel/projection-state.js';
import { type MemoryReadModel, type MemoryReadModelOptions, pageOf, stepMemoryOrder } from './memory-read-model.js';
import { type PersistentMap, pmEmpty, pmGet, pmPut, pmValues } from './persistent-map.js';
import { decodingHandlers } from './read-model-events.js';
import { checkCurrencyOption, checkKey, creditListQuery, pickCurrencyRow } from './read-model-options.js';
import {
  addToCredit,
  CREDIT_LIMIT_EVENT_TYPES,
  type CreditAmounts,
  type CreditLimitRecord,
  compareText,
  creditBalanceOf,
  INVOICE_EVENT_TYPES,
  type InvoiceOutstanding,
  keyOf,
  limitChanges,
  SALES_ORDER_EVENT_TYPES,
  sameContribution,
  stepInvoice,
  unbilledContribution,
  zeroCredit,
} from './read-model-rows.js';
import type { CreditBalance, CreditBalanceQueries } from './read-model-types.js';

/** The default projection name of the credit balances. */
export const CREDIT_BALANCES_PROJECTION = 'ordo-credit-balances';

interface CreditState {
  readonly orders: PersistentMap<ExistingSalesOrder>;
  readonly invoices: PersistentMap<InvoiceOutstanding>;
  readonly limits: PersistentMap<CreditLimitRecord>;
  readonly amounts: PersistentMap<CreditAmounts>;
}

/** Moves one amount of one balance; a balance whose amounts are both zero is dropped (the limit lives apart). */
function move(
  amounts: PersistentMap<CreditAmounts>,
  who: { readonly customerId: string; readonly company: string; readonly currency: string },
  column: 'outstanding' | 'unbilledOrders',
  delta: string,
  sign: 1 | -1,
): PersistentMap<CreditAmounts> {
  const key = keyOf(who.customerId, who.company, who.currency);
  const row = addToCredit(
    pmGet(amounts, key) ?? zeroCredit(who.customerId, who.company, who.currency),
    column,
    delta,
    sign,
  );
  const empty = Money.of(row.outstanding, row.currency).isZero() && Money.of(row.unbilledOrders, row.currency).isZero();
  return pmPut(amounts, key, empty ? undefined : row);
}

function compareBalance(a: CreditBalance, b: CreditBalance): number {
  return (
    compareText(a.customerId, b.customerId) || compareText(a.company, b.company) || compareText(a.currency, b.currency)
  );
}

/** Every balance: one per customer, company and currency with amounts, plus one per limit without amounts. */
function balancesOf(state: CreditState, customerId?: string, company?: string): CreditBalance[] {
  const wanted = (row: { readonly customerId: string; readonly company: string }) =>
    (customerId === undefined || row.customerId === customerId) && (company === undefined || row.company === company);
  const rows = new Map<string, CreditAmounts>();
  for (const row of pmValues(state.amounts))
    if (wanted(row)) rows.set(keyOf(row.customerId, row.company, row.currency), row);
  for (const limit of pmValues(state.limits)) {
    if (!wanted(limit)) continue;
    const key = keyOf(limit.customerId, limit.company, limit.currency);
    if (!rows.has(key)) rows.set(key, zeroCredit(limit.customerId, limit.company, limit.currency));
  }
  const balances: CreditBalance[] = [];
  for (const row of rows.values()) {
    const balance = creditBalanceOf(row, pmGet(state.limits, keyOf(row.customerId, row.company)));
    if (balance) balances.push(balance);
  }
  return balances.sort(compareBalance);
}

/**
 * Customer credit balances, in memory: per customer and company, the credit limit, what the customer owes on
 * invoices, what its submitted orders still have to bill, and what is left of the limit, as the credit check
 * counts them.
 *
 * @example
 * ```ts
 * const credit = createMemoryCreditBalances();
 * // ... run credit.projection inline or async ...
 * await credit.queries.get('CUST-1', 'Acme'); // { creditLimit: '5000.00', exposure: '1200.00', available: '3800.00', ... }
 * ```
 */
export function createMemoryCreditBalances(
  options: MemoryReadModelOptions = {},
): MemoryReadModel<CreditBalanceQueries> {
  const onOrder: StateProjectionHandler<CreditState> = (state, event: StoredEvent) => {
    const step = stepMemoryOrder(state.orders, event);
    if (!step) return state;
    const before = unbilledContribution(step.before);
    const after = unbilledContribution(step.after);
    let amounts = state.amounts;
    if (!sameContribution(before, after)) {
      if (before) amounts = move(amounts, before, 'unbilledOrders', before.amount, -1);
      if (after) amounts = move(amounts, after, 'unbilledOrders', after.amount, 1);
    }
    return { ...state, orders: step.orders, amounts };
  };
  const onInvoice: StateProjectionHandler<CreditState> = (state, event: StoredEvent) => {
    const invoiceId = (event.data as { readonly invoiceId: string }).invoiceId;
    const before = pmGet(state.invoices, invoiceId);
    const after = stepInvoice(before, event);
    if (after === undefined) return state;
    let amounts = state.amounts;
    if (before) amounts = move(amounts, before, 'outstanding', before.outstanding, -1);
    amounts = move(amounts, after, 'outstanding', after.outstanding, 1);
    return { ...state, invoices: pmPut(state.invoices, invoiceId, after), amounts };
  };
  const onLimit: StateProjectionHandler<CreditState> = (state, event: StoredEvent) => {
    const customerId = (event.data as { readonly customerId: string }).customerId;
    let limits = state.limits;
    for (const change of limitChanges(event)) limits = pmPut(limits, keyOf(customerId, change.company), change.limit);
    return { ...state, limits };
  };
  const projection = defineStateProjection<CreditState>({
    name: options.name ?? CREDIT_BALANCES_PROJECTION,
    version: 1,
    initialState: { orders: pmEmpty(), invoices: pmEmpty(), limits: pmEmpty(), amounts: pmEmpty() },
    handlers: decodingHandlers({
      ...Object.fromEntries(SALES_ORDER_EVENT_TYPES.map((type) => [type, onOrder])),
      ...Object.fromEntries(INVOICE_EVENT_TYPES.map((type) => [type, onInvoice])),
      ...Object.fromEntries(CREDIT_LIMIT_EVENT_TYPES.map((type) => [type, onLimit])),
    }),
  });

  const queries: CreditBalanceQueries = {
    async get(customerId, company, getOptions) {
      const id = checkKey(customerId, 'customerId');
      const at = checkKey(company, 'company');
      const currency = checkCurrencyOption(getOptions);
      const state = projection.state;
      const limit = pmGet(state.limits, keyOf(id, at));
      return pickCurrencyRow(balancesOf(state, id, at), currency, limit?.currency, `customer "${id}" at "${at}"`);
    },
    async list(listOptions) {
      const query = creditListQuery(listOptions);
      const rows = balancesOf(projection.state, query.customerId, query.company).filter(
        (row) => query.overLimit === undefined || row.overLimit === query.overLimit,
      );
      return pageOf(rows, query);
    },
  };
  return { projection, queries };
}
