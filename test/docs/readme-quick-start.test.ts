import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const example = readFileSync(join(root, 'examples', 'quick-start.ts'), 'utf8');

/** The body of the first ```ts block under a heading, with its final newline. */
function firstTsBlockAfter(heading: string): string | undefined {
  const at = readme.indexOf(`\n${heading}\n`);
  if (at === -1) return undefined;
  const match = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  return match?.[1];
}

describe('README.md', () => {
  it('shows examples/quick-start.ts verbatim as its quick start, so the two never drift apart', () => {
    const block = firstTsBlockAfter('## Quick start');
    expect(block, 'a ```ts block under "## Quick start"').toBeDefined();
    expect(block).toBe(example);
  });
});
