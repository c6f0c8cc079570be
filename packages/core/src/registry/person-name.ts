import * as z from 'zod';

/**
 * Characters a person's name may not hold: C0 and C1 controls (NUL, TAB, CR, LF and the rest), DEL,
 * the Unicode line and paragraph separators, and the bidi overrides, embeddings, isolates and marks.
 * They forge rows in line-oriented readers of the payment file and disguise a name on screen; no real
 * name needs them. Urdu letters, their combining marks and the zero-width (non-)joiner stay valid.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const FORBIDDEN_IN_NAME = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

/** Why a name is refused, or undefined when it is acceptable. */
export function nameProblem(name: string): string | undefined {
  const found = FORBIDDEN_IN_NAME.exec(name);
  if (!found) return undefined;
  const code = found[0].codePointAt(0) ?? 0;
  return `name contains a control or bidi character (U+${code.toString(16).toUpperCase().padStart(4, '0')})`;
}

/** A person's name as imports and change requests accept it (1-120 characters, none of the above). */
export const PersonNameSchema = z
  .string()
  .min(1)
  .max(120)
  .superRefine((name, ctx) => {
    const problem = nameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem, params: { nameProblem: true } });
  });
