/**
 * Produces real domain events for the read-model tests: every event comes from an aggregate's own `decide`,
 * folded with its own `evolve`, so the read models are tested against what the domain really emits.
 */
import { Customer, type CustomerCommand } from '../../src/domain/customer/index.js';
import { Payment, SalesInvoice, type SalesInvoiceCommand } from '../../src/domain/invoice/index.js';
import {
  SalesOrder,
  type SalesOrderCommand,
  type SalesOrderLineInput,
  type SalesOrderState,
} from '../../src/domain/sales-order/index.js';
import { Stock, type StockCommand } from '../../src/domain/stock/index.js';
import type { DecideContext, Decider } from '../../src/kernel/decider.js';
import type { EventLike } from '../../src/kernel/event.js';
import { createDeterministicIds } from '../../src/kernel/ids.js';

/** Where the world's events go: an append to one stream (inline projections run in it). */
export type AppendEvents = (streamId: string, events: readonly EventLike[]) => Promise<void>;

/** The instant every decision is taken at. */
export const NOW = '2026-02-01T09:00:00.000Z';

/** Decides commands against per-stream state and hands the events to `append`, one command per append. */
export class ErpWorld {
  readonly #states = new Map<string, unknown>();
  readonly #ids = createDeterministicIds();
  readonly #context: DecideContext = { now: new Date(NOW), newId: () => this.#ids.next() };
  /** Every event appended, in order, with its stream: the reference computations fold these. */
  readonly log: { readonly streamId: string; readonly event: EventLike }[] = [];

  constructor(private readonly append: AppendEvents) {}

  async #run<C, E extends EventLike, S>(
    decider: Decider<C, E, S, DecideContext>,
    streamId: string,
    commands: readonly C[],
  ): Promise<void> {
    for (const command of commands) {
      const state = (this.#states.get(streamId) as S | undefined) ?? decider.initialState;
      const events = decider.decide(command, state, this.#context);
      if (events.length === 0) continue;
      await this.append(streamId, events);
      this.#states.set(streamId, events.reduce(decider.evolve, state));
      for (const event of events) this.log.push({ streamId, event });
    }
  }

  /** Runs sales order commands (all for `orderId`). */
  order(orderId: string, commands: readonly SalesOrderCommand[]): Promise<void> {
    return this.#run(SalesOrder.decider, SalesOrder.streamId(orderId), commands);
  }

  /** The order's state as the domain folds it. */
  orderState(orderId: string): SalesOrderState {
    return (this.#states.get(SalesOrder.streamId(orderId)) as SalesOrderState | undefined) ?? SalesOrder.initialState;
  }

  /** Runs stock commands, each on its item and warehouse's stream. */
  async stock(commands: readonly StockCommand[]): Promise<void> {
    for (const command of commands) {
      await this.#run(Stock.decider, Stock.streamId(command.itemCode, command.warehouse), [command]);
    }
  }

  /** Runs customer commands, each on its customer's stream. */
  async customer(commands: readonly CustomerCommand[]): Promise<void> {
    for (const command of commands) {
      await this.#run(Customer.decider, Customer.streamId(command.customerId), [command]);
    }
  }

  /** Runs sales invoice commands, each on its invoice's stream. */
  async invoice(commands: readonly SalesInvoiceCommand[]): Promise<void> {
    for (const command of commands) {
      await this.#run(SalesInvoice.decider, SalesInvoice.streamId(command.invoiceId), [command]);
    }
  }

  /** Receives a payment (events on the payment's stream; the read models do not read them). */
  payment(paymentId: string, customerId: string, company: string, amount: string, currency = 'USD'): Promise<void> {
    return this.#run(Payment.decider, Payment.streamId(paymentId), [
      {
        type: 'ReceivePayment',
        paymentId,
        customerId,
        company,
        amount: { amount, currency },
        receivedOn: '2026-02-01',
      },
    ]);
  }

  // -----------------------------------------------------------------------------------------------------------
  // Shorthands for the examples

  /**
   * Creates an order with lines (10 × 5.00 USD from Main unless told otherwise) and, unless `submit` is false,
   * submits it.
   */
  async placeOrder(
    orderId: string,
    options: {
      readonly customerId?: string;
      readonly company?: string;
      readonly currency?: string;
      readonly date?: string;
      readonly lines?: readonly Partial<SalesOrderLineInput>[];
      readonly discountPercent?: string;
      readonly taxPercent?: string;
      readonly submit?: boolean;
    } = {},
  ): Promise<void> {
    const date = options.date ?? '2026-01-10';
    const lines = options.lines ?? [{}];
    const commands: SalesOrderCommand[] = [
      {
        type: 'CreateSalesOrder',
        data: {
          orderId,
          customerId: options.customerId ?? 'CUST-1',
          company: options.company ?? 'Acme',
          currency: options.currency ?? 'USD',
          transactionDate: date,
          deliveryDate: date,
        },
      },
      ...lines.map(
        (line, index): SalesOrderCommand => ({
          type: 'AddSalesOrderLine',
          data: {
            orderId,
            line: {
              lineId: `L${index + 1}`,
              itemCode: 'WIDGET',
              qty: '10',
              uom: 'Nos',
              rate: '5.00',
              warehouse: 'Main',
              ...line,
            },
          },
        }),
      ),
    ];
    if (options.discountPercent !== undefined) {
      commands.push({
        type: 'SetSalesOrderDiscount',
        data: { orderId, discount: { kind: 'percentage', percentage: options.discountPercent, applyOn: 'net_total' } },
      });
    }
    if (options.taxPercent !== undefined) {
      commands.push({
        type: 'AddSalesOrderTax',
        data: { orderId, tax: { taxId: 'VAT', kind: 'on_net_total', rate: options.taxPercent, description: 'VAT' } },
      });
    }
    if (options.submit !== false) commands.push({ type: 'SubmitSalesOrder', data: { orderId } });
    await this.order(orderId, commands);
  }

  /** One command with only the order id. */
  simple(
    orderId: string,
    type:
      | 'SubmitSalesOrder'
      | 'HoldSalesOrder'
      | 'ResumeSalesOrder'
      | 'CloseSalesOrder'
      | 'ReopenSalesOrder'
      | 'CancelSalesOrder',
  ): Promise<void> {
    return this.order(orderId, [{ type, data: { orderId } } as SalesOrderCommand]);
  }

  /** Records a delivery of `qty` on a line. */
  deliver(orderId: string, lineId: string, qty: string): Promise<void> {
    return this.order(orderId, [{ type: 'RecordSalesOrderDelivery', data: { orderId, lines: [{ lineId, qty }] } }]);
  }

  /** Records a billing of `amount` on a line. */
  bill(orderId: string, lineId: string, amount: string): Promise<void> {
    return this.order(orderId, [{ type: 'RecordSalesOrderBilling', data: { orderId, lines: [{ lineId, amount }] } }]);
  }
}
