import { describe, expect, it } from 'vitest';
import { DeciderSpecError, deciderSpec } from '../../src/testing/decider-spec.js';
import { Counter } from '../support/counter-decider.js';

const spec = deciderSpec(Counter);
const opened = { type: 'Opened', data: { limit: 5, at: '2026-01-01T00:00:00.000Z' } } as const;

describe('decider given/when/then', () => {
  it('passes when the command emits exactly the expected events', () => {
    spec.given().when({ type: 'Open', limit: 5 }).thenEmits([opened]);
  });

  it('fails, showing both sides, when the events differ', () => {
    expect(() => spec.given().when({ type: 'Open', limit: 6 }).thenEmits([opened])).toThrow(DeciderSpecError);
  });

  it('checks a refusal by its rule code', () => {
    spec.given([opened]).when({ type: 'Increment', by: 9 }).thenRejects('LIMIT_EXCEEDED');
    expect(() => spec.given([opened]).when({ type: 'Increment', by: 9 }).thenRejects('NOT_OPEN')).toThrow(
      /Expected rejection "NOT_OPEN" but got "LIMIT_EXCEEDED"/,
    );
    expect(() => spec.given([opened]).when({ type: 'Increment', by: 1 }).thenRejects()).toThrow(DeciderSpecError);
  });

  it('folds given and emitted events for state assertions', () => {
    spec
      .given([opened])
      .when({ type: 'Increment', by: 2 })
      .thenState((state) => expect(state.value).toBe(2));
  });

  it('asserts that nothing happens', () => {
    spec.given([opened]).when({ type: 'Touch' }).thenNothingHappens();
    expect(() => spec.given().when({ type: 'Open', limit: 1 }).thenNothingHappens()).toThrow(DeciderSpecError);
  });
});
