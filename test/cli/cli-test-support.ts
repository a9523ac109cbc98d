/**
 * Shared plumbing of the CLI tests: run `runCli` in process with a recording IO, temporary directories, and a
 * small ERP history written through the real deciders into a store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../src/cli/cli-io.js';
import { runCli } from '../../src/cli/run-cli.js';
import { Customer } from '../../src/domain/customer/index.js';
import { Item } from '../../src/domain/item/index.js';
import { SalesOrder } from '../../src/domain/sales-order/index.js';
import { Stock } from '../../src/domain/stock/index.js';
import type { DecideContext } from '../../src/kernel/decider.js';
import type { EventLike } from '../../src/kernel/event.js';
import type { EventStore } from '../../src/kernel/event-store.js';

/** What one CLI run did. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON Lines. */
  readonly lines: readonly Record<string, unknown>[];
  /** stderr parsed as JSON Lines (the `--json` error report). */
  readonly errorLines: readonly Record<string, unknown>[];
}

/** How a test runs the CLI. */
export interface CliRunOptions {
  readonly isTTY?: boolean;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
  /** Called with the command's interrupt handler as soon as it traps Ctrl-C (to simulate one). */
  readonly onTrap?: (interrupt: () => void) => void;
}

function parseLines(text: string): Record<string, unknown>[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Runs the CLI in process and records what it printed. */
export async function cli(argv: readonly string[], options: CliRunOptions = {}): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (text) => {
      stdout += text;
    },
    stderr: (text) => {
      stderr += text;
    },
    isTTY: options.isTTY ?? false,
    columns: 100,
    env: options.env ?? {},
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    ...(options.onTrap === undefined
      ? {}
      : {
          trapInterrupt: (onInterrupt: () => void) => {
            options.onTrap?.(onInterrupt);
            return () => undefined;
          },
        }),
  };
  const code = await runCli(argv, io);
  const lines = argv.includes('--json') ? parseLines(stdout) : [];
  const errorLines = argv.includes('--json') ? parseLines(stderr) : [];
  return { code, stdout, stderr, lines, errorLines };
}

/** A fresh temporary directory and a function that removes it. */
export function createTempDir(prefix = 'ordo-cli-'): { readonly path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Decides a command against a stream's current state and appends the events, as a command handler would. */
async function execute<State, Event extends EventLike>(
  store: EventStore,
  streamId: string,
  decider: { readonly initialState: State; evolve(state: State, event: Event): State },
  decide: (state: State, context: DecideContext) => readonly Event[],
  context: DecideContext,
): Promise<void> {
  let state = decider.initialState;
  let version = 0;
  for await (const event of store.readStream(streamId)) {
    state = decider.evolve(state, event as unknown as Event);
    version = event.streamVersion;
  }
  const events = decide(state, context);
  await store.appendToStream(
    streamId,
    events.map((event) => ({
      type: event.type,
      data: event.data,
      metadata: { occurredAt: context.now.toISOString() },
    })),
    { expectedVersion: version === 0 ? 'no_stream' : version },
  );
}

/** The streams {@link seedErp} writes. */
export const SEEDED = {
  customerStream: Customer.streamId('C-1'),
  orderStream: SalesOrder.streamId('SO-1'),
} as const;

/**
 * A small ERP history through the real deciders: a customer, an item with stock, and `orders` submitted orders
 * of one line each.
 */
export async function seedErp(store: EventStore, orders = 1): Promise<void> {
  let ids = 0;
  let minute = 0;
  const context = (): DecideContext => {
    minute += 1;
    return { now: new Date(Date.UTC(2026, 2, 2, 9, minute)), newId: () => `id-${++ids}` };
  };
  await execute(
    store,
    Customer.streamId('C-1'),
    Customer,
    (state, ctx) =>
      Customer.decide(
        {
          type: 'RegisterCustomer',
          customerId: 'C-1',
          name: 'Acme, "Müller" & Söhne',
          customerGroup: 'Commercial',
          billingAddress: { line1: 'Hauptstrasse 1', city: 'Zürich', postalCode: '8001', country: 'CH' },
        },
        state,
        ctx,
      ),
    context(),
  );
  await execute(
    store,
    Item.streamId('WIDGET'),
    Item,
    (state, ctx) =>
      Item.decide(
        {
          type: 'RegisterItem',
          itemCode: 'WIDGET',
          name: 'Widget',
          itemGroup: 'Products',
          stockUnit: 'Nos',
          standardRate: { amount: '12.50', currency: 'CHF' },
        },
        state,
        ctx,
      ),
    context(),
  );
  await execute(
    store,
    Stock.streamId('WIDGET', 'Main'),
    Stock,
    (state, ctx) =>
      Stock.decide(
        { type: 'ReceiveStock', itemCode: 'WIDGET', warehouse: 'Main', qty: '100', reference: 'PR-1' },
        state,
        ctx,
      ),
    context(),
  );
  for (let number = 1; number <= orders; number++) {
    const orderId = `SO-${number}`;
    const streamId = SalesOrder.streamId(orderId);
    const order = (command: Parameters<typeof SalesOrder.decide>[0]) =>
      execute(store, streamId, SalesOrder, (state, ctx) => SalesOrder.decide(command, state, ctx), context());
    await order({
      type: 'CreateSalesOrder',
      data: { orderId, customerId: 'C-1', company: 'Acme', currency: 'CHF', deliveryDate: '2026-03-20' },
    });
    await order({
      type: 'AddSalesOrderLine',
      data: {
        orderId,
        line: { lineId: 'L1', itemCode: 'WIDGET', qty: '2', uom: 'Nos', rate: '12.50', warehouse: 'Main' },
      },
    });
    await order({ type: 'SubmitSalesOrder', data: { orderId } });
  }
}
