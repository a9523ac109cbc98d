import type { z } from 'zod';
import { ValidationError, type ValidationIssue } from './errors.js';

/** Turns zod issues into Ordo's {@link ValidationIssue}s, each path prefixed with `prefix`. */
export function toValidationIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: readonly (string | number)[] = [],
): ValidationIssue[] {
  return issues.map((issue) => ({
    path: [...prefix, ...issue.path.map((segment) => (typeof segment === 'symbol' ? String(segment) : segment))],
    message: issue.message,
    code: issue.code,
  }));
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
