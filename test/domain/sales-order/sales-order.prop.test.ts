import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SALES_ORDER_ROUNDING_METHODS,
  SalesOrder,
  type SalesOrderCommand,
  type SalesOrderEvent,
  type SalesOrderSettings,
  type SalesOrderState,
  type SalesOrderTax,
} from '../../../src/domain/sales-order/index.js';
import { fold } from '../../../src/kernel/decider.js';
import { DomainRuleError } from '../../../src/kernel/errors.js';
import { invalidSalesOrderScenarioArb } from '../../../src/testing/arbitraries/sales-order-arbitraries.js';
import { salesOrderFoldProperty } from '../../../src/testing/index.js';
import { salesOrderScenarioArb } from '../../../src/testing/properties/sales-order-fold-property.js';
import {
  statusProblems,
  totalsInputOf,
  totalsProblems,
} from '../../../src/testing/properties/sales-order-invariants.js';
import { context } from './sales-order-fixtures.js';

// A fixed seed keeps runs reproducible; fast-check prints the seed and the counterexample's path on failure.
const RUNS = { numRuns: 60, seed: 20260110 } as const;

/**
 * Settings in every currency (minor units 2, 0, 3, 4, 2), rounding method, rounded total (off, whole units or a
 * smallest fraction) and allowance, with a valid life of one order in that currency decided under them: the scenarios
 * `salesOrderFoldProperty` (shipped in `ordo/testing`) runs.
 */
const scenarioArb = salesOrderScenarioArb();

/** Decides every command in turn, keeping the state after each (fails on the first refusal). */
function history(commands: readonly SalesOrderCommand[], settings?: SalesOrderSettings) {
  const ctx = context(settings);
  let state: SalesOrderState = SalesOrder.initialState;
  const events: SalesOrderEvent[] = [];
  const states: SalesOrderState[] = [state];
  for (const command of commands) {
    for (const event of SalesOrder.decide(command, state, ctx)) {
      events.push(event);
      state = SalesOrder.evolve(state, event);
      states.push(state);
    }
  }
  return { events, states, state };
}

describe('SalesOrder properties', () => {
  it('accepts every generated valid command sequence and keeps its invariants after every event', () => {
    fc.assert(
      fc.property(scenarioArb, ({ settings, commands }) => {
        const { states } = history(commands, settings);
        const problems = states.flatMap((state, index) =>
          state.exists
            ? [...totalsProblems(totalsInputOf(state), SalesOrder.totals.of(state)), ...statusProblems(state)].map(
                (problem) => `after event ${index}: ${problem}`,
              )
            : [],
        );
        expect(problems).toEqual([]);
      }),
      RUNS,
    );
  });

  it('folds to the same state all at once, one event at a time, and from a JSON snapshot taken anywhere', () => {
    // The property `ordo/testing` ships, run as shipped.
    fc.assert(salesOrderFoldProperty(), RUNS);
  });

  it('emits only JSON events that pass their registered schemas (money and quantities as decimal strings)', () => {
    const registry = SalesOrder.createEventRegistry();
    fc.assert(
      fc.property(scenarioArb, ({ settings, commands }) => {
        const { events, state } = history(commands, settings);
        const decoded = events.map((event, index) => {
          const stored = JSON.parse(JSON.stringify(event.data));
          expect(JSON.stringify(event.data)).not.toMatch(/"(qty|rate|amount|priceListRate|percentage)":\s*-?\d/);
          const encoded = registry.encode('SalesOrder-SO-1', event.type, stored);
          return {
            type: event.type,
            data: registry.decode({
              streamId: 'SalesOrder-SO-1',
              streamVersion: index + 1,
              type: event.type,
              schemaVersion: encoded.schemaVersion,
              data: encoded.data,
            }).data,
          } as SalesOrderEvent;
        });
        expect(fold(SalesOrder.decider, decoded)).toEqual(state);
      }),
      { ...RUNS, numRuns: 30 },
    );
  });

  it('refuses each deliberately invalid command with its rule, appends nothing and leaves the state untouched', () => {
    fc.assert(
      fc.property(invalidSalesOrderScenarioArb(), (scenario) => {
        const { state } = history(scenario.given);
        const before = JSON.stringify(state);
        let refusal: unknown;
        try {
          SalesOrder.decide(scenario.when, state, context());
        } catch (error) {
          refusal = error;
        }
        expect(refusal).toBeInstanceOf(DomainRuleError);
        expect((refusal as DomainRuleError).rule).toBe(scenario.rule);
        expect((refusal as DomainRuleError).code).toBe('DOMAIN_RULE_VIOLATED');
        expect(JSON.stringify(state)).toBe(before);
      }),
      { ...RUNS, numRuns: 100 },
    );
  });

  it('keeps the totals identities for any lines, discount, taxes, currency and rounding method', () => {
    const currency = fc.constantFrom('USD', 'JPY', 'KWD', 'CHF');
    const decimal = (max: number, scale: number) =>
      fc.integer({ min: -max, max }).map((units) => (units / 10 ** scale).toFixed(scale));
    const tax: fc.Arbitrary<SalesOrderTax> = fc.oneof(
      decimal(3000, 2).map((rate) => ({ taxId: 'P', description: '', kind: 'on_net_total' as const, rate })),
      decimal(100_000, 2).map((amount) => ({ taxId: 'A', description: '', kind: 'actual' as const, amount })),
    );
    fc.assert(
      fc.property(
        currency,
        fc.array(fc.tuple(decimal(100_000, 3), decimal(1_000_000, 3)), { maxLength: 6 }),
        fc.option(
          fc.oneof(
            fc.record({
              kind: fc.constant('percentage' as const),
              percentage: decimal(10_000, 2).map((p) => p.replace('-', '')),
              applyOn: fc.constantFrom('grand_total' as const, 'net_total' as const),
            }),
            fc.record({
              kind: fc.constant('amount' as const),
              amount: decimal(100_000, 2).map((a) => a.replace('-', '')),
              applyOn: fc.constantFrom('grand_total' as const, 'net_total' as const),
            }),
          ),
          { nil: null },
        ),
        fc.array(tax, { maxLength: 3 }),
        fc.constantFrom(...SALES_ORDER_ROUNDING_METHODS),
        fc.option(fc.constantFrom('0.05', '0.10', '1', '0.25'), { nil: null }),
        (code, lines, discount, taxes, roundingMethod, smallestFraction) => {
          const input = {
            currency: code,
            lines: lines.map(([qty, rate], index) => ({ lineId: `L${index}`, qty, rate })),
            discount,
            taxes,
            pricing: { roundingMethod, roundedTotal: true, smallestFraction },
          };
          expect(totalsProblems(input)).toEqual([]);
        },
      ),
      { ...RUNS, numRuns: 200 },
    );
  });
});
