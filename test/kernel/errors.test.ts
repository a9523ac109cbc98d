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

  it('answers instanceof for errors thrown by another copy of the package, class by class', async () => {
    // A second instance of the module, as an ESM and a CJS copy of Ordo in one process would be.
    const secondCopy = '../../src/kernel/errors.ts?second-copy';
    const copy = (await import(/* @vite-ignore */ secondCopy)) as typeof import('../../src/kernel/errors.js');
    expect(copy.ConcurrencyError).not.toBe(ConcurrencyError);
    const conflict = new copy.ConcurrencyError('order-1', 1, 2);
    expect(conflict instanceof ConcurrencyError).toBe(true);
    expect(conflict instanceof OrdoError).toBe(true);
    expect(conflict instanceof ValidationError).toBe(false);
    expect(new copy.DomainRuleError('R', 'refused') instanceof DomainRuleError).toBe(true);
    expect(new copy.DomainRuleError('R', 'refused') instanceof ConcurrencyError).toBe(false);
    expect(new ValidationError([]) instanceof copy.ValidationError).toBe(true);
    expect(new Error('plain') instanceof OrdoError).toBe(false);
    // A look-alike without the brand is not taken for an Ordo error.
    expect(Object.assign(new Error('x'), { name: 'ConcurrencyError' }) instanceof ConcurrencyError).toBe(false);
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
