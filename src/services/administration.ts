import { z } from 'zod';
import { type CustomerCommand, CustomerCommandSchema } from '../domain/customer/customer-commands.js';
import { customerStreamId } from '../domain/customer/customer-ids.js';
import type { CustomerRecord } from '../domain/customer/customer-state.js';
import { type ItemCommand, ItemCommandSchema } from '../domain/item/item-commands.js';
import { itemGroupLineage } from '../domain/item/item-groups.js';
import { itemStreamId } from '../domain/item/item-ids.js';
import type { ItemRecord } from '../domain/item/item-state.js';
import type { MoneyJSON } from '../domain/money/index.js';
import { type PriceListCommand, PriceListCommandSchema } from '../domain/price-list/price-list-commands.js';
import { priceListStreamId } from '../domain/price-list/price-list-ids.js';
import type { PriceListState } from '../domain/price-list/price-list-state.js';
import { IssueStockSchema, ReceiveStockSchema } from '../domain/stock/stock-commands.js';
import { stockStreamId } from '../domain/stock/stock-ids.js';
import { customerLedgerStreamId, ledgerExposure } from './customer-ledger.js';
import { type StockLevelView, stockLevelView } from './erp-queries.js';
import { collect, type ErpError, type ErpResult, erpError, erpFailure } from './erp-result.js';
import { accept, type ErpRuntime, runUseCase, type UseCaseContext } from './erp-runtime.js';
import { decideContext, models } from './erp-support.js';

/** What an administration use case returns: the record after the command and the events it appended. */
export interface AdminPayload<Record> {
  /** The record after the command (`null` when it does not exist). */
  readonly record: Record;
  /** The types of the events appended; empty when the command changed nothing. */
  readonly events: readonly string[];
}

/**
 * The Customer commands whose `currentOutstanding` the ERP fills in.
 *
 * @inline
 */
type CreditLimitCommand = Extract<CustomerCommand, { type: 'AddCustomerCreditLimit' | 'ChangeCustomerCreditLimit' }>;

/**
 * A Customer command as the ERP takes it: exactly the domain's, except that the credit-limit commands need no
 * `currentOutstanding` — the ERP reads it from the customer's ledger (outstanding invoices plus unbilled orders of
 * the company, or the invoices alone when the limit bypasses the sales-order check) and ignores a given one.
 */
export type ErpCustomerCommand =
  | Exclude<CustomerCommand, CreditLimitCommand>
  | (Omit<CreditLimitCommand, 'currentOutstanding'> & { readonly currentOutstanding?: MoneyJSON | undefined });

/** Stock movements an administrator makes: receipts and issues (reservations and deliveries belong to orders). */
export type StockAdjustmentCommand = z.input<typeof ReceiveStockSchema> | z.input<typeof IssueStockSchema>;

const CREDIT_LIMIT_TYPES = new Set(['AddCustomerCreditLimit', 'ChangeCustomerCreditLimit']);

/** Validates an {@link ErpCustomerCommand}: the domain's schema, with a placeholder outstanding the ERP replaces. */
export const ErpCustomerCommandSchema = z.preprocess((value) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const command = value as { type?: unknown; limit?: { currency?: unknown } };
  if (typeof command.type !== 'string' || !CREDIT_LIMIT_TYPES.has(command.type)) return value;
  const currency = typeof command.limit?.currency === 'string' ? command.limit.currency : 'USD';
  return { ...value, currentOutstanding: { amount: '0', currency } };
}, CustomerCommandSchema);

/** Validates a {@link StockAdjustmentCommand}. */
export const StockAdjustmentCommandSchema = z.discriminatedUnion('type', [ReceiveStockSchema, IssueStockSchema]);

/** @internal Registers and changes customers; credit-limit commands get the current outstanding from the ledger. */
export function manageCustomer(runtime: ErpRuntime) {
  return (
    command: ErpCustomerCommand,
    context?: UseCaseContext,
  ): Promise<ErpResult<AdminPayload<CustomerRecord | null>>> =>
    runUseCase(runtime, 'manageCustomer', ErpCustomerCommandSchema, command, context, async (uow, call, parsed) => {
      const streamId = customerStreamId(parsed.customerId);
      await uow.load(streamId, models.customer);
      let decided: CustomerCommand = parsed;
      if (parsed.type === 'AddCustomerCreditLimit' || parsed.type === 'ChangeCustomerCreditLimit') {
        const ledger = await uow.load(customerLedgerStreamId(parsed.customerId), models.ledger);
        const exposure = ledgerExposure(ledger, parsed.company, parsed.limit.currency);
        const owed = parsed.bypassAtSalesOrder ? exposure.outstanding : exposure.outstanding.add(exposure.unbilled);
        decided = { ...parsed, currentOutstanding: owed.toJSON() };
      }
      const events = uow.decide(streamId, models.customer, decided, decideContext(runtime, call));
      const state = uow.state<{ exists: boolean; customer?: CustomerRecord }>(streamId);
      return accept(
        { record: state.customer ?? null, events: events.map((event) => event.type) },
        { details: { customerId: parsed.customerId, command: parsed.type } },
      );
    });
}

/**
 * @internal Registers and changes items. When the ERP has an item-group tree (`settings.pricing.itemGroups`), an item
 * may only be put in a group of it (`ITEM_GROUP_NOT_FOUND` at `itemGroup`, as ERPNext refuses an Item whose
 * `item_group` does not exist): pricing refuses an item whose group is not in the tree, rather than silently skip
 * the rules on the group's ancestors.
 */
export function manageItem(runtime: ErpRuntime) {
  return (command: ItemCommand, context?: UseCaseContext): Promise<ErpResult<AdminPayload<ItemRecord | null>>> =>
    runUseCase(runtime, 'manageItem', ItemCommandSchema, command, context, async (uow, call, parsed) => {
      const streamId = itemStreamId(parsed.itemCode);
      await uow.load(streamId, models.item);
      const errors: ErpError[] = [];
      const tree = runtime.settings.itemGroups;
      const group =
        parsed.type === 'RegisterItem' || parsed.type === 'ChangeItemDetails' ? parsed.itemGroup : undefined;
      if (tree && group !== undefined) collect(errors, ['itemGroup'], () => itemGroupLineage(tree, group));
      const events = collect(errors, undefined, () =>
        uow.decide(streamId, models.item, parsed, decideContext(runtime, call)),
      );
      if (errors.length > 0 || !events) return erpFailure(errors);
      const state = uow.state<{ exists: boolean; item?: ItemRecord }>(streamId);
      return accept(
        { record: state.item ?? null, events: events.map((event) => event.type) },
        { details: { itemCode: parsed.itemCode, command: parsed.type } },
      );
    });
}

/** @internal Creates price lists and sets item prices. */
export function managePriceList(runtime: ErpRuntime) {
  return (command: PriceListCommand, context?: UseCaseContext): Promise<ErpResult<AdminPayload<PriceListState>>> =>
    runUseCase(runtime, 'managePriceList', PriceListCommandSchema, command, context, async (uow, call, parsed) => {
      const streamId = priceListStreamId(parsed.priceListId);
      await uow.load(streamId, models.priceList);
      const events = uow.decide(streamId, models.priceList, parsed, decideContext(runtime, call));
      return accept(
        { record: uow.state<PriceListState>(streamId), events: events.map((event) => event.type) },
        { details: { priceListId: parsed.priceListId, command: parsed.type } },
      );
    });
}

/** @internal Receives or issues stock of a registered item. */
export function adjustStock(runtime: ErpRuntime) {
  return (
    command: StockAdjustmentCommand,
    context?: UseCaseContext,
  ): Promise<ErpResult<AdminPayload<StockLevelView>>> =>
    runUseCase(runtime, 'adjustStock', StockAdjustmentCommandSchema, command, context, async (uow, call, parsed) => {
      const item = await uow.load(itemStreamId(parsed.itemCode), models.item);
      if (!item.exists) {
        return erpFailure([
          erpError('ITEM_NOT_FOUND', `Item "${parsed.itemCode}" does not exist`, ['itemCode'], {
            itemCode: parsed.itemCode,
          }),
        ]);
      }
      const streamId = stockStreamId(parsed.itemCode, parsed.warehouse);
      await uow.load(streamId, models.stock);
      const events = uow.decide(streamId, models.stock, parsed, decideContext(runtime, call));
      return accept(
        {
          record: stockLevelView(uow.state(streamId), parsed.itemCode, parsed.warehouse),
          events: events.map((event) => event.type),
        },
        { details: { itemCode: parsed.itemCode, warehouse: parsed.warehouse, qty: parsed.qty } },
      );
    });
}
