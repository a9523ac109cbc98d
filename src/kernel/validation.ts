import type { z } from 'zod';
import { ValidationError, type ValidationIssue } from './errors.js';

/**
 * Turns zod issues into Ordo's {@link ValidationIssue}s, each path prefixed with `prefix`. An `unrecognized_keys`
 * issue (zod reports all the unknown keys of an object in one issue, at the object's path) becomes one issue per
 * key, whose path ends with that key, so a caller can point at the offending field like at any other.
 */
export function toValidationIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly (string | number)[] = [],
): ValidationIssue[] {
  return issues.flatMap((issue) => {
    const path = [...prefix, ...issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))];
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0) {
      return issue.keys.map((key) => ({
        path: [...path, key],
        message: issue.keys.length === 1 ? issue.message : `Unrecognized key: "${key}"`,
        code: issue.code,
      }));
    }
    return [{ path, message: issue.message, code: issue.code }];
  });
}

/**
 * Parses `value` with `schema`, throwing a {@link ValidationError} (code `VALIDATION_FAILED`) that lists
 * every issue with its path on failure. The boundary helper every public entry point uses.
 */
export function parseOrThrow<S extends z.ZodType>(
  schema: S,
  value: unknown,
  prefix: readonly (string | number)[] = [],
): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new ValidationError(toValidationIssues(result.error.issues, prefix));
  return result.data;
}
