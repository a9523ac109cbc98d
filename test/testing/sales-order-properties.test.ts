// The sales order properties of `ordo/testing` (salesOrderModelProperty, salesOrderFoldProperty): they fail, with a
// message that says what is wrong, on deliberately broken deciders and snapshots; they check their options; and the
// example of docs/testing-with-ordo.md is the test file next to this one, verbatim.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CURRENCY_CODES, CURRENCY_MINOR_UNITS } from '../../src/domain/money/index.js';
import { SalesOrder, type SalesOrderState } from '../../src/domain/sales-order/index.js';
import { ValidationError } from '../../src/kernel/errors.js';
import { salesOrderFoldProperty, salesOrderModelProperty } from '../../src/testing/index.js';
import { firstDifference } from '../../src/testing/properties/property-checks.js';
import { minorUnitOf } from '../../src/testing/properties/sales-order-model.js';

type SalesOrderDecider = typeof SalesOrder.decider;

/** The message of the error a failed run threw (fast-check reports it with the counterexample). */
function failureOf<Ts>(details: fc.RunDetails<Ts>): string {
  expect(details.failed, 'the property must fail').toBe(true);
  const { errorInstance } = details;
  return errorInstance instanceof Error ? errorInstance.message : String(errorInstance);
}

/** Refuses nothing: a command SalesOrder refuses is "accepted" with no events, as a buggy wrapper might. */
const swallowsRefusals: SalesOrderDecider = {
  ...SalesOrder.decider,
  decide: (command, state, context) => {
    try {
      return SalesOrder.decide(command, state, context);
    } catch {
      return [];
    }
  },
};

/** Decides every order with commercial rounding, whatever the host's settings say. */
const roundsCommercially: SalesOrderDecider = {
  ...SalesOrder.decider,
  decide: (command, state, context) =>
    SalesOrder.decide(command, state, { ...context, settings: { ...context.settings, roundingMethod: 'commercial' } }),
};

describe('salesOrderModelProperty', () => {
  it('fails when a command the model refuses is accepted (every refused command must append nothing)', () => {
    const message = failureOf(
      fc.check(salesOrderModelProperty({ decider: swallowsRefusals }), { numRuns: 50, seed: 1 }),
    );
    expect(message).toMatch(/was accepted.* \(no events\), but must be refused with [A-Z_]+/);
  });

  it('fails when the figures are not the model’s, naming the first one that differs', () => {
    const property = salesOrderModelProperty({ decider: roundsCommercially, roundingMethod: 'half-even' });
    const message = failureOf(fc.check(property, { numRuns: 100, seed: 1 }));
    expect(message).toMatch(/the order disagrees with the model at [\w.[\]]+: expected "[\d.-]+", got "[\d.-]+"/);
  });

  it('passes for a wrapper that keeps SalesOrder’s rules, under fixed settings in other currencies', () => {
    const logged: string[] = [];
    const logging: SalesOrderDecider = {
      ...SalesOrder.decider,
      decide: (command, state, context) => {
        logged.push(command.type);
        return SalesOrder.decide(command, state, context);
      },
    };
    const settings = SalesOrder.resolveSettings({
      roundingMethod: 'erpnext-legacy',
      roundedTotal: true,
      smallestCurrencyFraction: { EUR: '0.05', BHD: '0.005' },
      overDeliveryAllowance: '7.25',
      overBillingAllowance: '0.5',
    });
    fc.assert(salesOrderModelProperty({ ...settings, decider: logging, currencies: ['EUR', 'BHD', 'ISK'] }), {
      numRuns: 30,
      seed: 7,
    });
    expect(logged.length).toBeGreaterThan(100);
  });

  it('refuses options it cannot honour, when it is built', () => {
    expect(() => salesOrderModelProperty({ overDeliveryAllowance: '-1' })).toThrow(ValidationError);
    expect(() => salesOrderModelProperty({ currencies: [] })).toThrow(/at least one currency/);
    expect(() => salesOrderModelProperty({ currencies: ['XYZ'] })).toThrow(/'XYZ' is not an ISO 4217 code/);
    expect(() => salesOrderModelProperty({ overBillingAllowance: '1.0000001' })).toThrow(/at most 6 decimals/);
    expect(() => salesOrderModelProperty({ currencies: ['JPY'], smallestCurrencyFraction: { JPY: '0.5' } })).toThrow(
      /whole number of JPY's minor units/,
    );
  });

  it('keeps its own table of minor units, which agrees with ISO 4217 as the money module has it', () => {
    expect(CURRENCY_CODES.filter((code) => minorUnitOf(code) !== CURRENCY_MINOR_UNITS[code])).toEqual([]);
  });
});

describe('salesOrderFoldProperty', () => {
  it('fails when a snapshot loses part of the state', () => {
    // A snapshot format that forgets the tax rows.
    const toSnapshot = (state: SalesOrderState) => {
      const snapshot = SalesOrder.toSnapshot(state) as Record<string, unknown>;
      return state.exists ? { ...snapshot, taxes: [] } : snapshot;
    };
    const message = failureOf(fc.check(salesOrderFoldProperty({ toSnapshot }), { numRuns: 60, seed: 1 }));
    expect(message).toMatch(/onto a snapshot taken after event \d+ differs from folding them one by one: at /);
  });

  it('fails when evolve depends on something besides the state and the event', () => {
    let folded = 0;
    // Remembers how many events it has folded outside the state, and lets that leak into it.
    const counting: SalesOrderDecider = {
      ...SalesOrder.decider,
      evolve: (state, event) => {
        folded += 1;
        const next = SalesOrder.evolve(state, event);
        return next.exists ? { ...next, holdReason: `after ${folded} events` } : next;
      },
    };
    const message = failureOf(fc.check(salesOrderFoldProperty({ decider: counting }), { numRuns: 20, seed: 1 }));
    expect(message).toMatch(/folding all \d+ events at once differs from folding them one by one: at holdReason/);
  });

  it('fails when the state is not plain JSON', () => {
    const dated: SalesOrderDecider = {
      ...SalesOrder.decider,
      evolve: (state, event) => {
        const next = SalesOrder.evolve(state, event);
        return next.exists ? ({ ...next, createdAt: new Date(next.createdAt) } as unknown as SalesOrderState) : next;
      },
    };
    const message = failureOf(fc.check(salesOrderFoldProperty({ decider: dated }), { numRuns: 20, seed: 1 }));
    expect(message).toMatch(/at createdAt: expected (a string "[^"]+", got a Date|a Date "[^"]+", got a string)/);
  });

  it('fails, naming the command, when the decider refuses a command of a valid history', () => {
    const noBillings: SalesOrderDecider = {
      ...SalesOrder.decider,
      decide: (command, state, context) => {
        if (command.type === 'RecordSalesOrderBilling') throw new Error('billing is down');
        return SalesOrder.decide(command, state, context);
      },
    };
    const message = failureOf(fc.check(salesOrderFoldProperty({ decider: noBillings }), { numRuns: 30, seed: 1 }));
    expect(message).toMatch(
      /command \d+ of a valid history, RecordSalesOrderBilling, was refused: Error: billing is down/,
    );
  });
});

describe('firstDifference', () => {
  it('compares as toEqual does, and says where the values differ', () => {
    expect(firstDifference({ a: [1, { b: 'x' }], c: undefined }, { a: [1, { b: 'x' }] })).toBeUndefined();
    expect(firstDifference({ a: [1, { b: 'x' }] }, { a: [1, { b: 'y' }] })).toBe('at a[1].b: expected "x", got "y"');
    expect(firstDifference({ a: 1 }, { a: 1, b: 2 })).toBe('at b: unexpected 2');
    expect(firstDifference([1, 2], [1])).toMatch(/^at the top: expected 2 item\(s\), got 1/);
    expect(firstDifference({ d: '2026-01-01T00:00:00.000Z' }, { d: new Date('2026-01-01') })).toBe(
      'at d: expected a string "2026-01-01T00:00:00.000Z", got a Date "2026-01-01T00:00:00.000Z"',
    );
    expect(firstDifference(new Date('2026-01-01'), new Date('2026-01-01'))).toBeUndefined();
  });
});

describe('docs/testing-with-ordo.md', () => {
  it('shows test/testing/sales-order-settings.prop.test.ts verbatim as its property-testing example', () => {
    const doc = readFileSync(new URL('../../docs/testing-with-ordo.md', import.meta.url), 'utf8');
    const example = readFileSync(new URL('./sales-order-settings.prop.test.ts', import.meta.url), 'utf8');
    expect(doc).toContain(`\`\`\`ts\n${example}\`\`\``);
  });
});
