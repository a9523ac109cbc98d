import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SalesOrder } from '../../../src/domain/sales-order/index.js';
import { DOC_EXAMPLES, renderExample, renderRoundingTable } from './sales-order-doc-examples.js';

const doc = readFileSync(new URL('../../../docs/domain/sales-order.md', import.meta.url), 'utf8');

describe('docs/domain/sales-order.md', () => {
  it.each(DOC_EXAMPLES.map((example) => [example.title, example] as const))(
    'shows the figures the code computes for %s',
    (_title, example) => {
      expect(doc).toContain(renderExample(example));
    },
  );

  it('shows the rounding-method table the code computes', () => {
    expect(doc).toContain(renderRoundingTable());
  });

  it('lists every rule code with its meaning', () => {
    for (const [rule, meaning] of Object.entries(SalesOrder.rules))
      expect(doc).toContain(`| \`${rule}\` | ${meaning} |`);
  });

  it('catalogues every command and every event', () => {
    for (const type of SalesOrder.commandTypes) expect(doc).toContain(`\`${type}\``);
    for (const definition of SalesOrder.events) expect(doc).toContain(`\`${definition.type}\``);
  });

  it('names every status in the status table', () => {
    for (const status of SalesOrder.status.all) expect(doc).toContain(`| \`${status}\` |`);
  });
});
