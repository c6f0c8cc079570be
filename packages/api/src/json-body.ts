import { ValidationError } from '@madad/core';
import type * as z from 'zod';

/** The request's JSON body, or a 400 that says the body is not JSON (never a 500). */
export async function jsonBody(c: { req: { json(): Promise<unknown> } }): Promise<unknown> {
  try {
    return await c.req.json();
  } catch {
    throw new ValidationError('Body is not valid JSON');
  }
}

/** zod's wrappers around one inner schema (optional, default, ...): unknown fields are looked for inside. */
const WRAPPERS = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);

type Def = {
  type: string;
  shape?: Record<string, z.ZodType>;
  catchall?: z.ZodType;
  innerType?: z.ZodType;
  element?: z.ZodType;
  in?: z.ZodType;
  options?: z.ZodType[];
  valueType?: z.ZodType;
  getter?: () => z.ZodType;
};
const defOf = (schema: z.ZodType) => (schema as unknown as { _zod: { def: Def } })._zod.def;
const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The fields of `value` that `schema` does not declare, at any depth, as dotted paths
 * (`areas.0.tehsil`). An object with a catchall other than `never` takes any field.
 */
export function unknownFields(
  schema: z.ZodType,
  value: unknown,
  path: readonly (string | number)[] = [],
): string[] {
  const def = defOf(schema);
  if (WRAPPERS.has(def.type) && def.innerType) return unknownFields(def.innerType, value, path);
  if (def.type === 'pipe' && def.in) return unknownFields(def.in, value, path);
  if (def.type === 'lazy' && def.getter) return unknownFields(def.getter(), value, path);
  if (def.type === 'array' && def.element && Array.isArray(value)) {
    const element = def.element;
    return value.flatMap((item, i) => unknownFields(element, item, [...path, i]));
  }
  if (def.type === 'record' && def.valueType && isRecord(value)) {
    const valueType = def.valueType;
    return Object.entries(value).flatMap(([key, item]) => unknownFields(valueType, item, [...path, key]));
  }
  if (def.type === 'union' && def.options) {
    // The option that fits best: the fewest unknown fields (an exact fit has none).
    const candidates = def.options.map((option) => unknownFields(option, value, path));
    return candidates.reduce((best, next) => (next.length < best.length ? next : best), candidates[0] ?? []);
  }
  if (def.type !== 'object' || !def.shape || !isRecord(value)) return [];
  const shape = def.shape;
  const open = def.catchall !== undefined && defOf(def.catchall).type !== 'never';
  return Object.entries(value).flatMap(([key, item]) => {
    // Own keys only: `constructor` or `__proto__` in a body must not find Object.prototype's.
    const field = Object.hasOwn(shape, key) ? shape[key] : undefined;
    if (field) return unknownFields(field, item, [...path, key]);
    return open ? [] : [[...path, key].join('.')];
  });
}

const issuesOf = (error: z.ZodError) =>
  error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));

/**
 * The one way a route reads a JSON body: parsed with its zod schema, a 400 naming what is wrong.
 * Strict (every staff body): a field the schema does not declare, at any depth, is refused by name,
 * so a misspelt `tehsil` cannot silently widen a campaign to its whole district. Public forms and
 * the SMS webhook are tolerant: unknown fields are dropped.
 */
export function parseBody<S extends z.ZodType>(
  schema: S,
  body: unknown,
  options: { strict: boolean },
): z.output<S> {
  if (options.strict) {
    const unknown = unknownFields(schema, body);
    if (unknown.length > 0) {
      const names = unknown.map((p) => p.split('.').at(-1) ?? p);
      throw new ValidationError(
        `Unknown field${unknown.length > 1 ? 's' : ''}: ${[...new Set(names)].join(', ')}`,
        unknown.map((p) => ({ path: p, message: 'Unknown field (not in this request)' })),
      );
    }
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ValidationError('Invalid request body', issuesOf(parsed.error));
  return parsed.data;
}
