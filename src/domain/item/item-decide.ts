import type { DecideContext } from '../../kernel/decider.js';
import { DomainRuleError } from '../../kernel/errors.js';
import { parseOrThrow } from '../../kernel/validation.js';
import { Money, type MoneyJSON, Percentage, Quantity } from '../money/index.js';
import { type ItemCommand, ItemCommandSchema } from './item-commands.js';
import type { ItemEvent } from './item-events.js';
import type { ItemCode } from './item-ids.js';
import type { ItemRecord, ItemState, UnitConversion } from './item-state.js';

/** The rule codes the Item decider refuses commands with. */
export type ItemRuleCode =
  | 'ITEM_ALREADY_EXISTS'
  | 'ITEM_NOT_FOUND'
  | 'DUPLICATE_UNIT_CONVERSION'
  | 'STOCK_UNIT_FACTOR_MUST_BE_ONE';

function canonicalMoney(value: MoneyJSON): MoneyJSON {
  return Money.fromJSON(value).toJSON();
}

function existing(state: ItemState, itemCode: ItemCode): ItemRecord {
  if (!state.exists) {
    throw new DomainRuleError<ItemRuleCode>('ITEM_NOT_FOUND', `Item "${itemCode}" does not exist`, { itemCode });
  }
  return state.item;
}

/**
 * ERPNext keeps the stock unit's factor at 1; a row for it with another factor is an error ("Conversion factor
 * for default Unit of Measure must be 1"), and a row with factor 1 says nothing, so it is dropped.
 */
function checkStockUnitFactor(itemCode: ItemCode, stockUnit: string, conversion: UnitConversion, index?: number) {
  if (conversion.unit === stockUnit && !Quantity.of(conversion.factor).equals(1)) {
    throw new DomainRuleError<ItemRuleCode>(
      'STOCK_UNIT_FACTOR_MUST_BE_ONE',
      `The conversion factor of the stock unit "${stockUnit}" must be 1, not ${conversion.factor}`,
      { itemCode, unit: conversion.unit, factor: conversion.factor },
      index === undefined ? ['factor'] : ['unitConversions', index, 'factor'],
    );
  }
}

/**
 * Decides what an Item command changes. Validates the command first (`VALIDATION_FAILED` with paths), then the
 * rules: an item is registered once; every other command needs a registered item; a unit appears once in the
 * conversion table and the stock unit's factor is 1. Disabling or enabling twice, or setting a value it already
 * has, emits nothing.
 */
export function decideItem(input: ItemCommand, state: ItemState, _context?: DecideContext): readonly ItemEvent[] {
  const command = parseOrThrow(ItemCommandSchema, input);
  switch (command.type) {
    case 'RegisterItem': {
      if (state.exists) {
        throw new DomainRuleError<ItemRuleCode>('ITEM_ALREADY_EXISTS', `Item "${command.itemCode}" already exists`, {
          itemCode: command.itemCode,
        });
      }
      const seen = new Set<string>();
      const conversions: UnitConversion[] = [];
      command.unitConversions.forEach((conversion, index) => {
        if (seen.has(conversion.unit)) {
          throw new DomainRuleError<ItemRuleCode>(
            'DUPLICATE_UNIT_CONVERSION',
            `Unit "${conversion.unit}" appears more than once in the conversion table`,
            { itemCode: command.itemCode, unit: conversion.unit },
            ['unitConversions', index, 'unit'],
          );
        }
        seen.add(conversion.unit);
        checkStockUnitFactor(command.itemCode, command.stockUnit, conversion, index);
        if (conversion.unit !== command.stockUnit) {
          conversions.push({ unit: conversion.unit, factor: Quantity.of(conversion.factor).value });
        }
      });
      return [
        {
          type: 'ItemRegistered',
          data: {
            itemCode: command.itemCode,
            name: command.name,
            itemGroup: command.itemGroup,
            brand: command.brand ?? null,
            stockUnit: command.stockUnit,
            unitConversions: conversions,
            standardRate: command.standardRate === undefined ? null : canonicalMoney(command.standardRate),
            isStockItem: command.isStockItem,
            maxDiscount: command.maxDiscount === undefined ? null : Percentage.of(command.maxDiscount).value,
          },
        },
      ];
    }
    case 'ChangeItemDetails': {
      const item = existing(state, command.itemCode);
      const next = {
        itemCode: item.itemCode,
        name: command.name ?? item.name,
        itemGroup: command.itemGroup ?? item.itemGroup,
        brand: command.brand === undefined ? item.brand : command.brand,
      };
      if (next.name === item.name && next.itemGroup === item.itemGroup && next.brand === item.brand) return [];
      return [{ type: 'ItemDetailsChanged', data: next }];
    }
    case 'SetItemUnitConversion': {
      const item = existing(state, command.itemCode);
      checkStockUnitFactor(item.itemCode, item.stockUnit, command);
      if (command.unit === item.stockUnit) return [];
      const factor = Quantity.of(command.factor).value;
      const current = item.unitConversions.find((entry) => entry.unit === command.unit);
      if (current && Quantity.of(current.factor).equals(factor)) return [];
      return [{ type: 'ItemUnitConversionSet', data: { itemCode: item.itemCode, unit: command.unit, factor } }];
    }
    case 'RemoveItemUnitConversion': {
      const item = existing(state, command.itemCode);
      if (!item.unitConversions.some((entry) => entry.unit === command.unit)) return [];
      return [{ type: 'ItemUnitConversionRemoved', data: { itemCode: item.itemCode, unit: command.unit } }];
    }
    case 'SetItemStandardRate': {
      const item = existing(state, command.itemCode);
      const standardRate = command.standardRate === null ? null : canonicalMoney(command.standardRate);
      if (JSON.stringify(standardRate) === JSON.stringify(item.standardRate)) return [];
      return [{ type: 'ItemStandardRateSet', data: { itemCode: item.itemCode, standardRate } }];
    }
    case 'SetItemMaxDiscount': {
      const item = existing(state, command.itemCode);
      const maxDiscount = command.maxDiscount === null ? null : Percentage.of(command.maxDiscount).value;
      if (maxDiscount === item.maxDiscount) return [];
      return [{ type: 'ItemMaxDiscountSet', data: { itemCode: item.itemCode, maxDiscount } }];
    }
    case 'DisableItem': {
      const item = existing(state, command.itemCode);
      return item.disabled ? [] : [{ type: 'ItemDisabled', data: { itemCode: item.itemCode } }];
    }
    case 'EnableItem': {
      const item = existing(state, command.itemCode);
      return item.disabled ? [{ type: 'ItemEnabled', data: { itemCode: item.itemCode } }] : [];
    }
  }
}
