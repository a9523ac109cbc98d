import { describe, expect, it } from 'vitest';
import type { ErpResult } from '../../src/services/erp-result.js';
import { createTestErp } from '../../src/testing/test-erp.js';

function assertOk<T>(result: ErpResult<T>): asserts result is { ok: true } & T {
  if (!result.ok) throw new Error(`expected ok, got ${JSON.stringify(result.errors)}`);
}

function failures(result: ErpResult<unknown>) {
  return result.ok ? [] : result.errors.map((error) => ({ code: error.code, path: error.path }));
}

// 40 gadgets are in stock: 50 is short by 10.
const SHORT = [{ itemCode: 'GADGET', qty: '50' }];

describe('the stock policy of one call overrides settings.stockPolicy', () => {
  describe('placeOrder', () => {
    it('warn: accepts the short order, reserves it in full and reports the shortfall as a warning', async () => {
      const erp = await createTestErp(); // settings: block
      const placed = await erp.placeOrder({ customerId: 'CUST-ACME', stockPolicy: 'warn', lines: SHORT });
      assertOk(placed);
      expect(placed.warnings).toEqual(['"GADGET" in "Main" is short by 10 for line L1']);
      expect(placed.lines[0]).toMatchObject({ stock: 'short', backordered: '0' });
      expect(await erp.getStock('GADGET')).toMatchObject({ reservedQty: '50', projectedQty: '-10' });
    });

    it('backorder: accepts the short order, reserves it in full and reports the backordered quantity', async () => {
      const erp = await createTestErp();
      const placed = await erp.placeOrder({ customerId: 'CUST-ACME', stockPolicy: 'backorder', lines: SHORT });
      assertOk(placed);
      expect(placed.lines[0]).toMatchObject({ stock: 'short', backordered: '10' });
      expect(placed.warnings).toEqual(['"GADGET" in "Main" is short by 10 for line L1 (backordered)']);
      expect(await erp.getStock('GADGET')).toMatchObject({ reservedQty: '50', projectedQty: '-10' });
    });

    it('block: refuses the short order (INSUFFICIENT_STOCK at the line qty) though the setting is warn, writing nothing', async () => {
      const erp = await createTestErp({ settings: { stockPolicy: 'warn' } });
      const head = await erp.store.headPosition();
      const placed = await erp.placeOrder({ customerId: 'CUST-ACME', stockPolicy: 'block', lines: SHORT });
      expect(failures(placed)).toEqual([{ code: 'INSUFFICIENT_STOCK', path: ['lines', 0, 'qty'] }]);
      expect(placed.ok ? undefined : placed.errors[0]?.data).toMatchObject({
        requested: '50',
        available: '40',
        shortfall: '10',
      });
      expect(await erp.store.headPosition()).toBe(head);
      // Without the option the setting applies.
      assertOk(await erp.placeOrder({ customerId: 'CUST-ACME', lines: SHORT }));
    });

    it('refuses a policy that does not exist with VALIDATION_FAILED at stockPolicy', async () => {
      const erp = await createTestErp();
      const placed = await erp.placeOrder({
        customerId: 'CUST-ACME',
        stockPolicy: 'maybe' as 'warn',
        lines: SHORT,
      });
      expect(failures(placed)).toEqual([{ code: 'VALIDATION_FAILED', path: ['stockPolicy'] }]);
    });
  });

  describe('submitOrder', () => {
    async function shortDraft() {
      const erp = await createTestErp();
      assertOk(
        await erp.placeOrder({
          orderId: 'SO-D',
          customerId: 'CUST-ACME',
          draft: true,
          stockPolicy: 'warn',
          lines: SHORT,
        }),
      );
      expect((await erp.getStock('GADGET')).reservedQty).toBe('0');
      return erp;
    }

    it('block (the setting): refuses to submit the short draft', async () => {
      const erp = await shortDraft();
      // The input names no line, so the error has no path; its data names the order line.
      const refused = await erp.submitOrder({ orderId: 'SO-D' });
      expect(failures(refused)).toEqual([{ code: 'INSUFFICIENT_STOCK', path: undefined }]);
      expect(refused.ok ? undefined : refused.errors[0]?.data).toMatchObject({
        orderId: 'SO-D',
        lineId: 'L1',
        itemCode: 'GADGET',
        shortfall: '10',
      });
      expect(failures(await erp.submitOrder({ orderId: 'SO-D', stockPolicy: 'block' }))).toEqual([
        { code: 'INSUFFICIENT_STOCK', path: undefined },
      ]);
      expect((await erp.getOrder('SO-D'))?.status).toBe('draft');
    });

    it('warn: submits the short draft, reserves it in full and reports the shortfall as placeOrder does', async () => {
      const erp = await shortDraft();
      const submitted = await erp.submitOrder({ orderId: 'SO-D', stockPolicy: 'warn' });
      assertOk(submitted);
      expect(submitted.status).toBe('to_deliver_and_bill');
      expect(submitted.warnings).toEqual(['"GADGET" in "Main" is short by 10 for line L1']);
      expect(await erp.getStock('GADGET')).toMatchObject({ reservedQty: '50', projectedQty: '-10' });
    });

    it('backorder: submits the short draft, reserves it in full and the warning says "backordered"', async () => {
      const erp = await shortDraft();
      const submitted = await erp.submitOrder({ orderId: 'SO-D', stockPolicy: 'backorder' });
      assertOk(submitted);
      expect(submitted.warnings).toEqual(['"GADGET" in "Main" is short by 10 for line L1 (backordered)']);
      expect((await erp.getStock('GADGET')).reservations).toEqual([{ orderId: 'SO-D', lineId: 'L1', qty: '50' }]);
    });

    it('warns with the policy of the setting when the call names none', async () => {
      const erp = await createTestErp({ settings: { stockPolicy: 'backorder' } });
      assertOk(await erp.placeOrder({ orderId: 'SO-D', customerId: 'CUST-ACME', draft: true, lines: SHORT }));
      const submitted = await erp.submitOrder({ orderId: 'SO-D' });
      assertOk(submitted);
      expect(submitted.warnings).toEqual(['"GADGET" in "Main" is short by 10 for line L1 (backordered)']);
    });

    it('has no warnings when the stock suffices, whatever the policy', async () => {
      for (const stockPolicy of ['block', 'warn', 'backorder'] as const) {
        const erp = await createTestErp({ settings: { stockPolicy } });
        assertOk(
          await erp.placeOrder({
            orderId: 'SO-D',
            customerId: 'CUST-ACME',
            draft: true,
            lines: [{ itemCode: 'GADGET', qty: '40' }],
          }),
        );
        const submitted = await erp.submitOrder({ orderId: 'SO-D' });
        assertOk(submitted);
        expect(submitted.warnings).toEqual([]);
        expect((await erp.getStock('GADGET')).reservedQty).toBe('40');
      }
    });

    it('refuses a policy that does not exist with VALIDATION_FAILED at stockPolicy', async () => {
      const erp = await shortDraft();
      expect(failures(await erp.submitOrder({ orderId: 'SO-D', stockPolicy: 'never' as 'warn' }))).toEqual([
        { code: 'VALIDATION_FAILED', path: ['stockPolicy'] },
      ]);
    });
  });

  describe('updateOrderItems', () => {
    it('checks added lines with the policy of the call', async () => {
      const erp = await createTestErp();
      assertOk(
        await erp.placeOrder({ orderId: 'SO-1', customerId: 'CUST-ACME', lines: [{ itemCode: 'WIDGET', qty: '1' }] }),
      );
      expect(failures(await erp.updateOrderItems({ orderId: 'SO-1', add: SHORT }))).toEqual([
        { code: 'INSUFFICIENT_STOCK', path: ['add', 0, 'qty'] },
      ]);
      assertOk(await erp.updateOrderItems({ orderId: 'SO-1', add: SHORT, stockPolicy: 'backorder' }));
      expect((await erp.getStock('GADGET')).reservedQty).toBe('50');
    });

    it('checks a quantity increase with the policy of the call', async () => {
      const erp = await createTestErp({ settings: { stockPolicy: 'warn' } });
      assertOk(
        await erp.placeOrder({ orderId: 'SO-1', customerId: 'CUST-ACME', lines: [{ itemCode: 'GADGET', qty: '30' }] }),
      );
      expect(
        failures(
          await erp.updateOrderItems({ orderId: 'SO-1', update: [{ lineId: 'L1', qty: '45' }], stockPolicy: 'block' }),
        ),
      ).toEqual([{ code: 'INSUFFICIENT_STOCK', path: ['update', 0, 'qty'] }]);
      const updated = await erp.updateOrderItems({ orderId: 'SO-1', update: [{ lineId: 'L1', qty: '45' }] });
      assertOk(updated);
      expect(updated.warnings).toEqual(['"GADGET" in "Main" is short by 5 for line L1']);
      expect((await erp.getStock('GADGET')).reservedQty).toBe('45');
    });

    // L1: 1 widget (500 in stock), L2: 30 gadgets (40 in stock). Raising L2 to 45 is short by 5; adding 11 gizmos
    // (10 in stock) is short by 1; raising L1 to 2 is not short.
    async function twoLines(settings: { stockPolicy?: 'block' | 'warn' | 'backorder' } = {}) {
      const erp = await createTestErp({ settings });
      assertOk(
        await erp.placeOrder({
          orderId: 'SO-1',
          customerId: 'CUST-ACME',
          lines: [
            { itemCode: 'WIDGET', qty: '1' },
            { itemCode: 'GADGET', qty: '30' },
          ],
        }),
      );
      return erp;
    }
    const CHANGE = {
      orderId: 'SO-1',
      update: [
        { lineId: 'L1', qty: '2' },
        { lineId: 'L2', qty: '45' },
      ],
      add: [{ itemCode: 'GIZMO-PRO', qty: '11' }],
    };

    it('block: INSUFFICIENT_STOCK at the qty of each offending update and add entry, nothing written', async () => {
      const erp = await twoLines();
      const head = await erp.store.headPosition();
      const result = await erp.updateOrderItems(CHANGE);
      expect(failures(result)).toEqual([
        { code: 'INSUFFICIENT_STOCK', path: ['update', 1, 'qty'] },
        { code: 'INSUFFICIENT_STOCK', path: ['add', 0, 'qty'] },
      ]);
      expect(result.ok ? [] : result.errors.map((error) => error.data)).toMatchObject([
        { lineId: 'L2', requested: '15', available: '10', shortfall: '5' },
        { lineId: 'L3', requested: '11', available: '10', shortfall: '1' },
      ]);
      expect(await erp.store.headPosition()).toBe(head);
    });

    it('warn: accepts, reserves in full and reports each shortfall in warnings, as placeOrder does', async () => {
      const erp = await twoLines();
      const updated = await erp.updateOrderItems({ ...CHANGE, stockPolicy: 'warn' });
      assertOk(updated);
      expect(updated.warnings).toEqual([
        '"GADGET" in "Main" is short by 5 for line L2',
        '"GIZMO-PRO" in "Main" is short by 1 for line L3',
      ]);
      expect(await erp.getStock('GADGET')).toMatchObject({ reservedQty: '45', projectedQty: '-5' });
      expect(await erp.getStock('GIZMO-PRO')).toMatchObject({ reservedQty: '11', projectedQty: '-1' });
    });

    it('backorder (the setting): the warnings say "backordered"', async () => {
      const erp = await twoLines({ stockPolicy: 'backorder' });
      const updated = await erp.updateOrderItems(CHANGE);
      assertOk(updated);
      expect(updated.warnings).toEqual([
        '"GADGET" in "Main" is short by 5 for line L2 (backordered)',
        '"GIZMO-PRO" in "Main" is short by 1 for line L3 (backordered)',
      ]);
    });

    it('has no warnings when nothing is short, or nothing is checked', async () => {
      const erp = await twoLines({ stockPolicy: 'warn' });
      const raised = await erp.updateOrderItems({ orderId: 'SO-1', update: [{ lineId: 'L2', qty: '40' }] });
      assertOk(raised);
      expect(raised.warnings).toEqual([]);
      const lowered = await erp.updateOrderItems({ orderId: 'SO-1', update: [{ lineId: 'L2', qty: '1' }] });
      assertOk(lowered);
      expect(lowered.warnings).toEqual([]);
    });
  });
});
