import type { Decider } from '../../src/kernel/decider.js';
import { DomainRuleError } from '../../src/kernel/errors.js';

export type CounterCommand =
  | { readonly type: 'Open'; readonly limit: number }
  | { readonly type: 'Increment'; readonly by: number }
  | { readonly type: 'Touch' };

export type CounterEvent =
  | { readonly type: 'Opened'; readonly data: { readonly limit: number; readonly at: string } }
  | { readonly type: 'Incremented'; readonly data: { readonly by: number; readonly id: string } };

export interface CounterState {
  readonly open: boolean;
  readonly limit: number;
  readonly value: number;
}

/** A tiny decider with one rule (the value never passes the limit), for kernel tests. */
export const Counter: Decider<CounterCommand, CounterEvent, CounterState> = {
  initialState: { open: false, limit: 0, value: 0 },
  decide(command, state, context) {
    switch (command.type) {
      case 'Open':
        if (state.open) throw new DomainRuleError('ALREADY_OPEN', 'The counter is open already');
        return [{ type: 'Opened', data: { limit: command.limit, at: context.now.toISOString() } }];
      case 'Increment':
        if (!state.open) throw new DomainRuleError('NOT_OPEN', 'Open the counter first');
        if (state.value + command.by > state.limit) {
          throw new DomainRuleError('LIMIT_EXCEEDED', 'The counter would pass its limit', {
            value: state.value,
            limit: state.limit,
          });
        }
        return [{ type: 'Incremented', data: { by: command.by, id: context.newId() } }];
      case 'Touch':
        return [];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'Opened':
        return { open: true, limit: event.data.limit, value: 0 };
      case 'Incremented':
        return { ...state, value: state.value + event.data.by };
    }
  },
};
