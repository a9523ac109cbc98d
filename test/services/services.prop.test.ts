import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Quantity } from '../../src/domain/money/index.js';
import { type StockEvent, stockDecider } from '../../src/domain/stock/index.js';
import { stockStreamId } from '../../src/domain/stock/stock-ids.js';
import type { ErpResult } from '../../src/services/erp-result.js';
import { createTestErp, type TestErp } from '../../src/testing/test-erp.js';
import { SAMPLE_ERP_ITEM_GROUPS } from '../../src/testing/test-erp-data.js';

function assertOk<T>(result: ErpResult<T>): asserts result is { ok: true } & T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
}

const NO_RULES = { pricing: { rules: [], itemGroups: SAMPLE_ERP_ITEM_GROUPS, defaultPriceListId: 'Standard Selling' } };

describe('credit at the use-case level', () => {
  it('is monotone in the amount: once an amount is refused, every larger one is, exactly past the limit', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 0, max: 80 }),
        fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 2, maxLength: 6 }),
        async (limitHundreds, prior, quantities) => {
          // Without pricing rules a widget is 25.00, so an order's amount is exactly 25 × qty.
          const erp = await createTestErp({ settings: NO_RULES });
          const limit = limitHundreds * 100;
          assertOk(
            await erp.manageCustomer({
              type: 'ChangeCustomerCreditLimit',
              customerId: 'CUST-BETA',
              company: 'Ordo Trading',
              limit: { amount: String(limit), currency: 'USD' },
            }),
          );
          let exposure = 0;
          if (prior > 0) {
            const first = await erp.placeOrder({
              customerId: 'CUST-BETA',
              lines: [{ itemCode: 'WIDGET', qty: String(prior) }],
            });
            if (first.ok) exposure = prior * 25;
          }
          // Drafts are checked against the exposure but do not add to it, so every amount meets the same exposure.
          const outcomes: { amount: number; allowed: boolean }[] = [];
          for (const qty of quantities) {
            const result = await erp.placeOrder({
              customerId: 'CUST-BETA',
              draft: true,
              lines: [{ itemCode: 'WIDGET', qty: String(qty) }],
            });
            if (!result.ok) expect(result.errors.map((error) => error.code)).toEqual(['CREDIT_LIMIT_EXCEEDED']);
            outcomes.push({ amount: qty * 25, allowed: result.ok });
          }
          outcomes.sort((a, b) => a.amount - b.amount);
          const firstRefused = outcomes.findIndex((outcome) => !outcome.allowed);
          if (firstRefused >= 0) expect(outcomes.slice(firstRefused).every((outcome) => !outcome.allowed)).toBe(true);
          for (const outcome of outcomes) expect(outcome.allowed).toBe(exposure + outcome.amount <= limit);
        },
      ),
      { numRuns: 20, seed: 20260302 },
    );
  });
});

describe('credit of invoices and deliveries with the bypass-at-sales-order flag', () => {
  it('refuses exactly when outstanding + the amount exceeds the limit, so monotone in the amount', async () => {
    const seen = { delivered: 0, deliveryRefused: 0, invoiced: 0, invoiceRefused: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 0, max: 60 }),
        fc.array(fc.integer({ min: 1, max: 60 }), { minLength: 2, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 30 }), { minLength: 1, maxLength: 3 }),
        async (limitHundreds, prior, deliveries, invoices) => {
          // Without pricing rules a widget is 25.00: every amount is 25 × qty.
          const erp = await createTestErp({ settings: NO_RULES });
          const limit = limitHundreds * 100;
          assertOk(
            await erp.manageCustomer({
              type: 'ChangeCustomerCreditLimit',
              customerId: 'CUST-BETA',
              company: 'Ordo Trading',
              limit: { amount: String(limit), currency: 'USD' },
              bypassAtSalesOrder: true,
            }),
          );
          // 400 widgets (10,000.00): always let through at sales order.
          assertOk(
            await erp.placeOrder({
              orderId: 'SO-1',
              customerId: 'CUST-BETA',
              lines: [{ itemCode: 'WIDGET', qty: '400' }],
            }),
          );
          const outstanding = async () => Number((await erp.customerBalance('CUST-BETA')).outstanding.amount);
          if (prior > 0) await erp.invoiceOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: String(prior) }] });
          // A delivery adds nothing to the outstanding, so every delivery meets the same exposure.
          const owed = await outstanding();
          const outcomes: { amount: number; allowed: boolean }[] = [];
          for (const qty of deliveries) {
            const result = await erp.deliverOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: String(qty) }] });
            if (!result.ok) expect(result.errors.map((error) => error.code)).toEqual(['CREDIT_LIMIT_EXCEEDED']);
            outcomes.push({ amount: qty * 25, allowed: result.ok });
            if (result.ok) seen.delivered += 1;
            else seen.deliveryRefused += 1;
          }
          outcomes.sort((a, b) => a.amount - b.amount);
          const firstRefused = outcomes.findIndex((outcome) => !outcome.allowed);
          if (firstRefused >= 0) expect(outcomes.slice(firstRefused).every((outcome) => !outcome.allowed)).toBe(true);
          for (const outcome of outcomes) expect(outcome.allowed).toBe(owed + outcome.amount <= limit);
          // An invoice adds its total to the outstanding: each is judged on the outstanding of the moment.
          for (const qty of invoices) {
            const before = await outstanding();
            const result = await erp.invoiceOrder({ orderId: 'SO-1', lines: [{ lineId: 'L1', qty: String(qty) }] });
            if (!result.ok) expect(result.errors.map((error) => error.code)).toEqual(['CREDIT_LIMIT_EXCEEDED']);
            expect(result.ok).toBe(before + qty * 25 <= limit);
            expect(await outstanding()).toBe(result.ok ? before + qty * 25 : before);
            if (result.ok) seen.invoiced += 1;
            else seen.invoiceRefused += 1;
          }
        },
      ),
      { numRuns: 15, seed: 20260303 },
    );
    // Both outcomes of both checks must occur, or the property says little.
    expect(Math.min(...Object.values(seen))).toBeGreaterThan(3);
  });
});

type Op =
  | { kind: 'hold' | 'resume' | 'close' | 'reopen' | 'deliverAll' | 'invoice'; order: number }
  | { kind: 'deliverPart'; order: number; line: number; qty: number }
  | { kind: 'updateQty'; order: number; line: number; qty: number }
  | { kind: 'addLine'; order: number; item: number; qty: number }
  | { kind: 'removeLine'; order: number; line: number }
  | { kind: 'removeThenCycle'; order: number; line: number; via: 'hold' | 'close' };

const ITEMS = [
  { itemCode: 'WIDGET' },
  { itemCode: 'GADGET' },
  { itemCode: 'INSTALL' },
  { itemCode: 'WIDGET', unit: 'Box' },
] as const;
const itemAt = (index: number) => ITEMS[index % ITEMS.length] ?? ITEMS[0];

const lineArb = fc.record({ item: fc.integer({ min: 0, max: ITEMS.length - 1 }), qty: fc.integer({ min: 1, max: 4 }) });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({
      kind: fc.constantFrom('hold', 'resume', 'close', 'reopen', 'deliverAll', 'invoice'),
      order: fc.nat({ max: 2 }),
    }),
    weight: 2,
  },
  fc.record({
    kind: fc.constant('deliverPart'),
    order: fc.nat({ max: 2 }),
    line: fc.nat({ max: 3 }),
    qty: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({
    kind: fc.constant('updateQty'),
    order: fc.nat({ max: 2 }),
    line: fc.nat({ max: 3 }),
    qty: fc.integer({ min: 1, max: 6 }),
  }),
  fc.record({
    kind: fc.constant('addLine'),
    order: fc.nat({ max: 2 }),
    item: fc.nat({ max: ITEMS.length - 1 }),
    qty: fc.integer({ min: 1, max: 3 }),
  }),
  fc.record({ kind: fc.constant('removeLine'), order: fc.nat({ max: 2 }), line: fc.nat({ max: 3 }) }),
  // A line removed after submit, then the order put on hold and resumed, or closed and re-opened.
  fc.record({
    kind: fc.constant('removeThenCycle'),
    order: fc.nat({ max: 2 }),
    line: fc.nat({ max: 3 }),
    via: fc.constantFrom('hold', 'close'),
  }),
);

/** The calls of one step: most steps are one call; `removeThenCycle` is a removal, then hold/close, then resume/re-open. */
function stepsOf(op: Op): Op[] {
  if (op.kind !== 'removeThenCycle') return [op];
  return [
    { kind: 'removeLine', order: op.order, line: op.line },
    { kind: op.via, order: op.order },
    { kind: op.via === 'hold' ? 'resume' : 'reopen', order: op.order },
  ];
}

async function run(erp: TestErp, orderId: string, op: Op): Promise<ErpResult<unknown> | undefined> {
  const order = await erp.getOrder(orderId);
  const lineId = 'line' in op ? order?.lines[op.line % Math.max(1, order.lines.length)]?.lineId : undefined;
  switch (op.kind) {
    case 'hold':
      return erp.holdOrder({ orderId });
    case 'resume':
      return erp.resumeOrder({ orderId });
    case 'close':
      return erp.closeOrder({ orderId });
    case 'reopen':
      return erp.reopenOrder({ orderId });
    case 'deliverAll':
      return erp.deliverOrder({ orderId });
    case 'invoice':
      return erp.invoiceOrder({ orderId });
    case 'deliverPart':
      return lineId ? erp.deliverOrder({ orderId, lines: [{ lineId, qty: String(op.qty) }] }) : undefined;
    case 'updateQty':
      return lineId ? erp.updateOrderItems({ orderId, update: [{ lineId, qty: String(op.qty) }] }) : undefined;
    case 'addLine':
      return erp.updateOrderItems({ orderId, add: [{ ...itemAt(op.item), qty: String(op.qty) }] });
    case 'removeLine':
      return lineId ? erp.updateOrderItems({ orderId, remove: [lineId] }) : undefined;
    case 'removeThenCycle':
      throw new Error('run each of stepsOf(op) instead');
  }
}

/** Every open order's stock lines hold an active reservation of exactly what is left to deliver, and nothing else does. */
async function expectReservationsMatchOrders(erp: TestErp, orderIds: readonly string[]): Promise<void> {
  const expected = new Map<string, string>();
  for (const orderId of orderIds) {
    const order = await erp.getOrder(orderId);
    if (order?.docStatus !== 'submitted' || order.onHold || order.closed) continue;
    for (const line of order.lines) {
      if (line.itemCode === 'INSTALL') continue;
      const factor = line.uom === 'Box' ? 12 : 1;
      const left = Quantity.max(Quantity.of(line.qty).subtract(line.deliveredQty), 0).multiply(factor);
      if (!left.isZero()) expected.set(`${line.itemCode}:${orderId}#${line.lineId}`, left.value);
    }
  }
  const actual = new Map<string, string>();
  for (const itemCode of ['WIDGET', 'GADGET']) {
    const stock = await erp.getStock(itemCode);
    let sum = Quantity.zero();
    for (const reservation of stock.reservations) {
      if (!Quantity.of(reservation.qty).isZero()) {
        actual.set(`${itemCode}:${reservation.orderId}#${reservation.lineId}`, reservation.qty);
      }
      sum = sum.add(reservation.qty);
    }
    expect(sum.value).toBe(stock.reservedQty);
    // What the events reserved, restored and adjusted less what they released and delivered is what is reserved.
    expect(await reservationBalance(erp, itemCode)).toBe(stock.reservedQty);
    // No reservation, active or released, keeps a quantity for a line that is no longer on its order: a restore
    // (resume, re-open) could bring it back.
    for (const reservation of Object.values((await stockState(erp, itemCode)).reservations)) {
      if (Quantity.of(reservation.qty).isZero()) continue;
      const order = await erp.getOrder(reservation.orderId);
      expect(order?.lines.map((line) => line.lineId) ?? []).toContain(reservation.lineId);
    }
  }
  expect(actual).toEqual(expected);
}

/** The stock state of an item in `Main`, every reservation included (released ones too). */
async function stockState(erp: TestErp, itemCode: string) {
  let state = stockDecider.initialState;
  for (const event of await erp.events(stockStreamId(itemCode, 'Main'))) {
    state = stockDecider.evolve(state, event as unknown as StockEvent);
  }
  return state;
}

/** Σ reserved + restored + adjustments − released − reduced by deliveries, from the stock events. */
async function reservationBalance(erp: TestErp, itemCode: string): Promise<string> {
  let balance = Quantity.zero();
  for (const event of await erp.events(stockStreamId(itemCode, 'Main'))) {
    const data = event.data as { qty?: string; previousQty?: string; reservationReduced?: string };
    if (event.type === 'StockReserved' || event.type === 'StockReservationRestored')
      balance = balance.add(data.qty ?? 0);
    if (event.type === 'StockReservationReleased') balance = balance.subtract(data.qty ?? 0);
    if (event.type === 'StockReservationAdjusted') balance = balance.add(data.qty ?? 0).subtract(data.previousQty ?? 0);
    if (event.type === 'StockDelivered') balance = balance.subtract(data.reservationReduced ?? 0);
  }
  return balance.value;
}

describe('stock reservations through the services', () => {
  it('balance to zero over any order lifecycle, and always match what open orders have left to deliver', async () => {
    const accepted = new Map<string, number>();
    const count = (kind: string) => accepted.set(kind, (accepted.get(kind) ?? 0) + 1);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(lineArb, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 3 }),
        fc.array(opArb, { maxLength: 14 }),
        fc.constantFrom('complete', 'cancel'),
        async (orders, ops, ending) => {
          const erp = await createTestErp();
          // Enough stock that delivering every order to the end never runs short.
          for (const itemCode of ['WIDGET', 'GADGET']) {
            assertOk(await erp.adjustStock({ type: 'ReceiveStock', itemCode, warehouse: 'Main', qty: '10000' }));
          }
          const orderIds = orders.map((_, index) => `SO-${index + 1}`);
          for (const [index, lines] of orders.entries()) {
            assertOk(
              await erp.placeOrder({
                orderId: orderIds[index],
                customerId: 'CUST-GAMMA',
                lines: lines.map((line) => ({ ...itemAt(line.item), qty: String(line.qty) })),
              }),
            );
          }
          await expectReservationsMatchOrders(erp, orderIds);
          for (const op of ops) {
            const orderId = orderIds[op.order % orderIds.length] ?? 'SO-1';
            let allOk = true;
            for (const step of stepsOf(op)) {
              const result = await run(erp, orderId, step);
              if (result?.ok) count(step.kind);
              else allOk = false;
              await expectReservationsMatchOrders(erp, orderIds);
            }
            if (op.kind === 'removeThenCycle' && allOk) count(op.kind);
          }
          if (ending === 'complete') {
            // Every order resumed or re-opened, delivered and billed: completed with no release at the end, so a
            // reservation leaked on the way would still be counted.
            for (const orderId of orderIds) {
              await erp.resumeOrder({ orderId });
              await erp.reopenOrder({ orderId });
              await erp.deliverOrder({ orderId });
              await erp.invoiceOrder({ orderId });
              await expectReservationsMatchOrders(erp, orderIds);
              expect((await erp.getOrder(orderId))?.status).toBe('completed');
            }
            count('ending:complete');
          } else {
            // Resumed if held, then cancelled, or else closed (or it is completed).
            for (const orderId of orderIds) {
              if ((await erp.resumeOrder({ orderId })).ok) count('resume');
              await expectReservationsMatchOrders(erp, orderIds);
              const cancelled = await erp.cancelOrder({ orderId });
              if (!cancelled.ok) await erp.closeOrder({ orderId });
            }
            count('ending:cancel');
          }
          for (const itemCode of ['WIDGET', 'GADGET']) {
            const stock = await erp.getStock(itemCode);
            expect(stock.reservedQty).toBe('0');
            expect(stock.projectedQty).toBe(stock.actualQty);
            expect(await reservationBalance(erp, itemCode)).toBe('0');
          }
        },
      ),
      { numRuns: 25, seed: 4242 },
    );
    // Every kind of step and ending must have been accepted somewhere, or the lifecycles were not exercised.
    expect([...accepted.keys()].sort()).toEqual(
      [
        'addLine',
        'close',
        'deliverAll',
        'deliverPart',
        'ending:cancel',
        'ending:complete',
        'hold',
        'invoice',
        'removeLine',
        'removeThenCycle',
        'reopen',
        'resume',
        'updateQty',
      ].sort(),
    );
  });
});

/** Mostly valid values, sometimes not: so that orders succeed, fail one rule, or fail several. */
const mostly = <T>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: other, weight: 1 });

const placeInputArb = fc.record(
  {
    customerId: mostly(
      fc.constantFrom('CUST-ACME', 'CUST-BETA', 'CUST-GAMMA'),
      fc.constantFrom('CUST-CLOSED', 'CUST-NOBODY', ''),
    ),
    lines: fc.array(
      fc.record(
        {
          itemCode: mostly(
            fc.constantFrom('WIDGET', 'GADGET', 'GIZMO-PRO', 'INSTALL'),
            fc.constantFrom('LEGACY-PART', 'NO-SUCH-ITEM'),
          ),
          qty: mostly(fc.constantFrom('1', '3', '12', '45'), fc.constantFrom('600', '0', '-2', 'lots')),
          unit: mostly(fc.constant(undefined), fc.constantFrom('Box', 'Pallet')),
        },
        { requiredKeys: ['itemCode', 'qty'] },
      ),
      { minLength: 1, maxLength: 4 },
    ),
    priceListId: mostly(fc.constant(undefined), fc.constantFrom('Wholesale', 'Missing')),
    transactionDate: mostly(fc.constant('2026-03-02'), fc.constant('2026-13-45')),
  },
  { requiredKeys: ['customerId', 'lines'] },
);

describe('writes', () => {
  it('never happen when any rule fails: a refused call leaves the store as it was and lists known rule codes', async () => {
    const known = new Set([
      'VALIDATION_FAILED',
      'CUSTOMER_NOT_FOUND',
      'CUSTOMER_DISABLED',
      'ITEM_NOT_FOUND',
      'ITEM_DISABLED',
      'UNIT_NOT_CONVERTIBLE',
      'INSUFFICIENT_STOCK',
      'ITEM_PRICE_NOT_FOUND',
      'PRICE_LIST_NOT_FOUND',
      'CREDIT_LIMIT_EXCEEDED',
    ]);
    const erp = await createTestErp();
    const seen = { placed: 0, refused: 0, refusedForRules: 0 };
    await fc.assert(
      fc.asyncProperty(placeInputArb, async (input) => {
        const before = await erp.store.headPosition();
        const result = await erp.placeOrder(input as never);
        const after = await erp.store.headPosition();
        if (result.ok) {
          seen.placed += 1;
          expect(after).toBeGreaterThan(before);
          return;
        }
        seen.refused += 1;
        if (result.errors.some((error) => error.code !== 'VALIDATION_FAILED')) seen.refusedForRules += 1;
        expect(after).toBe(before);
        expect(result.errors.length).toBeGreaterThan(0);
        for (const error of result.errors) expect(known).toContain(error.code);
        // Each disabled or unknown item the input names is listed, whatever else is wrong.
        if (result.errors.every((error) => error.code !== 'VALIDATION_FAILED')) {
          input.lines.forEach((line, index) => {
            if (line.itemCode === 'LEGACY-PART' || line.itemCode === 'NO-SUCH-ITEM') {
              expect(result.errors.map((error) => error.path)).toContainEqual(['lines', index, 'itemCode']);
            }
          });
        }
      }),
      { numRuns: 150, seed: 7 },
    );
    // The generator must exercise every branch, or the property says little.
    expect(Math.min(seen.placed, seen.refused, seen.refusedForRules)).toBeGreaterThan(10);
  });
});
