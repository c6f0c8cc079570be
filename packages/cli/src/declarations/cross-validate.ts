import { defineCommand } from '../command.js';

export const crossValidateOptions = {
  strata: {
    type: 'string',
    value: 'N',
    default: '10',
    help: 'how many districts to list in the text report, by mismatch rate (all are in --json)',
  },
} as const;

export const crossValidateDeclaration = defineCommand({
  name: 'cross-validate',
  summary: "compare every registry member with the ID authority's record; open rectifications",
  synopsis: ['cross-validate [--strata N] [--json]'],
  description:
    "Reads every surveyed household of the running local stack (or of the deployed stack 'madad stack'\n" +
    "points at) page by page, reads the ID authority's record of each member by key, and compares name\n" +
    '(Latin and Urdu spellings and transliteration variants count as one), gender, birth year, marital\n' +
    'status, disability and alive/deceased. Each mismatched field opens one rectification for the\n' +
    "console's queue (a re-run opens none twice and leaves decided ones alone). Prints the report: rates\n" +
    'per field overall, by district, tehsil and source; the console shows the last one. Scans the\n' +
    'registry table: an operator job, never a request path. Progress goes to stderr.',
  options: crossValidateOptions,
  json: 'print the report: {"runId","households","members","unknownToAuthority","mismatches","opened","fields":{...},"byDistrict":[...],"byTehsil":[...],"bySource":[...]}',
  examples: [
    'madad generate --households 3000 --seed walkthrough --errors 0.03',
    'madad import registry .madad/generated/households.ndjson && madad import identity .madad/generated/identity.ndjson',
    'madad cross-validate',
    'madad cross-validate --json > cross-validation.json',
  ],
  run: async (input) => (await import('../commands/cross-validate.js')).crossValidateCommand(input),
});
