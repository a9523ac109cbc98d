import { z } from 'zod';
import { stringIssue } from '../kernel/json.js';

/**
 * The kernel's rule for strings every store keeps byte for byte (no NUL, no lone UTF-16 surrogate), as a zod
 * check: a use case refuses such a string with a `VALIDATION_FAILED` at its own path, instead of the store refusing
 * the events it would have become at commit. @internal
 */
export function storable<Schema extends z.ZodType<string | null | undefined>>(schema: Schema): Schema {
  return schema.superRefine((value, ctx) => {
    if (typeof value !== 'string') return;
    const issue = stringIssue(value, [], 'text');
    if (issue) ctx.addIssue({ code: 'custom', message: issue.message, params: { issue: issue.code } });
  }) as Schema;
}

/** A non-empty name or id of at most 140 characters that every store can keep. @internal */
export const StorableName = storable(z.string().min(1).max(140));
