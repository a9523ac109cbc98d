import { describe, expect, it } from 'vitest';
import {
  ConcurrencyError,
  DomainRuleError,
  isOrdoError,
  OrdoError,
  StreamNotFoundError,
  ValidationError,
} from '../../src/kernel/errors.js';

describe('errors', () => {
  it('gives every error a stable code and a JSON form with its details', () => {
    const error = new ConcurrencyError('order-1', 3, 5);
    expect(error.code).toBe('CONCURRENCY_CONFLICT');
    expect(error.toJSON()).toMatchObject({ code: 'CONCURRENCY_CONFLICT', streamId: 'order-1', expected: 3, actual: 5 });
    expect(error.name).toBe('ConcurrencyError');
  });

  it('recognises Ordo errors by brand, even from another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), { code: 'STREAM_NOT_FOUND' });
    Object.defineProperty(foreign, Symbol.for('ordo.error'), { value: true });
    expect(OrdoError.is(foreign)).toBe(true);
    expect(OrdoError.is(new Error('plain'))).toBe(false);
    expect(isOrdoError(new StreamNotFoundError('s'), 'STREAM_NOT_FOUND')).toBe(true);
    expect(isOrdoError(new StreamNotFoundError('s'), 'VALIDATION_FAILED')).toBe(false);
  });

  it('carries the rule code of a refused domain rule next to the generic code', () => {
    const error = new DomainRuleError('CREDIT_LIMIT_EXCEEDED', 'over the limit', { limit: '100.00' });
    expect(error.code).toBe('DOMAIN_RULE_VIOLATED');
    expect(error.toJSON()).toMatchObject({ rule: 'CREDIT_LIMIT_EXCEEDED', data: { limit: '100.00' } });
  });

  it('lists every validation issue with its path in the message', () => {
    const error = new ValidationError([
      { path: ['lines', 0, 'qty'], message: 'must be positive', code: 'too_small' },
      { path: [], message: 'bad', code: 'custom' },
    ]);
    expect(error.message).toContain('lines.0.qty: must be positive');
    expect(error.message).toContain('(root): bad');
  });
});
