import type { EventLike, StoredEvent } from '../../kernel/event.js';

/**
 * The type of a warehouse column, as a loader should declare it.
 *
 * - `text`: a string.
 * - `decimal`: an exact decimal as a string (`"12.30"`, `"-4.5"`); money and quantities are never JS floats.
 * - `integer`: a safe JS integer (versions, positions, counts).
 * - `boolean`: `true` / `false`.
 * - `date`: `YYYY-MM-DD` as a string.
 * - `timestamp`: an ISO 8601 instant as a string (UTC, e.g. `2026-01-01T09:30:00.000Z`).
 */
export type WarehouseColumnType = 'text' | 'decimal' | 'integer' | 'boolean' | 'date' | 'timestamp';

/** One column of a warehouse table: its name, type, whether it may be `null`, and what it means. */
export interface WarehouseColumn<
  Name extends string = string,
  Type extends WarehouseColumnType = WarehouseColumnType,
  Nullable extends boolean = boolean,
> {
  /** snake_case, as warehouses expect. */
  readonly name: Name;
  readonly type: Type;
  /** `true` when the column may hold `null` (an empty field in CSV). */
  readonly nullable: Nullable;
  readonly description: string;
}

/** A star-schema table: a fact or a dimension, its grain and its columns in file order. */
export interface WarehouseTable<
  Name extends string = string,
  Columns extends readonly WarehouseColumn[] = readonly WarehouseColumn[],
> {
  /** The table name; also the file name of the file sinks (`<name>.jsonl`, `<name>.csv`). */
  readonly name: Name;
  readonly kind: 'fact' | 'dimension';
  readonly description: string;
  /** What one row stands for, e.g. "one row per invoice event". */
  readonly grain: string;
  /** Every column, in the order CSV files and JSONL objects list them. */
  readonly columns: Columns;
}

/** The JavaScript type a column's cells have in rows. */
export type WarehouseCellOf<C extends WarehouseColumn> =
  | (C['type'] extends 'integer' ? number : C['type'] extends 'boolean' ? boolean : string)
  | (C['nullable'] extends true ? null : never);

/** Any cell value a row can hold. */
export type WarehouseCell = string | number | boolean | null;

/** The values of one row of table `T`: one property per column, typed from the column definitions. */
export type WarehouseRowValuesOf<T extends WarehouseTable> = {
  readonly [C in T['columns'][number] as C['name']]: WarehouseCellOf<C>;
};

/**
 * One row for table `T`.
 *
 * @remarks `key` is the row's identity, equal to `values.row_key`: `<table>:<eventId>:<index>`, where `index`
 * counts the rows the event produced for that table (from 0). The same event log always gives the same keys.
 */
export interface WarehouseTableRow<T extends WarehouseTable> {
  readonly table: T['name'];
  readonly key: string;
  readonly values: WarehouseRowValuesOf<T>;
}

/**
 * What a transform sees for one event: the event (validated against its schema), and its aggregate's state
 * before and after it (folded with the aggregate's own `evolve`).
 */
export interface StreamChange<Event extends EventLike, State> {
  readonly event: StoredEventOf<Event>;
  readonly before: State;
  readonly after: State;
}

/** The stored form of each member of an event union, keeping each type paired with its data. */
export type StoredEventOf<Event extends EventLike> = Event extends EventLike
  ? StoredEvent<Event['type'], Event['data']>
  : never;

/** Declares a column that never holds `null`. */
export function column<const Name extends string, const Type extends WarehouseColumnType>(
  name: Name,
  type: Type,
  description: string,
): WarehouseColumn<Name, Type, false> {
  return { name, type, nullable: false, description };
}

/** Declares a column that may hold `null`. */
export function nullableColumn<const Name extends string, const Type extends WarehouseColumnType>(
  name: Name,
  type: Type,
  description: string,
): WarehouseColumn<Name, Type, true> {
  return { name, type, nullable: true, description };
}

/** Declares a table, keeping its name and column tuple as literal types. */
export function defineWarehouseTable<const Name extends string, const Columns extends readonly WarehouseColumn[]>(
  table: WarehouseTable<Name, Columns>,
): WarehouseTable<Name, Columns> {
  return Object.freeze({ ...table, columns: Object.freeze([...table.columns]) as unknown as Columns });
}

/**
 * The columns every table starts with: where the row comes from. They let a loader trace any row back to its
 * event and order rows of one entity by `global_position`.
 */
export const LINEAGE_COLUMNS = [
  column('row_key', 'text', 'Unique, deterministic row id: `<table>:<event_id>:<index>`.'),
  column('event_id', 'text', 'The id (UUID) of the event the row was derived from.'),
  column('event_type', 'text', 'The type of that event, e.g. `SalesOrderSubmitted`.'),
  column('global_position', 'integer', "The event's global position in the store."),
  column('occurred_at', 'timestamp', 'When the event happened in the business sense (its `metadata.occurredAt`).'),
] as const;

/** The lineage values of the `index`-th row an event produces for `table`. */
export function lineageOf(
  table: string,
  event: StoredEvent,
  index: number,
): {
  readonly row_key: string;
  readonly event_id: string;
  readonly event_type: string;
  readonly global_position: number;
  readonly occurred_at: string;
} {
  return {
    row_key: rowKey(table, event.eventId, index),
    event_id: event.eventId,
    event_type: event.type,
    global_position: event.globalPosition,
    occurred_at: event.metadata.occurredAt,
  };
}

/** The key of the `index`-th row event `eventId` produces for `table`. */
export function rowKey(table: string, eventId: string, index: number): string {
  return `${table}:${eventId}:${index}`;
}

/** True when two sets of cells (primitives, same keys) hold the same value under every key. */
export function sameCells<Cells extends Readonly<Record<string, WarehouseCell>>>(a: Cells, b: Cells): boolean {
  for (const key of Object.keys(a)) if (a[key] !== b[key]) return false;
  return true;
}
