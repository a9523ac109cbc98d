/**
 * The Customer aggregate: name, group, default price list, disabled flag, per-company credit limits with the
 * sales-order bypass flag, billing and shipping addresses.
 */
import type { Decider } from '../../kernel/decider.js';
import { assertCustomerCanTransact } from './customer-checks.js';
import { type CustomerCommand, CustomerCommandSchema } from './customer-commands.js';
import { decideCustomer } from './customer-decide.js';
import { type CustomerEvent, customerEvents } from './customer-events.js';
import { evolveCustomer } from './customer-evolve.js';
import { customerStreamId } from './customer-ids.js';
import { type CustomerState, initialCustomerState } from './customer-state.js';

export { assertCustomerCanTransact } from './customer-checks.js';
export {
  AddCustomerCreditLimitSchema,
  ChangeCustomerAddressesSchema,
  ChangeCustomerCreditLimitSchema,
  ChangeCustomerDetailsSchema,
  CreditLimitInputSchema,
  type CustomerCommand,
  CustomerCommandSchema,
  DisableCustomerSchema,
  EnableCustomerSchema,
  type ParsedCustomerCommand,
  RegisterCustomerSchema,
  RemoveCustomerCreditLimitSchema,
} from './customer-commands.js';
export type { CustomerRuleCode } from './customer-decide.js';
export {
  CreditLimitSchema,
  CustomerAddressesChanged,
  CustomerCreditLimitAdded,
  CustomerCreditLimitChanged,
  CustomerCreditLimitRemoved,
  CustomerDetailsChanged,
  CustomerDisabled,
  CustomerEnabled,
  type CustomerEvent,
  CustomerRegistered,
  customerEvents,
} from './customer-events.js';
export {
  CompanyId,
  CompanyIdSchema,
  CUSTOMER_STREAM_PREFIX,
  CustomerGroupId,
  CustomerGroupIdSchema,
  CustomerId,
  CustomerIdSchema,
  customerStreamId,
} from './customer-ids.js';
export {
  type CustomerAddress,
  type CustomerCreditLimit,
  type CustomerRecord,
  type CustomerState,
  initialCustomerState,
} from './customer-state.js';

/** The Customer aggregate as a decider. One stream per customer: see {@link Customer.streamId}. */
export const customerDecider: Decider<CustomerCommand, CustomerEvent, CustomerState> = {
  initialState: initialCustomerState,
  decide: decideCustomer,
  evolve: evolveCustomer,
};

/**
 * Everything about customers in one namespace: `Customer.decider`, `Customer.decide`, `Customer.evolve`,
 * `Customer.events`, `Customer.streamId`, `Customer.assertCanTransact`.
 */
export const Customer = {
  /** `{ initialState, decide, evolve }`. */
  decider: customerDecider,
  /** Decides the events for a Customer command (pure; throws `ValidationError` or `DomainRuleError`). */
  decide: decideCustomer,
  /** Folds one Customer event into the state (pure). */
  evolve: evolveCustomer,
  initialState: initialCustomerState,
  /** The event definitions, for the event registry. */
  events: customerEvents,
  /** Validates any Customer command. */
  commandSchema: CustomerCommandSchema,
  /** The stream that holds one customer's events: `Customer-<customerId>`. */
  streamId: customerStreamId,
  /** {@link assertCustomerCanTransact}: returns the customer if it exists and is enabled, else throws. */
  assertCanTransact: assertCustomerCanTransact,
} as const;
