import type * as z from 'zod';

/** An item read from a table does not have the shape its reader expects: named by key and zod issue. */
export class CorruptItemError extends Error {
  constructor(
    readonly what: string,
    readonly key: string,
    readonly issue: string,
  ) {
    super(`Corrupt ${what} item ${key}: ${issue}`);
    this.name = 'CorruptItemError';
  }
}

function keyOf(item: Record<string, unknown>): string {
  const pk = typeof item.pk === 'string' ? item.pk : '?';
  return typeof item.sk === 'string' ? `${pk}/${item.sk}` : pk;
}

/**
 * Parses an item read from DynamoDB with `schema`; a bad item throws CorruptItemError naming its key
 * (pk/sk) and the first zod issue. Good items come back as parsed (loose schemas keep every field).
 */
export function fromItem<S extends z.ZodType>(
  schema: S,
  item: Record<string, unknown>,
  what: string,
): z.output<S> {
  const parsed = schema.safeParse(item);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const issue = first ? `${first.path.join('.') || '(item)'}: ${first.message}` : 'invalid';
  throw new CorruptItemError(what, keyOf(item), issue);
}

/** The table's own attributes of an item: its keys, index keys and kind, never part of the record. */
const STORAGE_ATTRIBUTE = /^(pk|sk|type|gsi\d+(pk|sk))$/;

/**
 * `fromItem`, then the item's storage attributes (pk, sk, type, gsiNpk/gsiNsk) dropped: the record
 * as the core knows it.
 */
export function recordFromItem<S extends z.ZodType>(
  schema: S,
  item: Record<string, unknown>,
  what: string,
): z.output<S> {
  const parsed = fromItem(schema, item, what) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(parsed).filter(([name]) => !STORAGE_ATTRIBUTE.test(name)),
  ) as z.output<S>;
}
