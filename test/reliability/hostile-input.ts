/**
 * Hostile input for the bad-input and injection tests: fast-check arbitraries of junk (any JSON, and values JSON
 * cannot even express), mutations of valid inputs (one field replaced, removed or added deep inside), strings that
 * carry SQL, quotes, NUL and awkward unicode, and the checks that what comes out of Ordo is a typed error with a
 * code and paths.
 */
import fc from 'fast-check';
import { isOrdoError, type OrdoError } from '../../src/kernel/errors.js';
import type { Tally } from './reliability-support.js';
import { describeError } from './reliability-support.js';

/** Strings that must either round-trip byte for byte or be refused with `VALIDATION_FAILED`. */
export const HOSTILE_STRINGS: readonly string[] = [
  "'; DROP TABLE ordo_events; --",
  '" OR 1=1 --',
  "x' UNION SELECT event_id, data FROM ordo_events --",
  "Robert'); DELETE FROM events WHERE ('1'='1",
  '$1',
  '?',
  '%',
  '_',
  '\\',
  '\\x00',
  '*/ SELECT 1 /*',
  '`backtick`',
  "''",
  '""',
  'a\u0000b',
  '\u0000',
  'Zürich',
  '日本語',
  '😀👩‍👩‍👧',
  'e\u0301',
  '\u202Eevil',
  '\u200B',
  '\uFEFFbom',
  'line\nbreak\r\ttab',
  '\uD800',
  'end\uDFFF',
  ' ',
  'x'.repeat(500),
  'y'.repeat(501),
  '__proto__',
  'constructor',
  'toString',
  'ordo_events',
  'pg_catalog',
];

/** Hostile strings plus arbitrary ones (any code unit, lone surrogates included). */
export function hostileString(): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ maxLength: 10 }))
        .map(([hostile, tail]) => `${tail}${hostile}${tail}`),
    },
  );
}

/** Any JSON, and values JSON cannot express (bigints, dates, maps, boxed values, sparse arrays, null prototypes). */
export function junk(): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    {
      weight: 2,
      arbitrary: fc.anything({
        maxDepth: 3,
        withBigInt: true,
        withBoxedValues: true,
        withDate: true,
        withMap: true,
        withSet: true,
        withNullPrototype: true,
        withObjectString: true,
        withSparseArray: true,
        withTypedArray: true,
        withUnicodeString: true,
      }),
    },
    { weight: 1, arbitrary: hostileString() },
    { weight: 1, arbitrary: fc.constantFrom(undefined, null, Number.NaN, Number.POSITIVE_INFINITY, -0, 1e308, -1) },
  );
}

type Mutation = 'replace' | 'delete' | 'add' | 'wrap';

/**
 * Copies a valid JSON value and breaks it at one place chosen by `choices` (a walk down the keys): the value
 * there is replaced by junk, deleted, given an extra unknown key, or wrapped in an array.
 */
export function mutate(value: unknown, choices: readonly number[], replacement: unknown, mutation: Mutation): unknown {
  const copy = structuredClone(value) as unknown;
  let parent: Record<string | number, unknown> | undefined;
  let key: string | number | undefined;
  let node: unknown = copy;
  for (const choice of choices) {
    if (node === null || typeof node !== 'object') break;
    const record = node as Record<string | number, unknown>;
    const keys: (string | number)[] = Array.isArray(node) ? node.map((_, index) => index) : Object.keys(record);
    if (keys.length === 0) break;
    parent = record;
    key = keys[choice % keys.length] as string | number;
    node = record[key];
  }
  if (parent === undefined || key === undefined) {
    if (mutation === 'add' && copy !== null && typeof copy === 'object' && !Array.isArray(copy)) {
      return { ...copy, unexpectedKey: replacement };
    }
    return mutation === 'wrap' ? [copy] : replacement;
  }
  switch (mutation) {
    case 'replace':
      parent[key] = replacement;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case 'add':
      if (node !== null && typeof node === 'object' && !Array.isArray(node)) {
        (node as Record<string, unknown>).unexpectedKey = replacement;
      } else {
        parent[key] = replacement;
      }
      break;
    case 'wrap':
      parent[key] = [node];
      break;
  }
  return copy;
}

/** Valid values broken at one place (see {@link mutate}). */
export function mutationOf(seeds: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(fc.nat(), { maxLength: 5 }),
      junk(),
      fc.constantFrom<Mutation>('replace', 'replace', 'delete', 'add', 'wrap'),
    )
    .map(([seed, choices, replacement, mutation]) => mutate(seed, choices, replacement, mutation));
}

/** Junk, valid values broken at one place, and the valid values themselves. */
export function inputOf(seeds: readonly unknown[]): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 1, arbitrary: junk() },
    { weight: 4, arbitrary: mutationOf(seeds) },
    { weight: 1, arbitrary: fc.constantFrom(...seeds) },
  );
}

function isPath(path: unknown): boolean {
  return Array.isArray(path) && path.every((segment) => typeof segment === 'string' || typeof segment === 'number');
}

/**
 * Records anything but a well-formed `OrdoError` as corrupt: a code; for `VALIDATION_FAILED`, issues each with a
 * path, a message and a code; for `DOMAIN_RULE_VIOLATED`, the rule's own code. Returns the error when it is one.
 */
export function expectTypedError(tally: Tally, error: unknown, where: string): OrdoError | undefined {
  if (!isOrdoError(error)) {
    tally.corrupt.push(`${where}: ${describeError(error)}`);
    return undefined;
  }
  const details = error.toJSON();
  if (typeof error.code !== 'string' || error.code.length === 0)
    tally.corrupt.push(`${where}: an error without a code`);
  if (error.code === 'VALIDATION_FAILED') {
    const issues = details.issues;
    if (!Array.isArray(issues) || issues.length === 0) {
      tally.corrupt.push(`${where}: VALIDATION_FAILED without issues`);
    } else {
      for (const issue of issues as { path?: unknown; message?: unknown; code?: unknown }[]) {
        if (!isPath(issue.path) || typeof issue.message !== 'string' || typeof issue.code !== 'string') {
          tally.corrupt.push(`${where}: a malformed issue ${JSON.stringify(issue)}`);
          break;
        }
      }
    }
  }
  if (error.code === 'DOMAIN_RULE_VIOLATED' && (typeof details.rule !== 'string' || details.rule.length === 0)) {
    tally.corrupt.push(`${where}: DOMAIN_RULE_VIOLATED without its rule's code`);
  }
  return error;
}

/** A short printable form of a hostile value, for problem lists. */
export function show(value: unknown): string {
  try {
    const text = JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item));
    return (text ?? String(value)).slice(0, 200);
  } catch {
    return String(value).slice(0, 200);
  }
}
