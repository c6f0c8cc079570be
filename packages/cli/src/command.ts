import { parseArgs } from 'node:util';

/**
 * One declaration per command gives its parsing (node:util parseArgs, strict), its man page
 * (`--help`) and its `--json` flag. Declarations stay light: `run` loads the module that does the
 * work (`await import('../commands/x.js')`), so `madad --help` and every `--help` start fast.
 */
export interface OptionDeclaration {
  readonly type: 'string' | 'boolean';
  /** One or more lines for the OPTIONS section. */
  readonly help: string;
  /** The value's name in the help (`--households N`); strings only. */
  readonly value?: string;
  readonly short?: string;
  readonly multiple?: boolean;
  readonly default?: string;
}

export type OptionDeclarations = Readonly<Record<string, OptionDeclaration>>;

type ValueOf<D extends OptionDeclaration> = D extends { type: 'boolean' }
  ? boolean
  : D extends { multiple: true }
    ? string[]
    : D extends { default: string }
      ? string
      : string | undefined;

/** The parsed options of a command: each declared option, plus `json` when the command reports. */
export type OptionValues<O extends OptionDeclarations> = { -readonly [K in keyof O]: ValueOf<O[K]> } & {
  json: boolean;
};

export interface CommandInput<O extends OptionDeclarations> {
  readonly values: OptionValues<O>;
  readonly positionals: string[];
}

export interface CommandDeclaration<O extends OptionDeclarations = OptionDeclarations> {
  /** The words after `madad` (`import`, `audit verify`). */
  readonly name: string;
  /** One line: NAME in the man page and the command's line in `madad --help`. */
  readonly summary: string;
  /** Usage lines without the leading `madad ` (`import KIND FILE [--rejects PATH]`). */
  readonly synopsis: readonly string[];
  readonly description: string;
  readonly options: O;
  /** Bounds on the positional arguments (default: none allowed). */
  readonly positionals?: { readonly min: number; readonly max: number };
  /** Adds `--json`: the command prints one JSON document on stdout instead of its text report. */
  readonly json?: string;
  readonly examples: readonly string[];
  /** `code  meaning` lines; default 0 success, 1 failure, 2 usage. */
  readonly exitStatus?: readonly string[];
  run(input: CommandInput<O>): Promise<number>;
}

/** A command with subcommands (`madad audit verify`): its man page lists them. */
export interface CommandGroup {
  readonly name: string;
  readonly summary: string;
  readonly description: string;
  readonly subcommands: readonly CommandDeclaration[];
}

export type Command = CommandDeclaration | CommandGroup;

/** A bad flag, a missing argument or a value out of range: usage on stderr and exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Declares a command; the type parameter keeps each option's value type for `run`. */
export function defineCommand<const O extends OptionDeclarations>(
  declaration: CommandDeclaration<O>,
): CommandDeclaration<O> {
  return declaration;
}

export function defineGroup(group: CommandGroup): CommandGroup {
  return group;
}

export const isGroup = (command: Command): command is CommandGroup => 'subcommands' in command;

/** Parses argv against the declaration; throws UsageError on anything it does not declare. */
export function parseCommand<O extends OptionDeclarations>(
  declaration: CommandDeclaration<O>,
  args: readonly string[],
): CommandInput<O> {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const [name, option] of Object.entries(declaration.options)) {
    options[name] = {
      type: option.type,
      ...(option.short ? { short: option.short } : {}),
      ...(option.multiple ? { multiple: true } : {}),
    };
  }
  if (declaration.json) options.json = { type: 'boolean' };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...args], options, strict: true, allowPositionals: true });
  } catch (error) {
    // parseArgs's messages name the option and say what is wrong; its hint about `--` is noise here.
    throw new UsageError((error as Error).message.replace(/\s*To specify a positional.*$/s, ''));
  }
  const { min = 0, max = 0 } = declaration.positionals ?? {};
  const positionals = parsed.positionals;
  if (positionals.length > max) throw new UsageError(`unexpected argument '${positionals[max]}'`);
  if (positionals.length < min) throw new UsageError('missing argument');
  const values: Record<string, unknown> = { json: parsed.values.json === true };
  for (const [name, option] of Object.entries(declaration.options)) {
    const value = parsed.values[name];
    values[name] =
      option.type === 'boolean' ? value === true : (value ?? (option.multiple ? [] : option.default));
  }
  return { values: values as OptionValues<O>, positionals };
}

/** A whole number in [min, max] from an option's text, or a UsageError naming the option. */
export function wholeNumber(text: string, option: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `from ${min} to ${max}`;
    throw new UsageError(`${option} takes a whole number ${range}, not '${text}'`);
  }
  return value;
}

/** One of the listed words, or a UsageError listing them. */
export function oneOf<T extends string>(text: string, allowed: readonly T[], what: string): T {
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`${what} is one of ${allowed.join(', ')}, not '${text}'`);
}
