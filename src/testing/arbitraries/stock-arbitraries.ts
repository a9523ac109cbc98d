import fc from 'fast-check';
import type { StockCommand } from '../../domain/stock/index.js';

/** Options of the stock arbitraries. */
export interface StockArbOptions {
  /** @defaultValue `'ITEM-001'` */
  readonly itemCode?: string;
  /** @defaultValue `'Main'` */
  readonly warehouse?: string;
  /** Largest quantity of one movement or order line. @defaultValue `50` */
  readonly maxQty?: number;
}

/** A receipt or an issue of the item in the warehouse (an issue may be refused for want of stock). */
export function stockMovementArb(options: StockArbOptions = {}): fc.Arbitrary<StockCommand> {
  const where = { itemCode: options.itemCode ?? 'ITEM-001', warehouse: options.warehouse ?? 'Main' };
  const qty = fc.integer({ min: 1, max: options.maxQty ?? 50 }).map(String);
  return fc.oneof(
    qty.map((value) => ({ type: 'ReceiveStock' as const, ...where, qty: value })),
    qty.map((value) => ({ type: 'IssueStock' as const, ...where, qty: value })),
  );
}

type Phase = 'open' | 'held' | 'closed' | 'done';

/**
 * Plausible order lifecycles against one item and warehouse, interleaved: an opening receipt large enough for
 * every hard reservation, then for each of 1 to `maxOrders` orders: reserve 1 to 3 lines (soft or hard), then a
 * random walk of holds, resumes, closes, re-opens, partial deliveries and quantity changes, ending with the
 * order cancelled or closed. Every command in the sequence is valid in order.
 *
 * @remarks The sum of every reservation change over such a sequence is zero: what the property tests check.
 */
export function orderLifecycleCommandsArb(
  options: StockArbOptions & { readonly maxOrders?: number } = {},
): fc.Arbitrary<StockCommand[]> {
  const where = { itemCode: options.itemCode ?? 'ITEM-001', warehouse: options.warehouse ?? 'Main' };
  const maxQty = options.maxQty ?? 50;
  const orderPlan = fc.record({
    lines: fc.array(fc.record({ qty: fc.integer({ min: 1, max: maxQty }), hard: fc.boolean() }), {
      minLength: 1,
      maxLength: 3,
    }),
    steps: fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { maxLength: 12 }),
    ending: fc.constantFrom('cancelled' as const, 'closed' as const),
  });
  return fc
    .tuple(
      fc.array(orderPlan, { minLength: 1, maxLength: options.maxOrders ?? 3 }),
      fc.array(fc.nat(), { maxLength: 400 }),
    )
    .map(([plans, picks]) => {
      const perOrder = plans.map((plan, orderIndex) => {
        const orderId = `SO-${orderIndex + 1}`;
        const outstanding = plan.lines.map((line) => line.qty);
        const commands: StockCommand[] = plan.lines.map((line, lineIndex) => ({
          type: 'ReserveStock',
          ...where,
          orderId,
          lineId: `L${lineIndex + 1}`,
          qty: String(line.qty),
          kind: line.hard ? 'hard' : 'soft',
        }));
        let phase: Phase = 'open';
        for (const [choice, lineChoice, amount] of plan.steps) {
          const lineIndex = lineChoice % plan.lines.length;
          const lineId = `L${lineIndex + 1}`;
          const left = outstanding[lineIndex] ?? 0;
          if (phase === 'open') {
            switch (choice % 5) {
              case 0:
                commands.push({ type: 'ReleaseStockReservation', ...where, orderId, reason: 'on_hold' });
                phase = 'held';
                break;
              case 1:
                commands.push({ type: 'ReleaseStockReservation', ...where, orderId, reason: 'closed' });
                phase = 'closed';
                break;
              case 2:
                if (left > 0) {
                  const qty = 1 + (amount % left);
                  commands.push({ type: 'DeliverStock', ...where, orderId, lineId, qty: String(qty) });
                  outstanding[lineIndex] = left - qty;
                }
                break;
              default: {
                const qty = amount % (maxQty + 1);
                commands.push({ type: 'AdjustStockReservation', ...where, orderId, lineId, qty: String(qty) });
                outstanding[lineIndex] = qty;
              }
            }
          } else if (phase === 'held') {
            commands.push({ type: 'RestoreStockReservation', ...where, orderId, reason: 'resumed' });
            phase = 'open';
          } else if (phase === 'closed') {
            commands.push({ type: 'RestoreStockReservation', ...where, orderId, reason: 're_opened' });
            phase = 'open';
          }
        }
        commands.push({ type: 'ReleaseStockReservation', ...where, orderId, reason: plan.ending });
        return commands;
      });
      // Enough for every reservation, adjustment and delivery the plans can make, so no step is refused for want of stock.
      const ceiling = plans.reduce((sum, plan) => sum + (plan.lines.length + plan.steps.length) * (maxQty + 1), 0);
      const sequence: StockCommand[] = [{ type: 'ReceiveStock', ...where, qty: String(ceiling * 2) }];
      const cursors = perOrder.map(() => 0);
      let pickIndex = 0;
      for (;;) {
        const pending = perOrder
          .map((_, index) => index)
          .filter((index) => (cursors[index] ?? 0) < (perOrder[index]?.length ?? 0));
        if (pending.length === 0) break;
        const chosen = pending[(picks[pickIndex++] ?? 0) % pending.length] ?? 0;
        const command = perOrder[chosen]?.[cursors[chosen] ?? 0];
        if (command) sequence.push(command);
        cursors[chosen] = (cursors[chosen] ?? 0) + 1;
      }
      return sequence;
    });
}
