import { DomainRuleError } from '../../kernel/errors.js';
import { type ItemGroupTree, itemGroupLineage } from '../item/item-groups.js';
import type { UnitConversion } from '../item/item-state.js';
import { conversionFactor } from '../item/item-units.js';
import { type DecimalInput, Money, type MoneyJSON, Percentage, Quantity } from '../money/index.js';
import { lookupItemPrice } from '../price-list/price-list-lookup.js';
import type { ItemPrice } from '../price-list/price-list-state.js';
import { type PricingRule, type PricingRuleLevel, pricingRuleCurrencies } from './pricing-rule.js';

/** What pricing needs to know about the item (an Item record fits). */
export interface PricingItem {
  readonly itemCode: string;
  readonly itemGroup: string;
  readonly brand: string | null;
  readonly stockUnit: string;
  readonly unitConversions: readonly UnitConversion[];
  /** Per stock unit; used when no price list prices the item. */
  readonly standardRate: MoneyJSON | null;
  /** Percent; the largest discount the result may carry. */
  readonly maxDiscount: string | null;
}

/** What pricing needs to know about the customer (a Customer record fits). */
export interface PricingCustomer {
  readonly customerId: string;
  readonly customerGroup: string;
  /** Overrides the catalog's default price list. */
  readonly defaultPriceList: string | null;
}

/** One line to price. */
export interface PricingRequest {
  /** The transaction date, `YYYY-MM-DD`: prices and rules must be valid on it. */
  readonly date: string;
  /** The document currency; prices and rule amounts in other currencies do not apply. */
  readonly currency: string;
  readonly company?: string | null | undefined;
  /** `null` or absent: only rules for everyone, only general prices. */
  readonly customer?: PricingCustomer | null | undefined;
  readonly item: PricingItem;
  /** Quantity in `unit`. */
  readonly qty: DecimalInput;
  /** @defaultValue the stock unit */
  readonly unit?: string | null | undefined;
  /** An explicit price list, overriding the customer's and the catalog's default. */
  readonly priceListId?: string | null | undefined;
  /**
   * Why the explicit `priceListId` applies, as the explanation's price-list step says it (e.g. `"the order's price
   * list"` for a line added to an order that recorded its list). @defaultValue `'given with the line'`
   */
  readonly priceListReason?: string | undefined;
}

/** The pricing data a line is priced against. */
export interface PricingCatalog {
  /** Item prices of any enabled lists (only the selected list's are used); leave out disabled lists' prices. */
  readonly itemPrices: readonly ItemPrice[];
  /** Validated rules (see `parsePricingRules`, `promotionalSchemeRules`). */
  readonly pricingRules: readonly PricingRule[];
  /**
   * For item-group rules on ancestor groups. Without it only the item's own group matches; with it the item's group
   * must be in the tree (`ITEM_GROUP_NOT_FOUND` otherwise).
   */
  readonly itemGroups?: ItemGroupTree | undefined;
  /** The company's default selling price list, used when neither the request nor the customer names one. */
  readonly defaultPriceListId?: string | null | undefined;
}

/** One thing pricing applied or decided, in order. */
export interface PricingStep {
  readonly kind:
    | 'price_list'
    | 'price_list_rate'
    | 'standard_rate'
    | 'no_price'
    | 'rule_level'
    | 'rule_rate'
    | 'margin'
    | 'discount_percentage'
    | 'discount_amount'
    | 'max_discount_cap'
    | 'zero_floor';
  readonly message: string;
  /** The rule this step came from, if any. */
  readonly ruleId?: string;
}

/** Where the price-list rate came from. */
export type RateSource = 'price_list' | 'standard_rate' | 'pricing_rule' | 'none';

/** A priced line and how its price came about. */
export interface PricingResult {
  readonly itemCode: string;
  readonly qty: string;
  readonly unit: string;
  readonly conversionFactor: string;
  /** `qty × conversionFactor`. */
  readonly stockQty: string;
  readonly currency: string;
  /** The price list used, if any. */
  readonly priceListId: string | null;
  readonly rateSource: RateSource;
  /**
   * Rate per `unit` before margin and discounts, rounded to the currency: the looked-up price, the standard rate,
   * or a `rate` rule's rate (which replaces the looked-up one, as in ERPNext).
   */
  readonly priceListRate: Money;
  /** `priceListRate` plus margins. */
  readonly rateWithMargin: Money;
  readonly marginApplied: boolean;
  /** Total discount percentage of the applied rules (added, or compounded when "on discounted rate"). */
  readonly discountPercentage: Percentage;
  /** Total discount amount per unit of the applied rules. */
  readonly discountAmount: Money;
  /** The final rate per `unit`, rounded to the currency; never negative. */
  readonly rate: Money;
  /** `rate × qty`, rounded to the currency. */
  readonly amount: Money;
  /** The level the applied rules were found at, `null` when none matched. */
  readonly ruleLevel: PricingRuleLevel | null;
  /** Ids of the rules applied, in the order applied. */
  readonly appliedRules: readonly string[];
  /** True when the item's max discount raised the rate. */
  readonly capped: boolean;
  readonly explanation: readonly PricingStep[];
}

const LEVELS: readonly PricingRuleLevel[] = ['item_code', 'item_group', 'brand'];

function ruleName(rule: PricingRule): string {
  return rule.title === undefined || rule.title === rule.id ? `"${rule.id}"` : `"${rule.id}" (${rule.title})`;
}

function byPriorityThenId(a: PricingRule, b: PricingRule): number {
  if (a.priority !== b.priority) return b.priority - a.priority;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Does the rule apply on this item at this level? */
function appliesOnItem(rule: PricingRule, level: PricingRuleLevel, item: PricingItem, lineage: readonly string[]) {
  const on = rule.applyOn;
  if (on.kind !== level) return false;
  switch (on.kind) {
    case 'item_code':
      return on.itemCodes.some((code) => code === item.itemCode);
    case 'item_group':
      return on.itemGroups.some((group) => lineage.includes(group));
    case 'brand':
      return on.brands.some((brand) => brand === item.brand);
  }
}

interface LineFacts {
  readonly date: string;
  readonly currency: string;
  readonly company: string | null;
  readonly customer: PricingCustomer | null;
  readonly priceListId: string | null;
  readonly unit: string;
  readonly stockQty: Quantity;
  readonly amount: Money;
}

/** Every condition except the item level: validity, company, price list, unit, party, currency, qty, amount. */
function conditionsHold(rule: PricingRule, line: LineFacts): boolean {
  if (rule.disabled) return false;
  if (rule.validFrom !== null && line.date < rule.validFrom) return false;
  if (rule.validUpto !== null && line.date > rule.validUpto) return false;
  if (rule.company !== null && rule.company !== line.company) return false;
  if (rule.priceList !== null && rule.priceList !== line.priceListId) return false;
  if (rule.unit !== null && rule.unit !== line.unit) return false;
  const party = rule.applicableFor;
  if (party.kind === 'customer' && !(line.customer && party.customers.some((id) => id === line.customer?.customerId))) {
    return false;
  }
  if (
    party.kind === 'customer_group' &&
    !(line.customer && party.customerGroups.some((id) => id === line.customer?.customerGroup))
  ) {
    return false;
  }
  if (pricingRuleCurrencies(rule).some((currency) => currency !== line.currency)) return false;
  if (rule.minQty !== null && line.stockQty.lessThan(rule.minQty)) return false;
  if (rule.maxQty !== null && !Quantity.of(rule.maxQty).isZero() && line.stockQty.greaterThan(rule.maxQty))
    return false;
  if (rule.minAmount !== null && line.amount.lessThan(Money.fromJSON(rule.minAmount))) return false;
  if (rule.maxAmount !== null) {
    const max = Money.fromJSON(rule.maxAmount);
    if (!max.isZero() && line.amount.greaterThan(max)) return false;
  }
  return true;
}

/**
 * Chooses the rules to apply among those matching at one level: all of them when every one stacks ("apply
 * multiple"); otherwise the highest priority — alone, or all of that priority when they all stack.
 *
 * @throws DomainRuleError `PRICING_RULE_CONFLICT` when several rules share the highest priority and not all stack.
 */
function resolve(matched: readonly PricingRule[], itemCode: string, level: PricingRuleLevel): PricingRule[] {
  const sorted = [...matched].sort(byPriorityThenId);
  if (sorted.every((rule) => rule.applyMultiple)) return sorted;
  const top = sorted[0]?.priority ?? 0;
  const best = sorted.filter((rule) => rule.priority === top);
  if (best.length === 1 || best.every((rule) => rule.applyMultiple)) return best;
  throw new DomainRuleError(
    'PRICING_RULE_CONFLICT',
    `Pricing rules ${best.map((rule) => `"${rule.id}"`).join(', ')} match item "${itemCode}" with the same priority ${top}; give one a higher priority or mark them all "apply multiple"`,
    { itemCode, level, priority: top, rules: best.map((rule) => rule.id) },
  );
}

/**
 * Prices one line: price-list rate, then pricing rules, then the item's max-discount cap, never below zero.
 *
 * @remarks
 * 1. Price list: the request's, else the customer's default, else the catalog's default. Rate: the list's price
 *    for the item (see `lookupItemPrice`: customer price, general price, stock-unit price × factor), else the
 *    item's standard rate × factor, else zero (`rateSource: 'none'`). Rounded to the currency.
 * 2. Rules: searched on the item code, then the item group and its ancestors, then the brand; the first level
 *    with a rule whose conditions hold is the only one used. There: every rule stacks when all are "apply
 *    multiple"; otherwise the highest priority wins and a tie is `PRICING_RULE_CONFLICT`.
 * 3. Applied rules: a `rate` rule replaces the price-list rate; margins add to it; discount percentages add up
 *    (or compound, for rules "on discounted rate"); discount amounts add up. Amounts of rules without a unit are
 *    per stock unit, scaled by the conversion factor.
 * 4. The item's max discount raises the rate to `rateWithMargin × (1 − max%)` if needed; then it is floored at
 *    zero and rounded (half-even) to the currency.
 *
 * Pure: everything comes in through the arguments.
 *
 * @throws DomainRuleError `PRICING_RULE_CONFLICT` (data: item code, level, priority, rule ids),
 *   `UNIT_NOT_CONVERTIBLE` for a unit the item has no factor for, `PRICE_LIST_CURRENCY_MISMATCH` when the
 *   selected list prices the item in another currency, `ITEM_GROUP_NOT_FOUND` (data: the group) when the catalog
 *   has an item-group tree and the item's group is not in it.
 */
export function priceLine(request: PricingRequest, catalog: PricingCatalog): PricingResult {
  const { item } = request;
  const explanation: PricingStep[] = [];
  const currency = request.currency;
  const unit = request.unit ?? item.stockUnit;
  const factor = conversionFactor(item, unit);
  const qty = Quantity.of(request.qty);
  const stockQty = qty.multiply(factor);
  const customer = request.customer ?? null;

  // 1. Price list and price-list rate.
  const priceListId = request.priceListId ?? customer?.defaultPriceList ?? catalog.defaultPriceListId ?? null;
  if (priceListId !== null) {
    const why =
      request.priceListId != null
        ? (request.priceListReason ?? 'given with the line')
        : customer?.defaultPriceList != null
          ? `the customer's default${catalog.defaultPriceListId != null && catalog.defaultPriceListId !== priceListId ? `, overriding "${catalog.defaultPriceListId}"` : ''}`
          : 'the default selling price list';
    explanation.push({ kind: 'price_list', message: `price list "${priceListId}" (${why})` });
  }
  let rateSource: RateSource = 'none';
  let priceListRate = Money.zero(currency);
  const found =
    priceListId === null
      ? null
      : lookupItemPrice(catalog.itemPrices, {
          priceListId,
          itemCode: item.itemCode,
          customerId: customer?.customerId ?? null,
          unit,
          stockUnit: item.stockUnit,
          conversionFactor: factor,
          date: request.date,
        });
  if (found) {
    if (found.rate.currency !== currency) {
      throw new DomainRuleError(
        'PRICE_LIST_CURRENCY_MISMATCH',
        `Price list "${priceListId}" prices "${item.itemCode}" in ${found.rate.currency}, not ${currency}`,
        { priceListId, itemCode: item.itemCode, expected: currency, actual: found.rate.currency },
      );
    }
    rateSource = 'price_list';
    priceListRate = found.rate.round();
    explanation.push({ kind: 'price_list_rate', message: found.explanation });
  } else if (item.standardRate !== null && item.standardRate.currency === currency) {
    rateSource = 'standard_rate';
    const standard = Money.fromJSON(item.standardRate);
    priceListRate = standard.multiply(factor).round();
    explanation.push({
      kind: 'standard_rate',
      message: `no item price; standard rate ${standard} per ${item.stockUnit} × ${factor.value} = ${priceListRate} per ${unit}`,
    });
  } else {
    explanation.push({ kind: 'no_price', message: `no price for "${item.itemCode}" in ${currency}; rate 0` });
  }

  // 2. Rule matching: first level with a rule whose conditions hold.
  // With a tree, an item whose group is not in it is an error (ITEM_GROUP_NOT_FOUND), never a silent fallback to the
  // group alone, which would drop every rule on the group's ancestors. Without a tree only the item's own group counts.
  const lineage: readonly string[] = catalog.itemGroups
    ? itemGroupLineage(catalog.itemGroups, item.itemGroup)
    : [item.itemGroup];
  const facts: LineFacts = {
    date: request.date,
    currency,
    company: request.company ?? null,
    customer,
    priceListId,
    unit,
    stockQty,
    amount: priceListRate.multiply(qty),
  };
  let ruleLevel: PricingRuleLevel | null = null;
  let applied: PricingRule[] = [];
  for (const level of LEVELS) {
    const matched = catalog.pricingRules.filter(
      (rule) => appliesOnItem(rule, level, item, lineage) && conditionsHold(rule, facts),
    );
    if (matched.length === 0) continue;
    ruleLevel = level;
    applied = resolve(matched, item.itemCode, level);
    explanation.push({
      kind: 'rule_level',
      message: `${matched.length} rule(s) match at the ${level.replace('_', ' ')} level; applying ${applied.map(ruleName).join(', ')}`,
    });
    break;
  }

  // 3. Apply: rate override, margins, discounts.
  const perUnit = (rule: PricingRule, money: MoneyJSON): Money =>
    rule.unit === null ? Money.fromJSON(money).multiply(factor) : Money.fromJSON(money);
  const rateRule = applied.find((rule) => rule.action?.kind === 'rate');
  if (rateRule?.action?.kind === 'rate') {
    const ruleRate = perUnit(rateRule, rateRule.action.rate).round();
    explanation.push({
      kind: 'rule_rate',
      ruleId: rateRule.id,
      message: `rule ${ruleName(rateRule)} sets the rate to ${ruleRate} per ${unit}`,
    });
    priceListRate = ruleRate;
    rateSource = 'pricing_rule';
  }
  let rateWithMargin = priceListRate;
  let marginApplied = false;
  let discountPercentage = Percentage.zero();
  let discountAmount = Money.zero(currency);
  for (const rule of applied) {
    if (rule.margin) {
      const margin =
        rule.margin.kind === 'percentage'
          ? priceListRate.percentage(rule.margin.percentage)
          : perUnit(rule, rule.margin.amount);
      rateWithMargin = rateWithMargin.add(margin);
      marginApplied = marginApplied || !margin.isZero();
      explanation.push({
        kind: 'margin',
        ruleId: rule.id,
        message: `rule ${ruleName(rule)} adds a margin of ${rule.margin.kind === 'percentage' ? `${rule.margin.percentage}%` : margin.toString()}`,
      });
    }
    const action = rule.action;
    if (action?.kind === 'discount_percentage') {
      const before = discountPercentage;
      // ERPNext: stacked percentages add; "apply discount on discounted rate" compounds: d += (100 − d) × p / 100.
      discountPercentage =
        rule.onDiscountedRate && !before.isZero()
          ? before.add(Percentage.of(100).subtract(before).multiply(action.percentage).divide(100))
          : before.add(action.percentage);
      explanation.push({
        kind: 'discount_percentage',
        ruleId: rule.id,
        message: `rule ${ruleName(rule)} gives ${action.percentage}% off${rule.onDiscountedRate && !before.isZero() ? ' the discounted rate' : ''}: total ${discountPercentage.value}%`,
      });
    } else if (action?.kind === 'discount_amount') {
      const off = perUnit(rule, action.amount);
      discountAmount = discountAmount.add(off);
      explanation.push({
        kind: 'discount_amount',
        ruleId: rule.id,
        message: `rule ${ruleName(rule)} takes ${off} off per ${unit}`,
      });
    }
  }
  let raw = rateWithMargin.subtract(rateWithMargin.percentage(discountPercentage)).subtract(discountAmount);

  // 4. Max-discount cap, zero floor, rounding.
  let capped = false;
  let floor: Money | null = null;
  if (item.maxDiscount !== null) {
    floor = rateWithMargin.subtract(rateWithMargin.percentage(item.maxDiscount));
    if (raw.lessThan(floor)) {
      capped = true;
      raw = floor;
      explanation.push({
        kind: 'max_discount_cap',
        message: `item "${item.itemCode}" allows at most ${item.maxDiscount}% discount: rate raised to ${floor.round('up')}`,
      });
    }
  }
  if (raw.isNegative()) {
    raw = Money.zero(currency);
    explanation.push({ kind: 'zero_floor', message: 'discounts exceed the rate: rate set to 0' });
  }
  let rate = raw.round();
  // Rounding half-even could dip just under the cap; the cap wins, rounded up to the next minor unit.
  if (floor !== null && rate.lessThan(floor)) rate = floor.round('up');
  return {
    itemCode: item.itemCode,
    qty: qty.value,
    unit,
    conversionFactor: factor.value,
    stockQty: stockQty.value,
    currency,
    priceListId,
    rateSource,
    priceListRate,
    rateWithMargin,
    marginApplied,
    discountPercentage,
    discountAmount,
    rate,
    amount: rate.multiply(qty).round(),
    ruleLevel,
    appliedRules: applied.map((rule) => rule.id),
    capped,
    explanation,
  };
}
