import { z } from 'zod';
import { createItemGroupTree, type ItemGroupInput, type ItemGroupTree } from '../domain/item/item-groups.js';
import { CurrencyCodeSchema, type MoneyJSON, MoneySchema, NonNegativeQuantitySchema } from '../domain/money/index.js';
import { type PricingRule, type PricingRuleInput, parsePricingRules } from '../domain/pricing/pricing-rule.js';
import { type SalesOrderSettings, SalesOrderSettingsSchema } from '../domain/sales-order/sales-order-settings.js';
import type { StockPolicy } from '../domain/stock/stock-availability.js';
import { ValidationError } from '../kernel/errors.js';
import { parseOrThrow } from '../kernel/validation.js';
import { StorableName } from './erp-strings.js';
import type { NotificationChannel } from './ports/notifications.js';

/** A credit limit of a customer group, for one company (used when the customer has none of its own). */
export interface CustomerGroupCreditLimit {
  readonly customerGroup: string;
  readonly company: string;
  /** `0` means no limit at this level. */
  readonly limit: MoneyJSON;
}

/** A company's default credit limit, the last fallback of the credit check. */
export interface CompanyCreditLimit {
  readonly company: string;
  readonly limit: MoneyJSON;
}

/** How the ERP retries a use case whose append conflicted with a concurrent one. */
export interface ErpRetrySettings {
  /** Total attempts, the first included. @defaultValue `5` */
  readonly maxAttempts?: number;
  /** Upper bound of the first backoff; it doubles on every retry. @defaultValue `2` (ms) */
  readonly baseDelayMs?: number;
  /** Largest backoff. @defaultValue `50` (ms) */
  readonly maxDelayMs?: number;
}

/**
 * What a host configures for its ERP. Every field is optional; the documented default applies. Validated when the
 * ERP is created (`VALIDATION_FAILED` with paths under `['settings']`).
 */
export interface ErpSettings {
  /** The selling company when an input names none. @defaultValue `'Ordo Trading'` */
  readonly company?: string;
  /** The document currency when an input names none. @defaultValue `'USD'` */
  readonly currency?: string;
  /** The warehouse an order line ships from when it names none. @defaultValue `'Main'` */
  readonly defaultWarehouse?: string;
  /** Days from the order date to its default delivery date. @defaultValue `7` */
  readonly deliveryLeadTimeDays?: number;
  /** Days from an invoice's posting date to its default due date. @defaultValue `30` */
  readonly paymentTermsDays?: number;
  /**
   * What an order does when stock falls short: `block` refuses it (`INSUFFICIENT_STOCK`), `warn` and `backorder`
   * accept and reserve anyway, with warnings. @defaultValue `'block'`
   */
  readonly stockPolicy?: StockPolicy;
  /** Let deliveries take actual stock below zero (ERPNext's "Allow Negative Stock"). @defaultValue `false` */
  readonly allowNegativeStock?: boolean;
  /**
   * Orders whose grand total is above this amount (a decimal string, in the order's currency) raise a high-value
   * alert to `notifications.highValueRecipients`. @defaultValue `'10000'`, the seed's threshold
   */
  readonly highValueThreshold?: string;
  /** Who events are attributed to when a call gives no `context.actor`. @defaultValue `'system'` */
  readonly defaultActor?: string;
  /** Pricing rules and item groups, the data pricing applies besides price lists (which are streams). */
  readonly pricing?: {
    /** Pricing rules (ERPNext's Pricing Rule), validated at start. @defaultValue `[]` */
    readonly rules?: readonly PricingRuleInput[];
    /** The item-group tree, for rules on ancestor groups. @defaultValue none: only an item's own group matches */
    readonly itemGroups?: readonly ItemGroupInput[];
    /** The price list used when neither the input nor the customer names one. @defaultValue `'Standard Selling'` */
    readonly defaultPriceListId?: string | null;
  };
  /** Credit limits above the customer's own (the customer's are on the Customer aggregate). */
  readonly credit?: {
    /** @defaultValue `[]` */
    readonly customerGroupLimits?: readonly CustomerGroupCreditLimit[];
    /** @defaultValue `[]` */
    readonly companyLimits?: readonly CompanyCreditLimit[];
  };
  /** Settings of the sales orders the ERP creates (rounding, allowances). @defaultValue every default */
  readonly salesOrder?: SalesOrderSettings;
  /** Who is told what. */
  readonly notifications?: {
    /** Channels of the customer's notifications (order placed, cancelled, invoice, payment). @defaultValue `['email']` */
    readonly customerChannels?: readonly NotificationChannel[];
    /** Channels of the high-value alert. @defaultValue `['email', 'sms', 'push']` */
    readonly highValueChannels?: readonly NotificationChannel[];
    /** Recipients of the high-value alert. @defaultValue `['role:sales-manager']` */
    readonly highValueRecipients?: readonly string[];
  };
  /** @defaultValue `{ maxAttempts: 5, baseDelayMs: 2, maxDelayMs: 50 }` */
  readonly retry?: ErpRetrySettings;
}

/** {@link ErpSettings} with every default filled in and the pricing data parsed. */
export interface ResolvedErpSettings {
  readonly company: string;
  readonly currency: string;
  readonly defaultWarehouse: string;
  readonly deliveryLeadTimeDays: number;
  readonly paymentTermsDays: number;
  readonly stockPolicy: StockPolicy;
  readonly allowNegativeStock: boolean;
  readonly highValueThreshold: string;
  readonly defaultActor: string;
  readonly pricingRules: readonly PricingRule[];
  readonly itemGroups: ItemGroupTree | undefined;
  readonly defaultPriceListId: string | null;
  readonly customerGroupLimits: readonly CustomerGroupCreditLimit[];
  readonly companyLimits: readonly CompanyCreditLimit[];
  readonly salesOrder: SalesOrderSettings;
  readonly customerChannels: readonly NotificationChannel[];
  readonly highValueChannels: readonly NotificationChannel[];
  readonly highValueRecipients: readonly string[];
  readonly retry: Required<ErpRetrySettings>;
}

const Name = StorableName;
const Channel = z.enum(['email', 'sms', 'push']);

/** Validates {@link ErpSettings}; unknown keys are refused so that a misspelt setting is not silently ignored. */
export const ErpSettingsSchema = z.strictObject({
  company: Name.optional(),
  currency: CurrencyCodeSchema.optional(),
  defaultWarehouse: Name.optional(),
  deliveryLeadTimeDays: z.number().int().min(0).max(3650).optional(),
  paymentTermsDays: z.number().int().min(0).max(3650).optional(),
  stockPolicy: z.enum(['block', 'warn', 'backorder']).optional(),
  allowNegativeStock: z.boolean().optional(),
  highValueThreshold: NonNegativeQuantitySchema.optional(),
  defaultActor: Name.optional(),
  pricing: z
    .strictObject({
      rules: z.array(z.unknown()).optional(),
      itemGroups: z.array(z.unknown()).optional(),
      defaultPriceListId: Name.nullable().optional(),
    })
    .optional(),
  credit: z
    .strictObject({
      customerGroupLimits: z
        .array(z.strictObject({ customerGroup: Name, company: Name, limit: MoneySchema }))
        .optional(),
      companyLimits: z.array(z.strictObject({ company: Name, limit: MoneySchema })).optional(),
    })
    .optional(),
  salesOrder: SalesOrderSettingsSchema.optional(),
  notifications: z
    .strictObject({
      customerChannels: z.array(Channel).optional(),
      highValueChannels: z.array(Channel).optional(),
      highValueRecipients: z.array(Name).optional(),
    })
    .optional(),
  retry: z
    .strictObject({
      maxAttempts: z.number().int().min(1).max(100).optional(),
      baseDelayMs: z.number().min(0).max(10_000).optional(),
      maxDelayMs: z.number().min(0).max(60_000).optional(),
    })
    .optional(),
});

/**
 * Validates settings and fills in the defaults; pricing rules and item groups are parsed with the pricing
 * module's own schemas.
 * @throws ValidationError with paths under `['settings']`.
 */
export function resolveErpSettings(settings: ErpSettings | undefined): ResolvedErpSettings {
  const parsed = parseOrThrow(ErpSettingsSchema, settings ?? {}, ['settings']);
  const given = settings ?? {};
  const rules = given.pricing?.rules ?? [];
  const groups = given.pricing?.itemGroups;
  const pricingRules = withPrefix(['settings', 'pricing', 'rules'], () => parsePricingRules(rules));
  const itemGroups =
    groups === undefined
      ? undefined
      : withPrefix(['settings', 'pricing', 'itemGroups'], () => createItemGroupTree(groups));
  return {
    company: parsed.company ?? 'Ordo Trading',
    currency: parsed.currency ?? 'USD',
    defaultWarehouse: parsed.defaultWarehouse ?? 'Main',
    deliveryLeadTimeDays: parsed.deliveryLeadTimeDays ?? 7,
    paymentTermsDays: parsed.paymentTermsDays ?? 30,
    stockPolicy: parsed.stockPolicy ?? 'block',
    allowNegativeStock: parsed.allowNegativeStock ?? false,
    highValueThreshold: parsed.highValueThreshold ?? '10000',
    defaultActor: parsed.defaultActor ?? 'system',
    pricingRules,
    itemGroups,
    defaultPriceListId:
      parsed.pricing?.defaultPriceListId === undefined ? 'Standard Selling' : parsed.pricing.defaultPriceListId,
    customerGroupLimits: parsed.credit?.customerGroupLimits ?? [],
    companyLimits: parsed.credit?.companyLimits ?? [],
    salesOrder: given.salesOrder ?? {},
    customerChannels: parsed.notifications?.customerChannels ?? ['email'],
    highValueChannels: parsed.notifications?.highValueChannels ?? ['email', 'sms', 'push'],
    highValueRecipients: parsed.notifications?.highValueRecipients ?? ['role:sales-manager'],
    retry: {
      maxAttempts: parsed.retry?.maxAttempts ?? 5,
      baseDelayMs: parsed.retry?.baseDelayMs ?? 2,
      maxDelayMs: parsed.retry?.maxDelayMs ?? 50,
    },
  };
}

function withPrefix<T>(prefix: readonly (string | number)[], work: () => T): T {
  try {
    return work();
  } catch (error) {
    // Re-root the pricing module's paths under the settings, so the message says which setting is wrong.
    if (error instanceof ValidationError) {
      throw new ValidationError(error.issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] })));
    }
    throw error;
  }
}
