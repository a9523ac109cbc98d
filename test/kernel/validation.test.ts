import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ValidationError } from '../../src/kernel/errors.js';
import { parseOrThrow, toValidationIssues } from '../../src/kernel/validation.js';

const Schema = z.strictObject({
  name: z.string(),
  lines: z.array(z.strictObject({ qty: z.string() })),
});

function issuesOf(value: unknown, prefix: readonly (string | number)[] = []) {
  const result = Schema.safeParse(value);
  if (result.success) throw new Error('expected a failure');
  return toValidationIssues(result.error.issues, prefix);
}

describe('toValidationIssues', () => {
  it('keeps the path, message and code of an ordinary issue, under the prefix', () => {
    expect(issuesOf({ name: 1, lines: [] }, ['input'])).toEqual([
      { path: ['input', 'name'], message: expect.any(String), code: 'invalid_type' },
    ]);
  });

  it('turns an unrecognized_keys issue into one issue per key, the key ending its path', () => {
    expect(issuesOf({ name: 'a', lines: [], foo: 1 })).toEqual([
      { path: ['foo'], message: 'Unrecognized key: "foo"', code: 'unrecognized_keys' },
    ]);
    expect(issuesOf({ name: 'a', lines: [{ qty: '1', foo: 1, bar: 2 }] }, ['input'])).toEqual([
      { path: ['input', 'lines', 0, 'foo'], message: 'Unrecognized key: "foo"', code: 'unrecognized_keys' },
      { path: ['input', 'lines', 0, 'bar'], message: 'Unrecognized key: "bar"', code: 'unrecognized_keys' },
    ]);
  });

  it('is what parseOrThrow throws', () => {
    let thrown: unknown;
    try {
      parseOrThrow(Schema, { name: 'a', lines: [], extra: true }, ['options']);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    expect((thrown as ValidationError).issues.map((issue) => issue.path)).toEqual([['options', 'extra']]);
    expect((thrown as ValidationError).message).toContain('options.extra');
  });
});
