/**
 * Readers for rows returned by raw SQL (`RETURNING`), which MikroORM does not hydrate:
 * columns are snake_case, timestamps may arrive as strings, jsonb as parsed values.
 */
export type RawRow = Record<string, unknown>;

export function text(row: RawRow, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new TypeError(`Column ${column} is not text`);
  return value;
}

export function textOrNull(row: RawRow, column: string): string | null {
  return row[column] === null || row[column] === undefined ? null : text(row, column);
}

export function integer(row: RawRow, column: string): number {
  const value = row[column];
  const n = typeof value === 'string' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n)) throw new TypeError(`Column ${column} is not an integer`);
  return n;
}

export function date(row: RawRow, column: string): Date {
  const value = row[column];
  if (value instanceof Date) return value;
  if (typeof value === 'string' || typeof value === 'number') return new Date(value);
  throw new TypeError(`Column ${column} is not a timestamp`);
}

export function dateOrNull(row: RawRow, column: string): Date | null {
  return row[column] === null || row[column] === undefined ? null : date(row, column);
}

export function json<T>(row: RawRow, column: string): T {
  const value = row[column];
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}
