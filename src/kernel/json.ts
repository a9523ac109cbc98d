import type { ValidationIssue } from './errors.js';
import type { JsonValue } from './event.js';

/**
 * A string every store keeps byte for byte: no NUL (PostgreSQL cannot store it) and no lone surrogate
 * (not valid UTF-8, so neither SQLite nor PostgreSQL could return it unchanged).
 */
export function stringIssue(
  value: string,
  path: readonly (string | number)[],
  what: string,
): ValidationIssue | undefined {
  // The path is copied only for an issue: callers pass the live stack of a walk over every string they hold.
  if (value.includes('\u0000')) {
    return { path: [...path], message: `${what} may not contain the NUL character`, code: 'invalid_string' };
  }
  if (!value.isWellFormed()) {
    return { path: [...path], message: `${what} may not contain lone UTF-16 surrogates`, code: 'invalid_string' };
  }
  return undefined;
}

/**
 * Checks that `value` is plain JSON that every store can keep exactly: finite numbers, plain objects and
 * arrays, and strings without NUL (PostgreSQL cannot store `\u0000`). Returns the first problem, if any.
 */
export function findJsonIssue(value: unknown, path: (string | number)[] = []): ValidationIssue | undefined {
  switch (typeof value) {
    case 'string':
      return stringIssue(value, path, 'strings');
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value)
        ? undefined
        : { path: path.slice(), message: 'numbers must be finite', code: 'invalid_number' };
    case 'object': {
      if (value === null) return undefined;
      if (Array.isArray(value)) {
        for (let i = 0; i < value.length; i++) {
          path.push(i);
          const issue = findJsonIssue(value[i], path);
          path.pop();
          if (issue) return issue;
        }
        return undefined;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        return {
          path: path.slice(),
          message: 'only plain objects are allowed (no class instances or Dates)',
          code: 'invalid_type',
        };
      }
      for (const key of Object.keys(value)) {
        const keyIssue = stringIssue(key, path, 'keys');
        if (keyIssue) return { ...keyIssue, code: 'invalid_key' };
        path.push(key);
        const issue = findJsonIssue((value as Record<string, unknown>)[key], path);
        path.pop();
        if (issue) return issue;
      }
      return undefined;
    }
    default:
      return { path: path.slice(), message: `${typeof value} is not a JSON value`, code: 'invalid_type' };
  }
}

/** A deep, frozen copy of a JSON value, so stored events can be handed out without defensive copies. */
export function freezeJsonCopy<T extends JsonValue>(value: T): T;
export function freezeJsonCopy(value: unknown): unknown;
export function freezeJsonCopy(value: unknown): unknown {
  // JSON has no negative zero: the SQL stores read -0 back as 0, so the in-memory copy must too.
  if (typeof value === 'number') return Object.is(value, -0) ? 0 : value;
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return Object.freeze(value.map(freezeJsonCopy));
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(value)) {
    const item = (value as Record<string, unknown>)[key];
    if (item !== undefined) setJsonKey(copy, key, freezeJsonCopy(item));
  }
  return Object.freeze(copy);
}

/**
 * Sets `target[key] = value` as an own property. A plain assignment to `__proto__` (a key `JSON.parse` happily
 * produces) would replace the prototype instead, silently dropping the key and leaking its value through
 * inheritance.
 */
export function setJsonKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
