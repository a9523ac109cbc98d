import type { StoredEvent } from '../kernel/event.js';
import { CREDIT_BALANCES_PROJECTION } from './credit-balances.js';
import { checkCurrencyOption, checkKey, creditListQuery, pickCurrencyRow } from './read-model-options.js';
import {
  addToCredit,
  type Change,
  CREDIT_LIMIT_EVENT_TYPES,
  type CreditAmounts,
  type CreditLimitRecord,
  changesByKey,
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
import type { SqlDialect, SqlExecutor } from './sql-executor.js';
import { orderFoldTable, saveFoldedOrder, stepSqlOrder } from './sql-order-fold.js';
import {
  defineSqlProjection,
  flag,
  type SqlReadModel,
  type SqlReadModelConfig,
  tableNaming,
  toNumber,
  whereOf,
} from './sql-read-model.js';

interface BalanceRow {
  customer_id: string;
  company: string;
  currency: string;
  credit_limit: string | null;
  bypass_at_sales_order: unknown;
  outstanding: string;
  unbilled_orders: string;
  exposure: string;
  available: string | null;
  over_limit: unknown;
}

interface LimitRow {
  currency: string;
  credit_limit: string;
  bypass_at_sales_order: unknown;
}

const BALANCE_COLUMNS = [
  'customer_id',
  'company',
  'currency',
  'CAST(credit_limit AS TEXT) AS credit_limit',
  'bypass_at_sales_order',
  'CAST(outstanding AS TEXT) AS outstanding',
  'CAST(unbilled_orders AS TEXT) AS unbilled_orders',
  'CAST(exposure AS TEXT) AS exposure',
  'CAST(available AS TEXT) AS available',
  'over_limit',
].join(', ');

function balanceOf(row: BalanceRow): CreditBalance {
  return {
    customerId: row.customer_id,
    company: row.company,
    currency: row.currency,
    creditLimit: row.credit_limit,
    bypassAtSalesOrder: toNumber(row.bypass_at_sales_order) === 1,
    outstanding: row.outstanding,
    unbilledOrders: row.unbilled_orders,
    exposure: row.exposure,
    available: row.available,
    overLimit: toNumber(row.over_limit) === 1,
  };
}

/**
 * Customer credit balances in SQL tables (SQLite or PostgreSQL): `<prefix>credit_balances`, one row per customer,
 * company and currency with the limit, `outstanding`, `unbilled_orders`, `exposure`, `available` and an indexed
 * `over_limit` flag, all written by the projection (so "who is over the limit" is one indexed query); plus its
 * sources: `<prefix>credit_limits`, `<prefix>credit_invoices` (each invoice's outstanding amount) and
 * `<prefix>credit_orders` (its copy of each order). Same semantics and queries as {@link createMemoryCreditBalances}.
 *
 * @example
 * ```ts
 * const credit = createSqlCreditBalances({ executor: createSqliteExecutor(store.database) });
 * await credit.queries.list({ company: 'Acme', overLimit: true });
 * ```
 */
export function createSqlCreditBalances(config: SqlReadModelConfig): SqlReadModel<CreditBalanceQueries> {
  const naming = tableNaming(config, config.executor.dialect);
  const balances = naming.table('credit_balances');
  const limits = naming.table('credit_limits');
  const invoices = naming.table('credit_invoices');
  const folds = orderFoldTable(naming, 'credit_orders');
  const foldTable = naming.table(folds.name);

  const loadLimit = async (sql: SqlExecutor, customerId: string, company: string) => {
    const [row] = await sql.all<LimitRow>(
      `SELECT currency, CAST(credit_limit AS TEXT) AS credit_limit, bypass_at_sales_order FROM ${limits}
       WHERE customer_id = ? AND company = ?`,
      [customerId, company],
    );
    return row === undefined
      ? undefined
      : ({
          customerId,
          company,
          currency: row.currency,
          limit: row.credit_limit,
          bypassAtSalesOrder: toNumber(row.bypass_at_sales_order) === 1,
        } satisfies CreditLimitRecord);
  };

  const loadAmounts = async (sql: SqlExecutor, customerId: string, company: string, currency: string) => {
    const [row] = await sql.all<BalanceRow>(
      `SELECT ${BALANCE_COLUMNS} FROM ${balances} WHERE customer_id = ? AND company = ? AND currency = ?`,
      [customerId, company, currency],
    );
    return row === undefined
      ? zeroCredit(customerId, company, currency)
      : ({
          customerId,
          company,
          currency,
          outstanding: row.outstanding,
          unbilledOrders: row.unbilled_orders,
        } satisfies CreditAmounts);
  };

  /** Writes a balance with its limit and derived figures, or removes it when there is nothing left to show. */
  const write = async (sql: SqlExecutor, amounts: CreditAmounts): Promise<void> => {
    const { customerId, company, currency } = amounts;
    const balance = creditBalanceOf(amounts, await loadLimit(sql, customerId, company));
    if (balance === undefined) {
      await sql.run(`DELETE FROM ${balances} WHERE customer_id = ? AND company = ? AND currency = ?`, [
        customerId,
        company,
        currency,
      ]);
      return;
    }
    await sql.run(
      `INSERT INTO ${balances} (customer_id, company, currency, credit_limit, bypass_at_sales_order, outstanding,
         unbilled_orders, exposure, available, over_limit)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (customer_id, company, currency) DO UPDATE SET credit_limit = excluded.credit_limit,
         bypass_at_sales_order = excluded.bypass_at_sales_order, outstanding = excluded.outstanding,
         unbilled_orders = excluded.unbilled_orders, exposure = excluded.exposure, available = excluded.available,
         over_limit = excluded.over_limit`,
      [
        customerId,
        company,
        currency,
        balance.creditLimit,
        flag(balance.bypassAtSalesOrder),
        balance.outstanding,
        balance.unbilledOrders,
        balance.exposure,
        balance.available,
        flag(balance.overLimit),
      ],
    );
  };

  /** Moves one amount of one balance by the changes of one event (all for that balance). */
  const move = async <T extends { readonly customerId: string; readonly company: string; readonly currency: string }>(
    sql: SqlExecutor,
    changes: readonly Change<T>[],
    column: 'outstanding' | 'unbilledOrders',
    amountOf: (contribution: T) => string,
  ): Promise<void> => {
    const first = changes[0];
    if (!first) return;
    const { customerId, company, currency } = first.contribution;
    let amounts = await loadAmounts(sql, customerId, company, currency);
    for (const { contribution, sign } of changes) amounts = addToCredit(amounts, column, amountOf(contribution), sign);
    await write(sql, amounts);
  };
  const balanceKey = (c: { readonly customerId: string; readonly company: string; readonly currency: string }) =>
    keyOf(c.customerId, c.company, c.currency);

  const onOrder = async (sql: SqlExecutor, event: StoredEvent): Promise<void> => {
    const step = await stepSqlOrder(sql, foldTable, event);
    if (!step) return;
    await saveFoldedOrder(sql, foldTable, step.after, event.globalPosition);
    const before = unbilledContribution(step.before);
    const after = unbilledContribution(step.after);
    if (sameContribution(before, after)) return;
    for (const changes of changesByKey(before, after, balanceKey)) {
      await move(sql, changes, 'unbilledOrders', (c) => c.amount);
    }
  };

  const onInvoice = async (sql: SqlExecutor, event: StoredEvent): Promise<void> => {
    const invoiceId = (event.data as { readonly invoiceId: string }).invoiceId;
    const [row] = await sql.all<{
      customer_id: string;
      company: string;
      currency: string;
      outstanding: string;
      last_position: unknown;
    }>(
      `SELECT customer_id, company, currency, CAST(outstanding AS TEXT) AS outstanding,
         CAST(last_position AS TEXT) AS last_position FROM ${invoices} WHERE invoice_id = ?`,
      [invoiceId],
    );
    if (row && toNumber(row.last_position) >= event.globalPosition) return;
    const before: InvoiceOutstanding | undefined = row && {
      invoiceId,
      customerId: row.customer_id,
      company: row.company,
      currency: row.currency,
      outstanding: row.outstanding,
    };
    const after = stepInvoice(before, event);
    if (after === undefined) return;
    await sql.run(
      `INSERT INTO ${invoices} (invoice_id, customer_id, company, currency, outstanding, last_position)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (invoice_id) DO UPDATE SET customer_id = excluded.customer_id, company = excluded.company,
         currency = excluded.currency, outstanding = excluded.outstanding, last_position = excluded.last_position`,
      [invoiceId, after.customerId, after.company, after.currency, after.outstanding, event.globalPosition],
    );
    for (const changes of changesByKey(before, after, balanceKey)) {
      await move(sql, changes, 'outstanding', (c) => c.outstanding);
    }
  };

  const onLimit = async (sql: SqlExecutor, event: StoredEvent): Promise<void> => {
    const customerId = (event.data as { readonly customerId: string }).customerId;
    for (const change of limitChanges(event)) {
      const previous = await loadLimit(sql, customerId, change.company);
      if (change.limit === undefined) {
        await sql.run(`DELETE FROM ${limits} WHERE customer_id = ? AND company = ?`, [customerId, change.company]);
      } else {
        await sql.run(
          `INSERT INTO ${limits} (customer_id, company, currency, credit_limit, bypass_at_sales_order)
           VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (customer_id, company) DO UPDATE SET currency = excluded.currency,
             credit_limit = excluded.credit_limit, bypass_at_sales_order = excluded.bypass_at_sales_order`,
          [
            customerId,
            change.company,
            change.limit.currency,
            change.limit.limit,
            flag(change.limit.bypassAtSalesOrder),
          ],
        );
      }
      // The balances in the old and the new limit's currency both change (limit shown, or taken away).
      const currencies = new Set([previous?.currency, change.limit?.currency].filter((c) => c !== undefined));
      for (const currency of currencies) await write(sql, await loadAmounts(sql, customerId, change.company, currency));
    }
  };

  const projection = defineSqlProjection({
    name: config.name ?? CREDIT_BALANCES_PROJECTION,
    version: 1,
    naming,
    tables: [
      {
        name: 'credit_balances',
        create: (dialect: SqlDialect) => [
          `CREATE TABLE IF NOT EXISTS ${balances} (
            customer_id TEXT NOT NULL,
            company TEXT NOT NULL,
            currency TEXT NOT NULL,
            credit_limit ${dialect.decimalType},
            bypass_at_sales_order INTEGER NOT NULL,
            outstanding ${dialect.decimalType} NOT NULL,
            unbilled_orders ${dialect.decimalType} NOT NULL,
            exposure ${dialect.decimalType} NOT NULL,
            available ${dialect.decimalType},
            over_limit INTEGER NOT NULL,
            PRIMARY KEY (customer_id, company, currency)
          )`,
          `CREATE INDEX IF NOT EXISTS ${naming.index('credit_balances_by_company')} ON ${balances} (company, over_limit)`,
          `CREATE INDEX IF NOT EXISTS ${naming.index('credit_balances_over_limit')} ON ${balances} (over_limit)`,
        ],
      },
      {
        name: 'credit_limits',
        create: (dialect: SqlDialect) => [
          `CREATE TABLE IF NOT EXISTS ${limits} (
            customer_id TEXT NOT NULL,
            company TEXT NOT NULL,
            currency TEXT NOT NULL,
            credit_limit ${dialect.decimalType} NOT NULL,
            bypass_at_sales_order INTEGER NOT NULL,
            PRIMARY KEY (customer_id, company)
          )`,
        ],
      },
      {
        name: 'credit_invoices',
        create: (dialect: SqlDialect) => [
          `CREATE TABLE IF NOT EXISTS ${invoices} (
            invoice_id TEXT PRIMARY KEY,
            customer_id TEXT NOT NULL,
            company TEXT NOT NULL,
            currency TEXT NOT NULL,
            outstanding ${dialect.decimalType} NOT NULL,
            last_position ${dialect.bigintType} NOT NULL
          )`,
          `CREATE INDEX IF NOT EXISTS ${naming.index('credit_invoices_by_customer')} ON ${invoices} (customer_id, company)`,
        ],
      },
      folds,
    ],
    handlers: {
      ...Object.fromEntries(SALES_ORDER_EVENT_TYPES.map((type) => [type, onOrder])),
      ...Object.fromEntries(INVOICE_EVENT_TYPES.map((type) => [type, onInvoice])),
      ...Object.fromEntries(CREDIT_LIMIT_EVENT_TYPES.map((type) => [type, onLimit])),
    },
  });

  const { executor } = config;
  const { dialect } = executor;
  const ORDER = `${dialect.orderText('customer_id')}, ${dialect.orderText('company')}, ${dialect.orderText('currency')}`;
  const queries: CreditBalanceQueries = {
    async get(customerId, company, options) {
      const id = checkKey(customerId, 'customerId');
      const at = checkKey(company, 'company');
      const currency = checkCurrencyOption(options);
      const rows = await executor.all<BalanceRow>(
        `SELECT ${BALANCE_COLUMNS} FROM ${balances} WHERE customer_id = ? AND company = ? ORDER BY ${ORDER}`,
        [id, at],
      );
      const [limit] = await executor.all<{ currency: string }>(
        `SELECT currency FROM ${limits} WHERE customer_id = ? AND company = ?`,
        [id, at],
      );
      return pickCurrencyRow(rows.map(balanceOf), currency, limit?.currency, `customer "${id}" at "${at}"`);
    },
    async list(options) {
      const query = creditListQuery(options);
      const where = whereOf([
        query.customerId === undefined ? undefined : ['customer_id = ?', query.customerId],
        query.company === undefined ? undefined : ['company = ?', query.company],
        query.overLimit === undefined ? undefined : ['over_limit = ?', flag(query.overLimit)],
      ]);
      const rows = await executor.all<BalanceRow>(
        `SELECT ${BALANCE_COLUMNS} FROM ${balances}${where.sql} ORDER BY ${ORDER} LIMIT ? OFFSET ?`,
        [...where.params, query.limit, query.offset],
      );
      return rows.map(balanceOf);
    },
  };
  return { projection, queries, tables: [balances, limits, invoices, foldTable] };
}
