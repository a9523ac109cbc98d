/**
 * Valid inputs the bad-input test breaks one field at a time: one command per command type of every aggregate (in
 * an order that makes each valid on the state the previous ones built), and one input per ERP use case.
 */
import { Customer } from '../../src/domain/customer/index.js';
import { Payment, SalesInvoice } from '../../src/domain/invoice/index.js';
import { Item } from '../../src/domain/item/index.js';
import { PriceList } from '../../src/domain/price-list/index.js';
import { SalesOrder } from '../../src/domain/sales-order/index.js';
import { Stock } from '../../src/domain/stock/index.js';
import type { EventLike } from '../../src/kernel/event.js';

const EUR = (amount: string) => ({ amount, currency: 'EUR' });
const address = { line1: 'Hauptstraße 1', city: 'Zürich', postalCode: '8001', country: 'CH' };

/** An aggregate as the bad-input test sees it: its decider, its stream and valid commands in a workable order. */
export interface AggregateUnderTest {
  readonly name: string;
  readonly streamId: string;
  readonly initialState: unknown;
  decide(command: unknown, state: unknown, context: { now: Date; newId: () => string }): readonly EventLike[];
  evolve(state: unknown, event: EventLike): unknown;
  /** Command types of the aggregate's schema: every one must appear in `commands`. */
  readonly commandTypes: readonly string[];
  readonly commands: readonly unknown[];
}

/** The command types a discriminated-union command schema accepts. */
function typesOf(schema: {
  readonly options: readonly { readonly shape: { readonly type: { readonly value: string } } }[];
}) {
  return schema.options.map((option) => option.shape.type.value);
}

type Decide = AggregateUnderTest['decide'];
type Evolve = AggregateUnderTest['evolve'];

/** Every aggregate with a command schema. */
export const AGGREGATES: readonly AggregateUnderTest[] = [
  {
    name: 'Customer',
    streamId: Customer.streamId('C-1'),
    initialState: Customer.initialState,
    decide: Customer.decide as unknown as Decide,
    evolve: Customer.evolve as unknown as Evolve,
    commandTypes: typesOf(Customer.commandSchema),
    commands: [
      {
        type: 'RegisterCustomer',
        customerId: 'C-1',
        name: 'Acme',
        customerGroup: 'Retail',
        creditLimits: [{ company: 'Acme', limit: EUR('1000'), bypassAtSalesOrder: false }],
        billingAddress: address,
      },
      { type: 'ChangeCustomerDetails', customerId: 'C-1', name: 'Acme Ltd', customerGroup: 'VIP' },
      { type: 'ChangeCustomerAddresses', customerId: 'C-1', shippingAddress: address, billingAddress: null },
      {
        type: 'AddCustomerCreditLimit',
        customerId: 'C-1',
        company: 'Beta',
        limit: EUR('500'),
        currentOutstanding: EUR('0'),
      },
      {
        type: 'ChangeCustomerCreditLimit',
        customerId: 'C-1',
        company: 'Beta',
        limit: EUR('700'),
        currentOutstanding: EUR('10'),
      },
      { type: 'RemoveCustomerCreditLimit', customerId: 'C-1', company: 'Beta' },
      { type: 'DisableCustomer', customerId: 'C-1' },
      { type: 'EnableCustomer', customerId: 'C-1' },
    ],
  },
  {
    name: 'Item',
    streamId: Item.streamId('WIDGET'),
    initialState: Item.initialState,
    decide: Item.decide as unknown as Decide,
    evolve: Item.evolve as unknown as Evolve,
    commandTypes: typesOf(Item.commandSchema),
    commands: [
      {
        type: 'RegisterItem',
        itemCode: 'WIDGET',
        name: 'Widget',
        itemGroup: 'Products',
        stockUnit: 'Nos',
        unitConversions: [{ unit: 'Box', factor: '12' }],
        standardRate: EUR('10.00'),
        maxDiscount: '20',
      },
      { type: 'ChangeItemDetails', itemCode: 'WIDGET', name: 'Widget v2', brand: 'Acme' },
      { type: 'SetItemUnitConversion', itemCode: 'WIDGET', unit: 'Pallet', factor: '480' },
      { type: 'RemoveItemUnitConversion', itemCode: 'WIDGET', unit: 'Pallet' },
      { type: 'SetItemStandardRate', itemCode: 'WIDGET', standardRate: EUR('11.50') },
      { type: 'SetItemMaxDiscount', itemCode: 'WIDGET', maxDiscount: '15' },
      { type: 'DisableItem', itemCode: 'WIDGET' },
      { type: 'EnableItem', itemCode: 'WIDGET' },
    ],
  },
  {
    name: 'PriceList',
    streamId: PriceList.streamId('Standard Selling'),
    initialState: PriceList.initialState,
    decide: PriceList.decide as unknown as Decide,
    evolve: PriceList.evolve as unknown as Evolve,
    commandTypes: typesOf(PriceList.commandSchema),
    commands: [
      { type: 'CreatePriceList', priceListId: 'Standard Selling', name: 'Standard', currency: 'EUR' },
      {
        type: 'SetItemPrice',
        priceListId: 'Standard Selling',
        itemPriceId: 'IP-1',
        itemCode: 'WIDGET',
        rate: EUR('9.99'),
        validFrom: '2026-01-01',
        validUpto: '2026-12-31',
      },
      { type: 'RemoveItemPrice', priceListId: 'Standard Selling', itemPriceId: 'IP-1' },
      { type: 'DisablePriceList', priceListId: 'Standard Selling' },
      { type: 'EnablePriceList', priceListId: 'Standard Selling' },
    ],
  },
  {
    name: 'Stock',
    streamId: Stock.streamId('WIDGET', 'Main'),
    initialState: Stock.initialState,
    decide: Stock.decide as unknown as Decide,
    evolve: Stock.evolve as unknown as Evolve,
    commandTypes: typesOf(Stock.commandSchema),
    commands: [
      { type: 'ReceiveStock', itemCode: 'WIDGET', warehouse: 'Main', qty: '100', reference: 'PO-1' },
      { type: 'IssueStock', itemCode: 'WIDGET', warehouse: 'Main', qty: '5' },
      { type: 'ReserveStock', itemCode: 'WIDGET', warehouse: 'Main', orderId: 'SO-1', lineId: 'L1', qty: '10' },
      {
        type: 'AdjustStockReservation',
        itemCode: 'WIDGET',
        warehouse: 'Main',
        orderId: 'SO-1',
        lineId: 'L1',
        qty: '8',
      },
      { type: 'DeliverStock', itemCode: 'WIDGET', warehouse: 'Main', orderId: 'SO-1', lineId: 'L1', qty: '3' },
      { type: 'ReleaseStockReservation', itemCode: 'WIDGET', warehouse: 'Main', orderId: 'SO-1', reason: 'on_hold' },
      { type: 'RestoreStockReservation', itemCode: 'WIDGET', warehouse: 'Main', orderId: 'SO-1', reason: 'resumed' },
    ],
  },
  {
    name: 'SalesInvoice',
    streamId: SalesInvoice.streamId('SINV-1'),
    initialState: SalesInvoice.initialState,
    decide: SalesInvoice.decide as unknown as Decide,
    evolve: SalesInvoice.evolve as unknown as Evolve,
    commandTypes: typesOf(SalesInvoice.commandSchema as never),
    commands: [
      {
        type: 'CreateSalesInvoice',
        invoiceId: 'SINV-1',
        customerId: 'C-1',
        company: 'Acme',
        salesOrderId: 'SO-1',
        currency: 'EUR',
        postingDate: '2026-03-10',
        dueDate: '2026-04-09',
        lines: [
          {
            orderLineId: 'L1',
            itemCode: 'WIDGET',
            qty: '2',
            rate: EUR('10.00'),
            amount: EUR('20.00'),
            unbilledAmount: EUR('20.00'),
          },
        ],
      },
      { type: 'ApplyPaymentToInvoice', invoiceId: 'SINV-1', paymentId: 'PAY-1', amount: EUR('5.00') },
      { type: 'CancelSalesInvoice', invoiceId: 'SINV-1' },
    ],
  },
  {
    name: 'Payment',
    streamId: Payment.streamId('PAY-1'),
    initialState: Payment.initialState,
    decide: Payment.decide as unknown as Decide,
    evolve: Payment.evolve as unknown as Evolve,
    commandTypes: typesOf(Payment.commandSchema),
    commands: [
      {
        type: 'ReceivePayment',
        paymentId: 'PAY-1',
        customerId: 'C-1',
        company: 'Acme',
        amount: EUR('50.00'),
        receivedOn: '2026-03-11',
        reference: 'BANK-1',
        allocations: [{ invoiceId: 'SINV-1', amount: EUR('20.00'), invoiceOutstanding: EUR('20.00') }],
      },
      {
        type: 'AllocatePayment',
        paymentId: 'PAY-1',
        invoiceId: 'SINV-2',
        amount: EUR('10.00'),
        invoiceOutstanding: EUR('30.00'),
      },
    ],
  },
  {
    name: 'SalesOrder',
    streamId: SalesOrder.streamId('SO-1'),
    initialState: SalesOrder.initialState,
    decide: SalesOrder.decide as unknown as Decide,
    evolve: SalesOrder.evolve as unknown as Evolve,
    commandTypes: SalesOrder.commandTypes,
    commands: [
      {
        type: 'CreateSalesOrder',
        data: { orderId: 'SO-1', customerId: 'C-1', company: 'Acme', currency: 'EUR', transactionDate: '2026-03-02' },
      },
      {
        type: 'AddSalesOrderLine',
        data: {
          orderId: 'SO-1',
          line: { lineId: 'L1', itemCode: 'WIDGET', qty: '4', uom: 'Nos', rate: '10.00', warehouse: 'Main' },
        },
      },
      {
        type: 'AddSalesOrderLine',
        data: {
          orderId: 'SO-1',
          line: {
            lineId: 'L2',
            itemCode: 'GADGET',
            qty: '1',
            uom: 'Nos',
            priceListRate: '20.00',
            discountPercentage: '10',
            warehouse: 'Main',
          },
        },
      },
      { type: 'UpdateSalesOrderLine', data: { orderId: 'SO-1', lineId: 'L2', changes: { qty: '2' } } },
      { type: 'SetSalesOrderDiscount', data: { orderId: 'SO-1', discount: { kind: 'percentage', percentage: '5' } } },
      { type: 'RemoveSalesOrderDiscount', data: { orderId: 'SO-1' } },
      {
        type: 'AddSalesOrderTax',
        data: { orderId: 'SO-1', tax: { taxId: 'VAT', description: 'VAT', kind: 'on_net_total', rate: '19' } },
      },
      { type: 'AddSalesOrderTax', data: { orderId: 'SO-1', tax: { taxId: 'FEE', kind: 'actual', amount: '2.50' } } },
      { type: 'RemoveSalesOrderTax', data: { orderId: 'SO-1', taxId: 'FEE' } },
      { type: 'SetSalesOrderDeliveryDate', data: { orderId: 'SO-1', deliveryDate: '2026-04-01' } },
      { type: 'RemoveSalesOrderLine', data: { orderId: 'SO-1', lineId: 'L2' } },
      { type: 'SubmitSalesOrder', data: { orderId: 'SO-1' } },
      {
        type: 'UpdateSalesOrderItems',
        data: { orderId: 'SO-1', update: [{ lineId: 'L1', qty: '5' }], add: [], remove: [] },
      },
      { type: 'HoldSalesOrder', data: { orderId: 'SO-1', reason: 'credit' } },
      { type: 'ResumeSalesOrder', data: { orderId: 'SO-1' } },
      {
        type: 'RecordSalesOrderDelivery',
        data: { orderId: 'SO-1', reference: 'DN-1', lines: [{ lineId: 'L1', qty: '2' }] },
      },
      {
        type: 'RecordSalesOrderBilling',
        data: { orderId: 'SO-1', reference: 'SINV-1', lines: [{ lineId: 'L1', amount: '20.00' }] },
      },
      { type: 'CloseSalesOrder', data: { orderId: 'SO-1' } },
      { type: 'ReopenSalesOrder', data: { orderId: 'SO-1' } },
      { type: 'CancelSalesOrder', data: { orderId: 'SO-1', reason: 'changed their mind' } },
    ],
  },
];

/** One valid input per ERP use case; order ids refer to orders the test places first. */
export function useCaseInputs(orderId: string, draftId: string): Readonly<Record<string, readonly unknown[]>> {
  return {
    placeOrder: [
      { customerId: 'C-3', lines: [{ itemCode: 'WIDGET', qty: '2' }] },
      {
        orderId: 'SO-BAD-INPUT',
        customerId: 'C-3',
        company: 'Acme',
        currency: 'EUR',
        transactionDate: '2026-03-02',
        deliveryDate: '2026-03-20',
        draft: true,
        lines: [
          { lineId: 'A', itemCode: 'GADGET', qty: '1.5', unit: 'Nos', warehouse: 'Main', deliveryDate: '2026-03-19' },
        ],
      },
    ],
    submitOrder: [{ orderId: draftId }],
    holdOrder: [{ orderId, reason: 'checking' }],
    resumeOrder: [{ orderId }],
    closeOrder: [{ orderId }],
    reopenOrder: [{ orderId }],
    cancelOrder: [{ orderId, reason: 'no longer needed' }],
    updateOrderItems: [
      {
        orderId,
        update: [{ lineId: 'L1', qty: '3', rate: '5.00', deliveryDate: '2026-05-01' }],
        add: [{ itemCode: 'BOLT', qty: '1' }],
        remove: [],
      },
    ],
    deliverOrder: [{ orderId, lines: [{ lineId: 'L1', qty: '1' }], reference: 'DN-X' }],
    invoiceOrder: [{ orderId, invoiceId: 'SINV-X', lines: [{ lineId: 'L1', qty: '1' }], postingDate: '2026-03-05' }],
    receivePayment: [
      {
        customerId: 'C-3',
        amount: { amount: '10.00', currency: 'EUR' },
        company: 'Acme',
        paymentId: 'PAY-X',
        receivedOn: '2026-03-06',
        reference: 'REF',
        allocations: [{ invoiceId: 'SINV-X', amount: { amount: '1.00', currency: 'EUR' } }],
      },
    ],
    manageCustomer: [
      { type: 'RegisterCustomer', customerId: 'C-NEW', name: 'New', customerGroup: 'Retail' },
      {
        type: 'AddCustomerCreditLimit',
        customerId: 'C-3',
        company: 'Acme',
        limit: { amount: '100000', currency: 'EUR' },
      },
    ],
    manageItem: [
      {
        type: 'RegisterItem',
        itemCode: 'NEW-ITEM',
        name: 'New',
        itemGroup: 'Products',
        stockUnit: 'Nos',
        standardRate: { amount: '1.00', currency: 'EUR' },
      },
    ],
    managePriceList: [{ type: 'CreatePriceList', priceListId: 'PL-X', currency: 'EUR' }],
    adjustStock: [{ type: 'ReceiveStock', itemCode: 'NUT', warehouse: 'Main', qty: '5' }],
  };
}
