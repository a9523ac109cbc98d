import { describe, expect, it } from 'vitest';
import { SalesOrder } from '../../../src/domain/sales-order/index.js';
import { DomainRuleError } from '../../../src/kernel/errors.js';
import {
  addLine,
  bill,
  cancel,
  close,
  create,
  deliver,
  hold,
  NOW,
  ORDER,
  orderOf,
  reopen,
  resume,
  setDeliveryDate,
  setDiscount,
  spec,
  submit,
  submittedOrder,
  updateItems,
} from './sales-order-fixtures.js';

const so = spec();

describe('SalesOrder submit guards', () => {
  it('refuses to submit an order without lines', () => {
    so.givenCommands([create()]).when(submit()).thenRejects('ORDER_HAS_NO_LINES');
  });

  it('refuses to submit a line with a zero or negative quantity', () => {
    so.givenCommands([create(), addLine('L1', { qty: '0' })])
      .when(submit())
      .thenRejects('INVALID_QTY');
    so.givenCommands([create(), addLine('L1', { qty: '-1' })])
      .when(submit())
      .thenRejects('INVALID_QTY');
  });

  it('names the offending line in the refusal', () => {
    so.givenCommands([create(), addLine('L1'), addLine('L2', { qty: '0' })])
      .when(submit())
      .thenRejects(
        (error) => error instanceof DomainRuleError && error.rule === 'INVALID_QTY' && error.data.lineId === 'L2',
      );
  });

  it('refuses to submit when a line has no delivery date and the order has none', () => {
    so.givenCommands([create(), addLine('L1', { deliveryDate: undefined })])
      .when(submit())
      .thenRejects('DELIVERY_DATE_MISSING');
  });

  it('lets lines without a date take the header date, and sets the header to the latest line date', () => {
    so.givenCommands([
      create({ deliveryDate: '2026-01-15' }),
      addLine('L1', { deliveryDate: undefined }),
      addLine('L2', { deliveryDate: '2026-01-25' }),
    ])
      .when(submit())
      .thenState((state) => {
        expect(state.exists && state.lines.map((line) => line.deliveryDate)).toEqual(['2026-01-15', '2026-01-25']);
        expect(state.exists && state.deliveryDate).toBe('2026-01-25');
      });
  });

  it('refuses a delivery date before the transaction date, on a line or on the header', () => {
    so.givenCommands([create(), addLine('L1', { deliveryDate: '2026-01-09' })])
      .when(submit())
      .thenRejects('DELIVERY_BEFORE_ORDER_DATE');
    so.givenCommands([create(), addLine('L1', { deliveryDate: undefined }), setDeliveryDate('2026-01-09')])
      .when(submit())
      .thenRejects('DELIVERY_BEFORE_ORDER_DATE');
  });

  it('accepts a delivery date equal to the transaction date', () => {
    so.givenCommands([create(), addLine('L1', { deliveryDate: '2026-01-10' })])
      .when(submit())
      .thenState((state) => expect(state.exists && state.status).toBe('to_deliver_and_bill'));
  });

  it('refuses to submit a negative grand total but accepts negative rates that keep it positive', () => {
    so.givenCommands([create(), addLine('L1', { rate: '-5.00' })])
      .when(submit())
      .thenRejects('GRAND_TOTAL_NEGATIVE');
    so.givenCommands([create(), addLine('L1'), setDiscount({ kind: 'amount', amount: '60' })])
      .when(submit())
      .thenRejects('GRAND_TOTAL_NEGATIVE');
    so.givenCommands([create(), addLine('L1'), addLine('L2', { rate: '-1.00' })])
      .when(submit())
      .thenState((state) => expect(state.exists && state.totals.grandTotal).toBe('40.00'));
  });

  it('records the submit with the grand total and the latest delivery date', () => {
    so.givenCommands([create(), addLine('L1')])
      .when(submit())
      .thenEmits([
        {
          type: 'SalesOrderSubmitted',
          data: {
            orderId: SalesOrder.id(ORDER),
            customerId: 'CUST-1',
            deliveryDate: '2026-01-20',
            grandTotal: { amount: '50.00', currency: 'USD' },
            submittedAt: NOW,
          },
        },
      ]);
  });
});

describe('SalesOrder after submit', () => {
  it('puts on hold and resumes; refuses to resume an order that is not on hold', () => {
    so.givenCommands(submittedOrder)
      .when(hold('customer asked'))
      .thenState((state) => {
        expect(state.exists && state.status).toBe('on_hold');
        expect(state.exists && state.holdReason).toBe('customer asked');
      });
    so.givenCommands([...submittedOrder, hold()])
      .when(resume())
      .thenState((state) => expect(state.exists && state.status).toBe('to_deliver_and_bill'));
    so.givenCommands(submittedOrder).when(resume()).thenRejects('ORDER_NOT_ON_HOLD');
    so.givenCommands([...submittedOrder, hold()])
      .when(hold())
      .thenRejects('ORDER_ON_HOLD');
  });

  it('refuses deliveries, billings, closing and item updates while on hold', () => {
    const onHold = [...submittedOrder, hold()];
    so.givenCommands(onHold)
      .when(deliver({ L1: '1' }))
      .thenRejects('ORDER_ON_HOLD');
    so.givenCommands(onHold)
      .when(bill({ L1: '1' }))
      .thenRejects('ORDER_ON_HOLD');
    so.givenCommands(onHold).when(close()).thenRejects('ORDER_ON_HOLD');
    so.givenCommands(onHold)
      .when(updateItems({ update: [{ lineId: 'L1', qty: '11' }] }))
      .thenRejects('ORDER_ON_HOLD');
  });

  it('closes and re-opens; a closed order accepts no delivery, billing or hold', () => {
    const closed = [...submittedOrder, close()];
    so.givenCommands(submittedOrder)
      .when(close())
      .thenState((state) => {
        expect(state.exists && state.status).toBe('closed');
        expect(state.exists && state.unbilledAmount).toBe('0.00');
      });
    so.givenCommands(closed)
      .when(deliver({ L1: '1' }))
      .thenRejects('ORDER_CLOSED');
    so.givenCommands(closed)
      .when(bill({ L1: '1' }))
      .thenRejects('ORDER_CLOSED');
    so.givenCommands(closed).when(hold()).thenRejects('ORDER_CLOSED');
    so.givenCommands(closed).when(close()).thenRejects('ORDER_CLOSED');
    so.givenCommands(submittedOrder).when(reopen()).thenRejects('ORDER_NOT_CLOSED');
    so.givenCommands(closed)
      .when(reopen())
      .thenState((state) => expect(state.exists && state.status).toBe('to_deliver_and_bill'));
  });

  it('refuses to cancel a closed order: re-open to cancel', () => {
    so.givenCommands([...submittedOrder, close()])
      .when(cancel())
      .thenRejects(
        (error) => error instanceof DomainRuleError && error.rule === 'ORDER_CLOSED' && /re-open/i.test(error.message),
      );
    so.givenCommands([...submittedOrder, close(), reopen()])
      .when(cancel())
      .thenState((state) => expect(state.exists && state.status).toBe('cancelled'));
  });

  it('refuses to cancel a draft, and an order with anything delivered or billed', () => {
    so.givenCommands([create(), addLine('L1')])
      .when(cancel())
      .thenRejects('ORDER_NOT_SUBMITTED');
    so.givenCommands([...submittedOrder, deliver({ L1: '1' })])
      .when(cancel())
      .thenRejects('ORDER_HAS_DELIVERIES');
    so.givenCommands([...submittedOrder, bill({ L2: '10' })])
      .when(cancel())
      .thenRejects('ORDER_HAS_BILLINGS');
  });

  it('cancels an order on hold, which ends the hold', () => {
    so.givenCommands([...submittedOrder, hold()])
      .when(cancel())
      .thenState((state) => {
        expect(state.exists && state.status).toBe('cancelled');
        expect(state.exists && state.onHold).toBe(false);
      });
  });

  it('accepts nothing once cancelled: every command is refused with ORDER_CANCELLED', () => {
    const cancelled = [...submittedOrder, cancel()];
    for (const command of [
      addLine('L3'),
      submit(),
      hold(),
      resume(),
      close(),
      reopen(),
      cancel(),
      deliver({ L1: '1' }),
      bill({ L1: '1' }),
      updateItems({ update: [{ lineId: 'L1', qty: '2' }] }),
    ]) {
      so.givenCommands(cancelled).when(command).thenRejects('ORDER_CANCELLED');
    }
    so.givenCommands(cancelled).when(create()).thenRejects('ORDER_ALREADY_EXISTS');
  });

  it('refuses deliveries and billings on a draft', () => {
    so.givenCommands([create(), addLine('L1')])
      .when(deliver({ L1: '1' }))
      .thenRejects('ORDER_NOT_SUBMITTED');
    so.givenCommands([create(), addLine('L1')])
      .when(bill({ L1: '1' }))
      .thenRejects('ORDER_NOT_SUBMITTED');
  });
});

describe('SalesOrder deliveries', () => {
  it('records a partial delivery per line', () => {
    so.givenCommands(submittedOrder)
      .when(deliver({ L1: '4' }))
      .thenState((state) => {
        expect(state.exists && state.lines.map((line) => line.deliveredQty)).toEqual(['4', '0']);
        expect(state.exists && state.perDelivered).toBe('28.571428');
        expect(state.exists && state.deliveryStatus).toBe('partly_delivered');
      });
  });

  it('refuses a delivery beyond the ordered quantity without an allowance', () => {
    so.givenCommands([...submittedOrder, deliver({ L1: '8' })])
      .when(deliver({ L1: '3' }))
      .thenRejects('OVER_DELIVERY');
  });

  it('accepts a delivery within the over-delivery allowance and refuses one beyond it', () => {
    const allowance = spec({ overDeliveryAllowance: '10' });
    allowance
      .givenCommands(submittedOrder)
      .when(deliver({ L1: '11' }))
      .thenState((state) => expect(state.exists && state.perDelivered).toBe('71.428571'));
    allowance
      .givenCommands(submittedOrder)
      .when(deliver({ L1: '11.001' }))
      .thenRejects('OVER_DELIVERY');
  });

  it('caps each line at its quantity when computing the delivered percentage', () => {
    spec({ overDeliveryAllowance: '50' })
      .givenCommands(submittedOrder)
      .when(deliver({ L1: '15' }))
      .thenState((state) => expect(state.exists && state.perDelivered).toBe('71.428571'));
  });

  it('refuses a zero quantity, an unknown line and a line listed twice', () => {
    so.givenCommands(submittedOrder)
      .when(deliver({ L1: '0' }))
      .thenRejects('INVALID_QTY');
    so.givenCommands(submittedOrder)
      .when(deliver({ L9: '1' }))
      .thenRejects('LINE_NOT_FOUND');
    so.givenCommands(submittedOrder)
      .when({
        type: 'RecordSalesOrderDelivery',
        data: {
          orderId: ORDER,
          lines: [
            { lineId: 'L1', qty: '1' },
            { lineId: 'L1', qty: '1' },
          ],
        },
      })
      .thenRejects('DUPLICATE_LINE_ID');
  });
});

describe('SalesOrder billing', () => {
  it('records billing per line against the line amount', () => {
    so.givenCommands(submittedOrder)
      .when(bill({ L1: '25.00' }))
      .thenState((state) => {
        expect(state.exists && state.lines[0]?.billedAmount).toBe('25.00');
        expect(state.exists && state.perBilled).toBe('25');
        expect(state.exists && state.billingStatus).toBe('partly_billed');
        expect(state.exists && state.unbilledAmount).toBe('75.00');
      });
  });

  it('refuses billing beyond the line amount, unless within the over-billing allowance', () => {
    so.givenCommands(submittedOrder)
      .when(bill({ L1: '50.01' }))
      .thenRejects('OVER_BILLING');
    spec({ overBillingAllowance: '1' })
      .givenCommands(submittedOrder)
      .when(bill({ L1: '50.50' }))
      .thenState((state) => expect(state.exists && state.perBilled).toBe('50'));
  });

  it('refuses a billed amount whose sign differs from the line amount', () => {
    so.givenCommands(submittedOrder)
      .when(bill({ L1: '-1.00' }))
      .thenRejects('BILLING_SIGN_MISMATCH');
  });

  it('counts a zero-amount order as fully billed once every line has a billing recorded', () => {
    const free = [create(), addLine('L1', { rate: '0' }), addLine('L2', { rate: '0' }), submit()];
    so.givenCommands(free)
      .when(bill({ L1: '0' }))
      .thenState((state) => expect(state.exists && state.perBilled).toBe('0'));
    so.givenCommands(free)
      .when(bill({ L1: '0', L2: '0' }))
      .thenState((state) => expect(state.exists && state.billingStatus).toBe('fully_billed'));
  });
});

describe('SalesOrder item updates after submit', () => {
  it('changes quantities and rates of a submitted order and recomputes its totals', () => {
    so.givenCommands(submittedOrder)
      .when(updateItems({ update: [{ lineId: 'L1', qty: '12', rate: '4.00' }] }))
      .thenState((state) => {
        expect(state.exists && state.lines[0]).toMatchObject({ qty: '12', rate: '4.00', amount: '48.00' });
        expect(state.exists && state.totals.grandTotal).toBe('98.00');
      });
  });

  it('refuses a quantity below the delivered quantity, and an amount below the billed amount', () => {
    const progressed = [...submittedOrder, deliver({ L1: '6' }), bill({ L2: '40.00' })];
    so.givenCommands(progressed)
      .when(updateItems({ update: [{ lineId: 'L1', qty: '5' }] }))
      .thenRejects('QTY_BELOW_DELIVERED');
    so.givenCommands(progressed)
      .when(updateItems({ update: [{ lineId: 'L1', qty: '6' }] }))
      .thenState((state) => {
        expect(state.exists && state.lines[0]?.qty).toBe('6');
      });
    so.givenCommands(progressed)
      .when(updateItems({ update: [{ lineId: 'L2', rate: '9.00' }] }))
      .thenRejects('AMOUNT_BELOW_BILLED');
  });

  it('refuses to remove a delivered or billed line, and removes an untouched one', () => {
    so.givenCommands([...submittedOrder, deliver({ L1: '1' })])
      .when(updateItems({ remove: ['L1'] }))
      .thenRejects('LINE_HAS_DELIVERIES');
    so.givenCommands([...submittedOrder, bill({ L1: '1' })])
      .when(updateItems({ remove: ['L1'] }))
      .thenRejects('LINE_HAS_BILLINGS');
    so.givenCommands(submittedOrder)
      .when(updateItems({ remove: ['L2'] }))
      .thenState((state) => expect(state.exists && state.totals.grandTotal).toBe('50.00'));
  });

  it('refuses to remove every line and to update to a zero quantity', () => {
    so.givenCommands(submittedOrder)
      .when(updateItems({ remove: ['L1', 'L2'] }))
      .thenRejects('ORDER_HAS_NO_LINES');
    so.givenCommands(submittedOrder)
      .when(updateItems({ update: [{ lineId: 'L1', qty: '0' }] }))
      .thenRejects('INVALID_QTY');
  });

  it('adds a line after submit, dated like the order when it has no date of its own', () => {
    so.givenCommands(submittedOrder)
      .when(
        updateItems({
          add: [{ lineId: 'L3', itemCode: 'BOLT', qty: '2', uom: 'Nos', rate: '1.00', warehouse: 'Main' }],
        }),
      )
      .thenState((state) => {
        expect(state.exists && state.lines[2]).toMatchObject({ lineId: 'L3', deliveryDate: '2026-01-20' });
        expect(state.exists && state.totals.grandTotal).toBe('102.00');
      });
    so.givenCommands(submittedOrder)
      .when(
        updateItems({
          add: [{ lineId: 'L1', itemCode: 'BOLT', qty: '2', uom: 'Nos', rate: '1.00', warehouse: 'Main' }],
        }),
      )
      .thenRejects('DUPLICATE_LINE_ID');
  });

  it('moves the order delivery date to the latest line date after an update', () => {
    so.givenCommands(submittedOrder)
      .when(updateItems({ update: [{ lineId: 'L2', deliveryDate: '2026-03-01' }] }))
      .thenState((state) => expect(state.exists && state.deliveryDate).toBe('2026-03-01'));
    so.givenCommands(submittedOrder)
      .when(updateItems({ update: [{ lineId: 'L2', deliveryDate: '2026-01-01' }] }))
      .thenRejects('DELIVERY_BEFORE_ORDER_DATE');
  });

  it('refuses item updates on a draft (ORDER_NOT_SUBMITTED) and on a completed order', () => {
    so.givenCommands([create(), addLine('L1')])
      .when(updateItems({ update: [{ lineId: 'L1', qty: '2' }] }))
      .thenRejects('ORDER_NOT_SUBMITTED');
    const completed = [...submittedOrder, deliver({ L1: '10', L2: '4' }), bill({ L1: '50.00', L2: '50.00' })];
    so.givenCommands(completed)
      .when(updateItems({ update: [{ lineId: 'L1', qty: '20' }] }))
      .thenRejects('ORDER_COMPLETED');
    so.givenCommands(completed).when(close()).thenRejects('ORDER_COMPLETED');
    so.givenCommands(completed).when(hold()).thenRejects('ORDER_COMPLETED');
  });

  it('changes nothing when the update lists nothing', () => {
    so.givenCommands(submittedOrder).when(updateItems({})).thenNothingHappens();
  });
});

describe('SalesOrder status', () => {
  const order = (extra: Parameters<typeof orderOf>[0]) => orderOf([...submittedOrder, ...extra]);

  it('is To Deliver and Bill after submit, To Bill when fully delivered, To Deliver when fully billed, Completed with both', () => {
    expect(order([]).status).toBe('to_deliver_and_bill');
    expect(order([deliver({ L1: '10', L2: '4' })]).status).toBe('to_bill');
    expect(order([bill({ L1: '50.00', L2: '50.00' })]).status).toBe('to_deliver');
    const completed = order([deliver({ L1: '10', L2: '4' }), bill({ L1: '50.00', L2: '50.00' })]);
    expect(completed).toMatchObject({
      status: 'completed',
      perDelivered: '100',
      perBilled: '100',
      deliveryStatus: 'fully_delivered',
      billingStatus: 'fully_billed',
      unbilledAmount: '0.00',
    });
  });

  it('stays To Deliver and Bill while both are partial', () => {
    expect(order([deliver({ L1: '10' }), bill({ L2: '50.00' })])).toMatchObject({
      status: 'to_deliver_and_bill',
      perDelivered: '71.428571',
      perBilled: '50',
    });
  });

  it('gives On Hold precedence over everything and Closed over the delivery and billing statuses', () => {
    expect(order([deliver({ L1: '10', L2: '4' }), hold()]).status).toBe('on_hold');
    expect(order([deliver({ L1: '10', L2: '4' }), close()]).status).toBe('closed');
  });

  it('derives the status from flags and percentages with ERPNext precedence', () => {
    const derive = SalesOrder.status.derive;
    const base = { docStatus: 'submitted', onHold: false, closed: false, perDelivered: '0', perBilled: '0' } as const;
    expect(derive({ ...base, onHold: true, closed: true })).toBe('on_hold');
    expect(derive({ ...base, closed: true, perDelivered: '100', perBilled: '100' })).toBe('closed');
    expect(derive({ ...base, docStatus: 'cancelled' })).toBe('cancelled');
    expect(derive({ ...base, docStatus: 'draft' })).toBe('draft');
    expect(derive({ ...base, perDelivered: '100', perBilled: '100' })).toBe('completed');
    expect(derive({ ...base, perDelivered: '99.999999', perBilled: '100' })).toBe('to_deliver');
    expect(derive({ ...base, perDelivered: '100', perBilled: '0.000001' })).toBe('to_bill');
    expect(derive({ ...base, perDelivered: '50', perBilled: '50' })).toBe('to_deliver_and_bill');
  });
});
