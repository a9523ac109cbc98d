/**
 * How commands print: aligned tables for people, JSON Lines for scripts (`--json`: one object per line, so a
 * long listing streams and `jq` reads it line by line).
 */
import type { CliWriter } from './cli-io.js';

/** Writes one JSON value as one line. */
export async function writeJsonLine(write: CliWriter, value: unknown): Promise<void> {
  await write(`${JSON.stringify(value)}\n`);
}

/**
 * Lays rows out in columns under a header. The last column is not padded, so that a long last cell (an event's
 * data) does not push every line to its width.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}

/** `1 event`, `2 events`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Shortens text to `max` characters for a table cell, marking the cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/** An error as plain JSON (name, message and code when it has one), for `--json` output. */
export function summarizeUnknownError(error: unknown): { name: string; message: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { name: 'Error', message: String(error) };
}
