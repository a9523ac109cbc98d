/*
 * Plain checks for the properties of `ordo/testing`: they throw an `Error` with a readable message, so that the
 * properties run under any test runner (or none) and fast-check reports the message with its counterexample.
 */

/** Throws an `Error` with `message` (and the error that caused it, if any). */
export function fail(message: string, cause?: unknown): never {
  throw cause === undefined ? new Error(message) : new Error(message, { cause });
}

/** A value as it reads in a message: JSON, with `bigint`s as `12n`. */
export function show(value: unknown): string {
  if (value === undefined) return 'undefined';
  return (
    JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item)) ?? String(value)
  );
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** What kind of value it is, for a message: `a string`, `an array`, `a plain object`, `a Date`. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value !== 'object') return `${/^[aeiou]/.test(typeof value) ? 'an' : 'a'} ${typeof value}`;
  const prototype: unknown = Object.getPrototypeOf(value);
  if (prototype === null || prototype === Object.prototype) return 'a plain object';
  return `a ${(value.constructor as { name?: string } | undefined)?.name ?? 'class instance'}`;
}

/** Whether a value is a plain object or an array, the only objects the comparison walks into. */
const isPlain = (value: object) => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return Array.isArray(value) || prototype === null || prototype === Object.prototype;
};

/**
 * Where `actual` first differs from `expected`, as `at lines[1].rate: expected "1.00", got "1.01"`; `undefined` when
 * they are equal. Deep equality as test runners' `toEqual` has it (key order does not matter; a key whose value is
 * `undefined` counts as absent), except that values must also be of the same kind: a `Date` never equals a string or
 * a plain object. Objects other than plain objects and arrays are compared by their JSON.
 */
export function firstDifference(expected: unknown, actual: unknown, path = ''): string | undefined {
  const at = path === '' ? 'at the top' : `at ${path}`;
  if (Object.is(expected, actual)) return undefined;
  const kinds = [kindOf(expected), kindOf(actual)] as const;
  if (kinds[0] !== kinds[1]) return `${at}: expected ${kinds[0]} ${show(expected)}, got ${kinds[1]} ${show(actual)}`;
  if (!isRecord(expected) || !isRecord(actual) || !isPlain(expected) || !isPlain(actual)) {
    return show(expected) === show(actual) && isRecord(expected)
      ? undefined
      : `${at}: expected ${show(expected)}, got ${show(actual)}`;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) {
      return `${at}: expected ${expected.length} item(s), got ${actual.length}: expected ${show(expected)}, got ${show(actual)}`;
    }
    for (let index = 0; index < expected.length; index++) {
      const difference = firstDifference(expected[index], actual[index], `${path}[${index}]`);
      if (difference !== undefined) return difference;
    }
    return undefined;
  }
  // In the expected value's own key order (lines before totals, say), then any key only the actual value has.
  const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
  for (const key of keys) {
    const inner = path === '' ? key : `${path}.${key}`;
    if (expected[key] === undefined && actual[key] !== undefined) return `at ${inner}: unexpected ${show(actual[key])}`;
    if (expected[key] !== undefined && actual[key] === undefined) return `at ${inner}: missing ${show(expected[key])}`;
    const difference = firstDifference(expected[key], actual[key], inner);
    if (difference !== undefined) return difference;
  }
  return undefined;
}

/**
 * The rule code of a domain rule refusal (`DomainRuleError`), recognised by its shape rather than its class, so that
 * a decider from another copy of Ordo (the CommonJS and ESM builds each have their own) is recognised too.
 */
export function ruleOf(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const { code, rule } = error as Error & { code?: unknown; rule?: unknown };
  return code === 'DOMAIN_RULE_VIOLATED' && typeof rule === 'string' ? rule : undefined;
}

/** An error as it reads in a message: `DomainRuleError ORDER_CLOSED: Order SO-1 is closed`. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${show(error)}`;
  const rule = ruleOf(error);
  const { code } = error as Error & { code?: unknown };
  const label = rule ?? (typeof code === 'string' ? code : undefined);
  return `${error.name}${label === undefined ? '' : ` ${label}`}: ${error.message}`;
}
