import { defineCommand } from '../command.js';

export const generateOptions = {
  households: { type: 'string', value: 'N', help: 'how many households to write (required, at least 1)' },
  seed: {
    type: 'string',
    value: 'S',
    default: '1',
    help: 'the same seed writes the same people, byte for byte',
  },
  errors: {
    type: 'string',
    value: 'RATE',
    help: "plant roster errors at this rate per member (0.03 = 3%) against the ID authority's file, and write ground-truth.ndjson listing every disagreement",
  },
  out: {
    type: 'string',
    value: 'DIR',
    default: '.madad/generated',
    help: 'the folder for the three files (under the git-ignored data folder by default)',
  },
} as const;

export const generateDeclaration = defineCommand({
  name: 'generate',
  summary: 'write a synthetic, reproducible registry (households, identities, exclusions)',
  synopsis: ['generate --households N [--seed S] [--errors RATE] [--out DIR] [--json]'],
  description:
    'Writes three NDJSON files in the import formats: households with their members and phones, the ID\n' +
    "authority's view of every member, and an exclusion feed. Import them with 'madad import'.",
  options: generateOptions,
  json: 'print {"households":N,"members":N,"identities":N,"exclusions":N,"files":{...},"seconds":S}',
  examples: [
    'madad generate --households 1000',
    'madad generate --households 50000 --seed flood-2026 --out /tmp/registry',
    'madad generate --households 3000 --seed walkthrough --errors 0.03',
    'madad import registry .madad/generated/households.ndjson',
  ],
  run: async (input) => (await import('../commands/generate.js')).generateCommand(input),
});
