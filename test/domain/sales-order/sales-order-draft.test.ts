import { describe, expect, it } from 'vitest';
import { SalesOrder } from '../../../src/domain/sales-order/index.js';
import { isOrdoError, ValidationError } from '../../../src/kernel/errors.js';
import {
  addLine,
  addTax,
  bill,
  create,
  eventsOf,
  NOW,
  ORDER,
  orderOf,
  removeDiscount,
  removeLine,
  setDeliveryDate,
  setDiscount,
  spec,
  submit,
  submittedOrder,
  updateLine,
} from './sales-order-fixtures.js';

const so = spec();

describe('SalesOrder draft editing', () => {
  it('creates a draft with the rounding settings of the moment recorded in the event', () => {
    spec({ roundingMethod: 'commercial', roundedTotal: true, smallestCurrencyFraction: { CHF: '0.05' } })
      .given()
      .when(create({ currency: 'CHF', deliveryDate: '2026-02-01' }))
      .thenEmits([
        {
          type: 'SalesOrderCreated',
          data: {
            orderId: SalesOrder.id(ORDER),
            customerId: 'CUST-1',
            company: 'Acme',
            currency: 'CHF',
            transactionDate: '2026-01-10',
            deliveryDate: '2026-02-01',
            pricing: { roundingMethod: 'commercial', roundedTotal: true, smallestFraction: '0.05' },
            createdAt: NOW,
          },
        },
      ]);
  });

  it('dates an order without a transaction date on the day of the context', () => {
    so.given()
      .when({ type: 'CreateSalesOrder', data: { orderId: ORDER, customerId: 'C', company: 'Acme', currency: 'EUR' } })
      .thenState((state) => {
        expect(state.exists && state.transactionDate).toBe('2026-01-01');
        expect(state.exists && state.status).toBe('draft');
      });
  });

  it('refuses a line whose amount, or an order whose total, would leave the decimal bound, instead of emitting it', () => {
    const near = '999999999999999';
    so.givenCommands([create()])
      .when(addLine('L1', { qty: '3', rate: near }))
      .thenRejects('AMOUNT_OUT_OF_RANGE');
    so.givenCommands([create(), addLine('L1', { qty: '1', rate: near })])
      .when(addLine('L2', { qty: '1', rate: near }))
      .thenRejects('AMOUNT_OUT_OF_RANGE');
    so.givenCommands([create(), addLine('L1', { qty: '1', rate: '1' })])
      .when(updateLine('L1', { qty: '2', rate: near }))
      .thenRejects('AMOUNT_OUT_OF_RANGE');
    // Just inside the bound is accepted and applies.
    so.givenCommands([create()])
      .when(addLine('L1', { qty: '1', rate: near }))
      .thenState((state) => expect(state.exists && state.totals.grandTotal).toBe('999999999999999.00'));
  });

  it('handles an order near the amount bound with a discount, a tax spread over lines and billing: only results are bounded', () => {
    // Each share of the discount is total × part ÷ whole: the product alone is far past 10^15, the share is not.
    const commands = [
      create({ currency: 'JPY', deliveryDate: '2026-02-01' }),
      addLine('L1', { qty: '100', rate: '4000000000000' }),
      addLine('L2', { qty: '100', rate: '3000000000000' }),
      setDiscount({ kind: 'percentage', percentage: '10', applyOn: 'grand_total' }),
      addTax({ kind: 'actual', description: 'Freight', amount: '99999' }),
      submit(),
      bill({ L1: '100000000' }),
    ];
    const state = orderOf(commands);
    expect(state.totals.grandTotal).toBe('630000000089999');
    // ERPNext spreads the whole discount by net amount over the total it applies to (actual taxes excluded).
    expect(state.lines.map((line) => line.netAmount)).toEqual(['359999999994286', '269999999995714']);
    // Billed 10^8 of 7 × 10^14 is 0.000014 % once per-billed is rounded to 6 places, as ERPNext does; the grand total
    // times what is left of 100 % is 8.8 × 10^16 before dividing by 100.
    expect(state.unbilledAmount).toBe('629999911889999');
  });

  it('refuses to create an order twice', () => {
    so.givenCommands([create()]).when(create()).thenRejects('ORDER_ALREADY_EXISTS');
  });

  it('refuses any command on an order that was never created', () => {
    so.given().when(addLine('L1')).thenRejects('ORDER_NOT_FOUND');
    so.given().when(submit()).thenRejects('ORDER_NOT_FOUND');
  });

  it('refuses a command naming another order than the state holds', () => {
    so.givenCommands([create()])
      .when({ type: 'SubmitSalesOrder', data: { orderId: 'SO-2' } })
      .thenRejects('ORDER_ID_MISMATCH');
  });

  it('derives the line rate from the price-list rate and the discount, rounded to the currency', () => {
    so.givenCommands([create()])
      .when(addLine('L1', { rate: undefined, priceListRate: '19.99', discountPercentage: '10', qty: '3' }))
      .thenState((state) => {
        const line = state.exists ? state.lines[0] : undefined;
        expect(line).toMatchObject({
          priceListRate: '19.99',
          discountPercentage: '10',
          rate: '17.99',
          amount: '53.97',
        });
      });
  });

  it('keeps a rate given directly, with the price-list rate it was given against and no discount percentage', () => {
    so.givenCommands([create()])
      .when(addLine('L1', { rate: '8.00', priceListRate: '10.00' }))
      .thenState((state) => {
        expect(state.exists && state.lines[0]).toMatchObject({
          priceListRate: '10.00',
          discountPercentage: '0',
          rate: '8.00',
        });
      });
  });

  it('generates a line id with ctx.newId() when the command gives none', () => {
    const events = so
      .givenCommands([create()])
      .when(addLine('ignored', { lineId: undefined }))
      .events();
    const added = events[0];
    expect(added?.type === 'SalesOrderLineAdded' && added.data.line.lineId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a second line with the same id', () => {
    so.givenCommands([create(), addLine('L1')])
      .when(addLine('L1'))
      .thenRejects('DUPLICATE_LINE_ID');
  });

  it('accepts a negative rate, as ERPNext does', () => {
    so.givenCommands([create(), addLine('L1')])
      .when(addLine('L2', { rate: '-5.00', qty: '1' }))
      .thenState((state) => expect(state.exists && state.totals.grandTotal).toBe('45.00'));
  });

  it('re-derives the rate when the discount changes and keeps it when only the quantity changes', () => {
    const given = [create(), addLine('L1', { rate: undefined, priceListRate: '100.00', discountPercentage: '10' })];
    so.givenCommands(given)
      .when(updateLine('L1', { discountPercentage: '25' }))
      .thenState((state) => expect(state.exists && state.lines[0]?.rate).toBe('75.00'));
    so.givenCommands(given)
      .when(updateLine('L1', { qty: '2' }))
      .thenState((state) =>
        expect(state.exists && state.lines[0]).toMatchObject({ qty: '2', rate: '90.00', amount: '180.00' }),
      );
    so.givenCommands(given)
      .when(updateLine('L1', { rate: '95.00' }))
      .thenState((state) =>
        expect(state.exists && state.lines[0]).toMatchObject({
          rate: '95.00',
          discountPercentage: '0',
          priceListRate: '100.00',
        }),
      );
  });

  it('clears a line delivery date with null', () => {
    so.givenCommands([create(), addLine('L1')])
      .when(updateLine('L1', { deliveryDate: null }))
      .thenState((state) => expect(state.exists && state.lines[0]?.deliveryDate).toBeNull());
  });

  it('refuses to update or remove a line that does not exist', () => {
    so.givenCommands([create()])
      .when(updateLine('L9', { qty: '1' }))
      .thenRejects('LINE_NOT_FOUND');
    so.givenCommands([create()]).when(removeLine('L9')).thenRejects('LINE_NOT_FOUND');
  });

  it('removes a line and its amount from the totals', () => {
    so.givenCommands([create(), addLine('L1'), addLine('L2')])
      .when(removeLine('L1'))
      .thenState((state) => {
        expect(state.exists && state.lines.map((line) => line.lineId)).toEqual(['L2']);
        expect(state.exists && state.totals.total).toBe('50.00');
      });
  });

  it('replaces the discount and removes it; removing an absent discount changes nothing', () => {
    const given = [create(), addLine('L1'), setDiscount({ kind: 'percentage', percentage: '10' })];
    so.givenCommands(given)
      .when(setDiscount({ kind: 'amount', amount: '2', applyOn: 'net_total' }))
      .thenState((state) =>
        expect(state.exists && state.discount).toEqual({ kind: 'amount', amount: '2.00', applyOn: 'net_total' }),
      );
    so.givenCommands(given)
      .when(removeDiscount())
      .thenEmits([{ type: 'SalesOrderDiscountRemoved', data: { orderId: SalesOrder.id(ORDER) } }]);
    so.givenCommands([create()]).when(removeDiscount()).thenNothingHappens();
  });

  it('applies an order discount on the grand total unless told otherwise', () => {
    so.givenCommands([create(), addLine('L1')])
      .when(setDiscount({ kind: 'percentage', percentage: '10' }))
      .thenState((state) => expect(state.exists && state.discount?.applyOn).toBe('grand_total'));
  });

  it('adds tax rows in order with generated ids and refuses to remove an unknown one', () => {
    const given = [create(), addLine('L1'), addTax({ taxId: 'VAT', kind: 'on_net_total', rate: '20' })];
    so.givenCommands(given)
      .when(addTax({ kind: 'actual', amount: '4.99', description: 'Freight' }))
      .thenState((state) => {
        expect(state.exists && state.taxes.map((tax) => tax.kind)).toEqual(['on_net_total', 'actual']);
        expect(state.exists && state.totals.grandTotal).toBe('64.99');
      });
    so.givenCommands(given)
      .when(addTax({ taxId: 'VAT', kind: 'on_net_total', rate: '5' }))
      .thenRejects('DUPLICATE_TAX_ID');
    so.givenCommands(given)
      .when({ type: 'RemoveSalesOrderTax', data: { orderId: ORDER, taxId: 'GST' } })
      .thenRejects('TAX_NOT_FOUND');
    so.givenCommands(given)
      .when({ type: 'RemoveSalesOrderTax', data: { orderId: ORDER, taxId: 'VAT' } })
      .thenState((state) => expect(state.exists && state.totals.grandTotal).toBe('50.00'));
  });

  it('refuses every draft edit once the order is submitted, with ORDER_NOT_DRAFT', () => {
    const edits = [
      addLine('L3'),
      updateLine('L1', { qty: '1' }),
      removeLine('L1'),
      setDiscount({ kind: 'percentage', percentage: '5' }),
      removeDiscount(),
      addTax({ kind: 'on_net_total', rate: '5' }),
      setDeliveryDate('2026-02-01'),
      submit(),
    ];
    for (const edit of edits) so.givenCommands(submittedOrder).when(edit).thenRejects('ORDER_NOT_DRAFT');
  });
});

describe('given/when/then with a history of commands', () => {
  it('fails the test when a given command is itself refused', () => {
    expect(() => so.givenCommands([create(), submit()])).toThrow(/ORDER_HAS_NO_LINES|order needs at least one line/);
  });

  it('shares one context between the given commands and the command under test, so generated ids never repeat', () => {
    const lineIds = (events: readonly { type: string; data: unknown }[]) =>
      events.flatMap((event) =>
        event.type === 'SalesOrderLineAdded' ? [(event.data as { line: { lineId: string } }).line.lineId] : [],
      );
    const givenIds = lineIds(eventsOf([create(), addLine('x', { lineId: undefined })]));
    const whenIds = lineIds(
      so
        .givenCommands([create(), addLine('x', { lineId: undefined })])
        .when(addLine('y', { lineId: undefined }))
        .events(),
    );
    expect(whenIds).toHaveLength(1);
    expect(givenIds).not.toContain(whenIds[0]);
  });
});

describe('SalesOrder command validation', () => {
  function validationIssues(run: () => unknown) {
    try {
      run();
    } catch (error) {
      if (error instanceof ValidationError) return error.issues.map((issue) => issue.path.join('.'));
      throw error;
    }
    throw new Error('expected a ValidationError');
  }
  const order = orderOf([create()]);
  const decide = (command: unknown) => () =>
    SalesOrder.decide(command as never, order, { now: new Date(NOW), newId: () => 'x' });

  it('refuses a malformed command with VALIDATION_FAILED and the path of every problem', () => {
    expect(
      validationIssues(
        decide({
          type: 'AddSalesOrderLine',
          data: { orderId: ORDER, line: { itemCode: '', qty: '1.5.2', uom: 'Nos', rate: '1', warehouse: 'W' } },
        }),
      ),
    ).toEqual(['data.line.itemCode', 'data.line.qty']);
    expect(
      validationIssues(
        decide({ type: 'CreateSalesOrder', data: { orderId: ORDER, customerId: 'C', company: 'A', currency: 'XYZ' } }),
      ),
    ).toEqual(['data.currency']);
    expect(validationIssues(decide({ type: 'ShipIt', data: {} }))).toEqual(['type']);
  });

  it('refuses a float where a decimal string is required', () => {
    expect(
      validationIssues(
        decide({
          type: 'AddSalesOrderLine',
          data: { orderId: ORDER, line: { itemCode: 'A', qty: 1.5, uom: 'Nos', rate: '1', warehouse: 'W' } },
        }),
      ),
    ).toEqual(['data.line.qty']);
  });

  it('needs a rate or a price-list rate, and refuses a rate together with a discount percentage', () => {
    const line = { itemCode: 'A', qty: '1', uom: 'Nos', warehouse: 'W' };
    expect(validationIssues(decide({ type: 'AddSalesOrderLine', data: { orderId: ORDER, line } }))).toEqual([
      'data.line.rate',
    ]);
    expect(
      validationIssues(
        decide({
          type: 'AddSalesOrderLine',
          data: { orderId: ORDER, line: { ...line, rate: '1', discountPercentage: '5' } },
        }),
      ),
    ).toEqual(['data.line.discountPercentage']);
  });

  it('refuses a discount percentage above 100 and an impossible date', () => {
    expect(validationIssues(decide(setDiscount({ kind: 'percentage', percentage: '100.5' })))).toEqual([
      'data.discount.percentage',
    ]);
    expect(validationIssues(decide(setDeliveryDate('2026-02-30')))).toEqual(['data.deliveryDate']);
  });

  it('refuses invalid settings with paths under settings', () => {
    const error = (() => {
      try {
        SalesOrder.decide(create(), SalesOrder.initialState, {
          now: new Date(NOW),
          newId: () => 'x',
          settings: { roundingMethod: 'nearest' as never, overDeliveryAllowance: '-1' },
        });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isOrdoError(error, 'VALIDATION_FAILED')).toBe(true);
    expect(error instanceof ValidationError && error.issues.map((issue) => issue.path.join('.'))).toEqual([
      'settings.roundingMethod',
      'settings.overDeliveryAllowance',
    ]);
  });

  it('validates a generated tax id like a generated line id, instead of emitting an event its schema refuses', () => {
    const withIds = (id: string) => ({ now: new Date(NOW), newId: () => id });
    const generated = (id: string) => () =>
      SalesOrder.decide(addTax({ kind: 'on_net_total', rate: '5' }), order, withIds(id));
    expect(generated('')).toThrow(ValidationError);
    expect(generated('x'.repeat(141))).toThrow(ValidationError);
    expect(() => SalesOrder.decide(addLine('x', { lineId: undefined }), order, withIds(''))).toThrow(ValidationError);
    const [added] = generated('TAX-1')();
    expect(added?.type === 'SalesOrderTaxAdded' && added.data.tax.taxId).toBe('TAX-1');
    // A given tax id is used as it is, whatever newId() would return.
    const [given] = SalesOrder.decide(addTax({ taxId: 'VAT', kind: 'on_net_total', rate: '5' }), order, withIds(''));
    expect(given?.type === 'SalesOrderTaxAdded' && given.data.tax.taxId).toBe('VAT');
  });

  it('emits events that pass their own registered schemas', () => {
    const registry = SalesOrder.createEventRegistry();
    for (const event of eventsOf([...submittedOrder])) {
      expect(() =>
        registry.encode('SalesOrder-SO-1', event.type, JSON.parse(JSON.stringify(event.data))),
      ).not.toThrow();
    }
  });
});
