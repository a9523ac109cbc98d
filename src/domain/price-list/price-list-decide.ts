import type { DecideContext } from '../../kernel/decider.js';
import { DomainRuleError } from '../../kernel/errors.js';
import { parseOrThrow } from '../../kernel/validation.js';
import { Money } from '../money/index.js';
import { type PriceListCommand, PriceListCommandSchema } from './price-list-commands.js';
import type { PriceListEvent } from './price-list-events.js';
import type { PriceListId } from './price-list-ids.js';
import type { ItemPrice, PriceListState } from './price-list-state.js';

/** The rule codes the PriceList decider refuses commands with. */
export type PriceListRuleCode =
  | 'PRICE_LIST_ALREADY_EXISTS'
  | 'PRICE_LIST_NOT_FOUND'
  | 'PRICE_LIST_CURRENCY_MISMATCH'
  | 'ITEM_PRICE_DUPLICATE';

type ExistingPriceList = Extract<PriceListState, { exists: true }>;

function existing(state: PriceListState, priceListId: PriceListId): ExistingPriceList {
  if (!state.exists) {
    throw new DomainRuleError<PriceListRuleCode>('PRICE_LIST_NOT_FOUND', `Price list "${priceListId}" does not exist`, {
      priceListId,
    });
  }
  return state;
}

/**
 * Decides what a PriceList command changes. Validates the command first (`VALIDATION_FAILED` with paths,
 * including `validUpto` before `validFrom`), then: a list is created once; item prices are in the list's currency
 * (`PRICE_LIST_CURRENCY_MISMATCH`); two prices for the same item, unit and customer may not start on the same day
 * (`ITEM_PRICE_DUPLICATE`: "latest valid-from wins" would have no winner). Removing an absent price, or setting
 * a price it already has, emits nothing.
 */
export function decidePriceList(
  input: PriceListCommand,
  state: PriceListState,
  _context?: DecideContext,
): readonly PriceListEvent[] {
  const command = parseOrThrow(PriceListCommandSchema, input);
  switch (command.type) {
    case 'CreatePriceList': {
      if (state.exists) {
        throw new DomainRuleError<PriceListRuleCode>(
          'PRICE_LIST_ALREADY_EXISTS',
          `Price list "${command.priceListId}" already exists`,
          { priceListId: command.priceListId },
        );
      }
      return [
        {
          type: 'PriceListCreated',
          data: {
            priceListId: command.priceListId,
            name: command.name ?? command.priceListId,
            currency: command.currency,
            selling: command.selling,
            buying: command.buying,
          },
        },
      ];
    }
    case 'SetItemPrice': {
      const list = existing(state, command.priceListId);
      const rate = Money.fromJSON(command.rate);
      if (rate.currency !== list.priceList.currency) {
        throw new DomainRuleError<PriceListRuleCode>(
          'PRICE_LIST_CURRENCY_MISMATCH',
          `Price list "${list.priceList.priceListId}" is in ${list.priceList.currency}, not ${rate.currency}`,
          { priceListId: list.priceList.priceListId, expected: list.priceList.currency, actual: rate.currency },
          ['rate', 'currency'],
        );
      }
      const price: ItemPrice = {
        itemPriceId: command.itemPriceId,
        priceListId: list.priceList.priceListId,
        itemCode: command.itemCode,
        unit: command.unit ?? null,
        customerId: command.customerId ?? null,
        rate: rate.toJSON(),
        validFrom: command.validFrom ?? null,
        validUpto: command.validUpto ?? null,
      };
      const clash = list.itemPrices.find(
        (other) =>
          other.itemPriceId !== price.itemPriceId &&
          other.itemCode === price.itemCode &&
          other.unit === price.unit &&
          other.customerId === price.customerId &&
          other.validFrom === price.validFrom,
      );
      if (clash) {
        throw new DomainRuleError<PriceListRuleCode>(
          'ITEM_PRICE_DUPLICATE',
          `Item price "${clash.itemPriceId}" already prices item "${price.itemCode}" for the same unit, customer and valid-from date`,
          { priceListId: price.priceListId, itemPriceId: price.itemPriceId, existingItemPriceId: clash.itemPriceId },
        );
      }
      const current = list.itemPrices.find((other) => other.itemPriceId === price.itemPriceId);
      if (current && JSON.stringify(current) === JSON.stringify(price)) return [];
      return [{ type: 'ItemPriceSet', data: price }];
    }
    case 'RemoveItemPrice': {
      const list = existing(state, command.priceListId);
      if (!list.itemPrices.some((price) => price.itemPriceId === command.itemPriceId)) return [];
      return [
        {
          type: 'ItemPriceRemoved',
          data: { priceListId: list.priceList.priceListId, itemPriceId: command.itemPriceId },
        },
      ];
    }
    case 'DisablePriceList': {
      const list = existing(state, command.priceListId);
      return list.priceList.enabled
        ? [{ type: 'PriceListDisabled', data: { priceListId: list.priceList.priceListId } }]
        : [];
    }
    case 'EnablePriceList': {
      const list = existing(state, command.priceListId);
      return list.priceList.enabled
        ? []
        : [{ type: 'PriceListEnabled', data: { priceListId: list.priceList.priceListId } }];
    }
  }
}
