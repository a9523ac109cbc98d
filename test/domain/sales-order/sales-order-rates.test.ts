import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SALES_ORDER_ROUNDING_METHODS,
  SalesOrder,
  type SalesOrderCommand,
  type SalesOrderEvent,
  type SalesOrderLineInput,
  type SalesOrderSettings,
} from '../../../src/domain/sales-order/index.js';
import { fold } from '../../../src/kernel/decider.js';
import {
  addLine,
  context,
  create,
  eventsOf,
  ORDER,
  orderOf,
  spec,
  submit,
  updateItems,
  updateLine,
} from './sales-order-fixtures.js';

const so = spec();

/** The line data of the line events among `events`. */
function lineData(events: readonly SalesOrderEvent[]) {
  return events.flatMap((event) =>
    event.type === 'SalesOrderLineAdded' || event.type === 'SalesOrderLineUpdated' ? [event.data.line] : [],
  );
}

describe('SalesOrder line rates (ERPNext rounds every rate field to the currency before computing the amount)', () => {
  it('gives the same amount for a rate entered directly and via a price-list rate and discount', () => {
    // 3 × 0.335 would be 1.005 (1.00 half-even); ERPNext rounds the rate first: 3 × 0.34 = 1.02 either way.
    const direct = orderOf([create(), addLine('L1', { qty: '3', rate: '0.335' })]).lines[0];
    const listed = orderOf([
      create(),
      addLine('L1', { qty: '3', rate: undefined, priceListRate: '0.335', discountPercentage: '0' }),
    ]).lines[0];
    expect(direct).toMatchObject({ priceListRate: '0.34', rate: '0.34', discountPercentage: '0', amount: '1.02' });
    expect(listed).toEqual(direct);
  });

  it('rounds the price-list rate before taking the discount off it', () => {
    // round(0.025) = 0.02 (half-even), 60 % of it is 0.012 → 0.01; from the unrounded 0.025 it would be 0.015 → 0.02.
    const events = so
      .givenCommands([create()])
      .when(addLine('L1', { qty: '1', rate: undefined, priceListRate: '0.025', discountPercentage: '40' }))
      .events();
    expect(lineData(events)).toEqual([
      expect.objectContaining({ priceListRate: '0.02', discountPercentage: '40', rate: '0.01' }),
    ]);
  });

  it("rounds rates with the order's rounding method, to its currency's minor unit", () => {
    const rates = (settings: SalesOrderSettings, currency: string, rate: string) =>
      orderOf([create({ currency }), addLine('L1', { qty: '1', rate, priceListRate: rate })], settings).lines[0];
    expect(rates({}, 'USD', '0.125')).toMatchObject({ rate: '0.12', priceListRate: '0.12' });
    expect(rates({ roundingMethod: 'commercial' }, 'USD', '0.125')).toMatchObject({ rate: '0.13' });
    expect(rates({ roundingMethod: 'commercial' }, 'USD', '-0.125')).toMatchObject({ rate: '-0.13' });
    expect(rates({ roundingMethod: 'erpnext-legacy' }, 'USD', '-0.125')).toMatchObject({ rate: '-0.12' });
    expect(rates({}, 'JPY', '12.5')).toMatchObject({ rate: '12', amount: '12' });
    expect(rates({}, 'KWD', '1.0005')).toMatchObject({ rate: '1.000' });
    expect(rates({}, 'CLF', '0.33335')).toMatchObject({ rate: '0.3334' });
  });

  it('rounds the rates of UpdateSalesOrderLine and UpdateSalesOrderItems the same way', () => {
    const draft = [create(), addLine('L1', { qty: '3', rate: '1.00' })];
    const updated = (command: SalesOrderCommand, given = draft) => lineData(eventsOf([...given, command]).slice(-1))[0];
    expect(updated(updateLine('L1', { rate: '0.335' }))).toMatchObject({ rate: '0.34', discountPercentage: '0' });
    expect(updated(updateLine('L1', { priceListRate: '0.335', discountPercentage: '0' }))).toMatchObject({
      priceListRate: '0.34',
      rate: '0.34',
    });
    const submitted = [...draft, submit()];
    expect(updated(updateItems({ update: [{ lineId: 'L1', rate: '0.335' }] }), submitted)).toMatchObject({
      rate: '0.34',
    });
    const added = lineData(
      eventsOf([
        ...submitted,
        updateItems({
          add: [{ lineId: 'L2', itemCode: 'NUT', qty: '3', uom: 'Nos', priceListRate: '0.335', warehouse: 'Main' }],
        }),
      ]).slice(-1),
    )[0];
    expect(added).toMatchObject({ priceListRate: '0.34', rate: '0.34' });
  });

  it('folds events stored before rates were rounded exactly as before, and rounds such a line when it is next updated', () => {
    // An event as an older version of decide wrote it: the rate at full precision.
    const [created, added] = eventsOf([create(), addLine('L1', { qty: '3', rate: '1.00' })]);
    if (created === undefined || added?.type !== 'SalesOrderLineAdded') throw new Error('expected two events');
    const legacy: SalesOrderEvent = {
      ...added,
      data: { ...added.data, line: { ...added.data.line, priceListRate: '0.335', rate: '0.335' } },
    };
    const state = fold(SalesOrder.decider, [created, legacy]);
    expect(state.exists && state.lines[0]).toMatchObject({ rate: '0.335', amount: '1.00' });
    const events = SalesOrder.decide(updateLine('L1', { qty: '4' }), state, context());
    expect(lineData(events)[0]).toMatchObject({ qty: '4', priceListRate: '0.34', rate: '0.34' });
  });

  it('gives identical lines for `rate: r` and `priceListRate: r` without discount, for any r and qty (property)', () => {
    const currency = fc.constantFrom('USD', 'JPY', 'KWD', 'CLF', 'CHF');
    // Up to 6 decimals, so that rates beyond every minor unit (CLF has 4) and ties are generated.
    const decimal = (max: number, scale: number) =>
      fc.integer({ min: -max, max }).map((units) => (units / 10 ** scale).toFixed(scale));
    fc.assert(
      fc.property(
        currency,
        fc.constantFrom(...SALES_ORDER_ROUNDING_METHODS),
        fc.integer({ min: 0, max: 6 }).chain((scale) => decimal(10_000_000, scale)),
        decimal(100_000, 3),
        fc.boolean(),
        (code, roundingMethod, r, qty, afterSubmit) => {
          const base = { lineId: 'L2', itemCode: 'NUT', qty, uom: 'Nos', warehouse: 'Main' };
          const direct: SalesOrderLineInput = { ...base, rate: r };
          const listed: SalesOrderLineInput = { ...base, priceListRate: r, discountPercentage: '0' };
          const given = [
            create({ currency: code, deliveryDate: '2026-01-20' }),
            addLine('L1', { qty: '1', rate: '1000' }),
            ...(afterSubmit ? [submit()] : []),
          ];
          const add = (line: SalesOrderLineInput): SalesOrderCommand =>
            afterSubmit ? updateItems({ add: [line] }) : { type: 'AddSalesOrderLine', data: { orderId: ORDER, line } };
          const settings = { roundingMethod };
          let directOrder: ReturnType<typeof orderOf> | undefined;
          let refusal: unknown;
          try {
            directOrder = orderOf([...given, add(direct)], settings);
          } catch (error) {
            refusal = error;
          }
          if (refusal !== undefined) {
            // After submit a line needs a positive quantity and a non-negative grand total: both forms are refused alike.
            expect(() => orderOf([...given, add(listed)], settings)).toThrow((refusal as Error).message);
            return;
          }
          const listedOrder = orderOf([...given, add(listed)], settings);
          expect(listedOrder.lines[1]).toEqual(directOrder?.lines[1]);
          expect(listedOrder.totals).toEqual(directOrder?.totals);
        },
      ),
      { numRuns: 150, seed: 20260512 },
    );
  });
});
