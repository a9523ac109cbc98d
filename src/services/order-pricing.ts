import type { CustomerRecord } from '../domain/customer/customer-state.js';
import { priceListStreamId } from '../domain/price-list/price-list-ids.js';
import { type PricingResult, priceLine } from '../domain/pricing/pricing-engine.js';
import { collect, type ErpError, erpError } from './erp-result.js';
import type { ErpRuntime } from './erp-runtime.js';
import { type CheckedLine, models, pathOf } from './erp-support.js';
import type { UnitOfWork } from './unit-of-work.js';

/** What prices a set of lines: the order's date, currency, company, customer and price list. */
export interface PricingTerms {
  readonly date: string;
  readonly currency: string;
  readonly company: string;
  readonly customer: CustomerRecord | undefined;
  /** The list the input named, if any (a missing one is `PRICE_LIST_NOT_FOUND`). */
  readonly priceListId: string | undefined;
  /** Where a named list's errors go. */
  readonly priceListPath: readonly (string | number)[];
  /**
   * The list the order recorded when it was placed (lines added later are priced from it), `null` or absent when it
   * recorded none. Not an error when it no longer exists: the order was priced from it.
   */
  readonly orderPriceListId?: string | null | undefined;
}

/**
 * @internal The price list lines are priced from: the list named, else the order's recorded list, else the
 * customer's default, else the ERP's default; `null` when there is none.
 */
export function pricingListOf(runtime: ErpRuntime, terms: PricingTerms): string | null {
  return (
    terms.priceListId ??
    terms.orderPriceListId ??
    terms.customer?.defaultPriceList ??
    runtime.settings.defaultPriceListId ??
    null
  );
}

/**
 * @internal Prices lines with the pricing service, from the list {@link pricingListOf} gives; its item prices are
 * read from its stream (none when it is disabled or missing). Every failure (`PRICING_RULE_CONFLICT`,
 * `PRICE_LIST_CURRENCY_MISMATCH`, `ITEM_GROUP_NOT_FOUND`, `ITEM_PRICE_NOT_FOUND`, `PRICE_LIST_NOT_FOUND`) is added to
 * `errors`; returns the results by line id.
 */
export async function priceLines(
  runtime: ErpRuntime,
  uow: UnitOfWork,
  terms: PricingTerms,
  lines: readonly CheckedLine[],
  errors: ErpError[],
): Promise<Map<string, PricingResult>> {
  const { settings } = runtime;
  const listId = pricingListOf(runtime, terms);
  // The order's own list is explicit to the engine (it wins over the customer's current default), explained as such.
  const fromOrder = terms.priceListId === undefined ? (terms.orderPriceListId ?? undefined) : undefined;
  let itemPrices: Parameters<typeof priceLine>[1]['itemPrices'] = [];
  if (listId !== null) {
    const list = await uow.load(priceListStreamId(listId), models.priceList);
    if (!list.exists && terms.priceListId !== undefined) {
      errors.push(
        erpError('PRICE_LIST_NOT_FOUND', `Price list "${listId}" does not exist`, terms.priceListPath, {
          priceListId: listId,
        }),
      );
    }
    if (list.exists && list.priceList.enabled) itemPrices = list.itemPrices;
  }
  const priced = new Map<string, PricingResult>();
  for (const line of lines) {
    const result = collect(errors, line.path === undefined ? undefined : [...line.path], () =>
      priceLine(
        {
          date: terms.date,
          currency: terms.currency,
          company: terms.company,
          customer: terms.customer ?? null,
          item: line.item,
          qty: line.qty,
          unit: line.unit,
          // Only a list the caller named (or the order recorded) goes in as such; the engine resolves (and explains)
          // the defaults itself.
          priceListId: terms.priceListId ?? fromOrder ?? null,
          ...(fromOrder === undefined ? {} : { priceListReason: "the order's price list" }),
        },
        {
          itemPrices,
          pricingRules: settings.pricingRules,
          itemGroups: settings.itemGroups,
          defaultPriceListId: settings.defaultPriceListId,
        },
      ),
    );
    if (!result) continue;
    if (result.rateSource === 'none') {
      errors.push(
        erpError(
          'ITEM_PRICE_NOT_FOUND',
          `No price for "${line.itemCode}" in ${terms.currency}: no item price in ${listId === null ? 'any price list' : `price list "${listId}"`}, no standard rate, no pricing rule rate`,
          pathOf(line, 'itemCode'),
          { itemCode: line.itemCode, priceListId: listId, currency: terms.currency },
        ),
      );
      continue;
    }
    priced.set(line.lineId, result);
  }
  return priced;
}
