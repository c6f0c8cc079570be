import type { Command } from './command.js';
import { auditGroup } from './declarations/audit.js';
import { crossValidateDeclaration } from './declarations/cross-validate.js';
import { generateDeclaration } from './declarations/generate.js';
import { importDeclaration } from './declarations/import.js';
import { qualityDeclaration, sampleGroup, updatesGroup } from './declarations/quality.js';
import { redriveDeclaration } from './declarations/redrive.js';
import { referencesGroup } from './declarations/references.js';
import { smsDeclaration } from './declarations/sms.js';
import { stackDeclaration } from './declarations/stack.js';
import { surgeDeclaration } from './declarations/surge.js';
import { tokenDeclaration } from './declarations/token.js';

/**
 * Every `madad` command, in the order `madad --help` lists them.
 *
 * To add a command (e.g. `madad quality`):
 * 1. Declare it in `declarations/quality.ts` with `defineCommand({ name, summary, synopsis, description,
 *    options, positionals, json, examples, run })`. Options are node:util parseArgs options plus `help`
 *    (and `value`, the placeholder shown in the help); `json: '...'` adds `--json` and says what it prints.
 *    Parsing is strict: an unknown flag, a missing value or extra arguments exit 2 with the usage, and
 *    `--help` prints the man page built from the declaration, with no code of yours running.
 * 2. Do the work in `commands/quality.ts`: `export async function qualityCommand(input:
 *    CommandInput<typeof qualityOptions>)`, and let `run` load it lazily (`run: async (input) => (await
 *    import('../commands/quality.js')).qualityCommand(input)`), so help and start-up never load the AWS SDK.
 * 3. Check values with `wholeNumber`/`oneOf` or throw `UsageError` (exit 2); any other error is printed as
 *    one line (`madad quality: <message>`, exit 1), never a stack trace. With `values.json` print one JSON
 *    document on stdout and nothing else there (progress goes to stderr).
 * 4. Add it to this list; subcommands (`madad audit verify`) go in a `defineGroup`.
 * test/cli/cli-help.test.ts then checks its help, its unknown-flag exit and its place in `madad --help`.
 */
export const commands: readonly Command[] = [
  generateDeclaration,
  importDeclaration,
  crossValidateDeclaration,
  qualityDeclaration,
  sampleGroup,
  updatesGroup,
  tokenDeclaration,
  smsDeclaration,
  surgeDeclaration,
  redriveDeclaration,
  referencesGroup,
  auditGroup,
  stackDeclaration,
];
