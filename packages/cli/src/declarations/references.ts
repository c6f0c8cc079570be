import { defineCommand, defineGroup } from '../command.js';

export const backfillOptions = {} as const;

const backfill = defineCommand({
  name: 'references backfill',
  summary: 'index the references sent before the reference index existed',
  synopsis: ['references backfill [--json]'],
  description:
    'Makes every reference sent before the reference index existed (one per SMS message then) findable\n' +
    'by the status page and GET /api/v1/registrations/{reference}: reads the registration records of the\n' +
    "running local stack or of the deployed stack 'madad stack' points at, and writes the index item of\n" +
    'each reference that was told to the household alone. Run once after deploying issue 15; a second\n' +
    'run writes the same items. Scans the operations table: an operator step, never a request path.',
  options: backfillOptions,
  json: 'print {"scanned":N,"written":N}',
  examples: ['madad references backfill', 'madad references backfill --json'],
  run: async (input) => (await import('../commands/references.js')).referencesCommand(input),
});

export const referencesGroup = defineGroup({
  name: 'references',
  summary: 'the index of references told to households',
  description: 'Maintenance of the reference index the status page and the status route read.',
  subcommands: [backfill],
});
