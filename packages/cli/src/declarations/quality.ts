import { defineCommand, defineGroup } from '../command.js';

export const qualityOptions = {
  'stale-years': {
    type: 'string',
    value: 'N',
    default: '4',
    help: 'a survey older than N years is due for an update (the registry cycle is 3 to 5 years)',
  },
  'shared-phone': {
    type: 'string',
    value: 'N',
    default: '5',
    help: 'flag a phone listed by at least N households',
  },
} as const;

export const qualityDeclaration = defineCommand({
  name: 'quality',
  summary: "measure the registry's health and store the report the console shows",
  synopsis: ['quality [--stale-years N] [--shared-phone N] [--json]'],
  description:
    'Reads every household of the registry of the running local stack (or of the deployed stack\n' +
    "'madad stack' points at) and reports: how complete each household and member field is, surveys\n" +
    'older than the update cycle, phones listed by many households, people listed in several\n' +
    'households, and heads the ID authority records as deceased. The report is stored as one item;\n' +
    'the console page /console/quality reads it (it never scans). Progress goes to stderr.\n' +
    'Scans the registry table: an operator job, never a request path (docs/quality.md).',
  options: qualityOptions,
  json: 'print the report (RegistryHealthReport, docs/quality.md)',
  examples: ['madad quality', 'madad quality --stale-years 3 --json'],
  run: async (input) => (await import('../commands/quality.js')).qualityCommand(input),
});

export const sampleDrawOptions = {
  seed: {
    type: 'string',
    value: 'S',
    help: 'the seed: the same seed on the same registry draws the same sample',
  },
  by: {
    type: 'string',
    value: 'district|tehsil|enumerator|source',
    default: 'district',
    help: 'the strata',
  },
  confidence: { type: 'string', value: 'C', default: '0.95', help: 'confidence level, between 0 and 1' },
  margin: {
    type: 'string',
    value: 'E',
    default: '0.05',
    help: 'margin of error of an error rate, between 0 and 1',
  },
  'expected-rate': {
    type: 'string',
    value: 'P',
    default: '0.5',
    help: 'the error rate expected (0.5, the default, gives the largest sample)',
  },
  size: {
    type: 'string',
    value: 'N',
    help: 'draw N households in all instead of the size the precision gives',
  },
  out: {
    type: 'string',
    value: 'FILE',
    help: "where the validator's CSV goes (default: .madad/samples/<sampleId>.csv; owner-only)",
  },
} as const;

const draw = defineCommand({
  name: 'sample draw',
  summary: 'draw a reproducible back-check sample and export it for the validator',
  synopsis: [
    'sample draw --seed S [--by district|tehsil|enumerator|source] [--confidence C] [--margin E] [--expected-rate P] [--size N] [--out FILE] [--json]',
  ],
  description:
    'Draws a stratified random sample of surveyed households: its size from the confidence level and\n' +
    "margin (Cochran's formula with the finite population correction), allocated to the strata in\n" +
    'proportion to their sizes (at least 2 each), in each stratum the households with the smallest\n' +
    'SHA-256 of "madad-sample-v1\\n<seed>\\n<householdId>". A validator with the seed and the registry\n' +
    'reproduces it (docs/quality.md). Stores the sample and writes a CSV: who to visit, and an empty\n' +
    'column per fact to re-collect (memberCount, headGender, headBirthYear, headMaritalStatus,\n' +
    'disabledMembers, phone).',
  options: sampleDrawOptions,
  json: 'print {"sampleId","population","size","strata":[{stratum,population,size}],"file"}',
  examples: [
    'madad sample draw --seed flood-2026-r1',
    'madad sample draw --seed r2 --by enumerator --margin 0.03',
  ],
  run: async (input) => (await import('../commands/quality.js')).sampleDrawCommand(input),
});

export const sampleResultsOptions = {
  confidence: { type: 'string', value: 'C', help: "confidence of the intervals (default: the sample's)" },
} as const;

const results = defineCommand({
  name: 'sample results',
  summary: "import a validator's results and report error rates with confidence intervals",
  synopsis: ['sample results SAMPLE_ID FILE [--confidence C] [--json]'],
  description:
    'Reads FILE, the exported CSV with the re-collected columns filled in (an empty cell: not\n' +
    'collected), compares each value with the registry, and stores and prints the report: the error\n' +
    'rate of each field per stratum (Clopper-Pearson intervals) and registry-wide (stratified estimate,\n' +
    'Korn-Graubard interval), and the enumerators and tehsils whose error rate is out of line (at least\n' +
    '10 field checks, interval wholly above the registry-wide rate). Lines of another sample, outside the\n' +
    'sample or repeated are rejected with their reason.',
  options: sampleResultsOptions,
  positionals: { min: 2, max: 2 },
  json: 'print {"report": BackCheckReport, "rejected": [{line, reason}]}',
  examples: ['madad sample results BC-1A2B3C4D5E .madad/samples/BC-1A2B3C4D5E.csv'],
  run: async (input) => (await import('../commands/quality.js')).sampleResultsCommand(input),
});

export const sampleGroup = defineGroup({
  name: 'sample',
  summary: 'back-check and spot-check samples of the registry',
  description:
    'Reproducible stratified samples for a third-party validator, and the report of what it found.',
  subcommands: [draw, results],
});

export const inviteOptions = {
  round: {
    type: 'string',
    value: 'R',
    help: 'the update round; a household is invited once per round (default: the year)',
  },
  'older-than': {
    type: 'string',
    value: 'YEARS',
    default: '4',
    help: 'invite households surveyed more than YEARS ago',
  },
  limit: { type: 'string', value: 'N', default: '1000', help: 'invite at most N households this run' },
} as const;

const invite = defineCommand({
  name: 'updates invite',
  summary: 'invite households due for an update, by SMS, to confirm or correct their data',
  synopsis: ['updates invite [--round R] [--older-than YEARS] [--limit N] [--json]'],
  description:
    'Sends each household surveyed more than YEARS ago an SMS (through the outbound SMS queue, to its\n' +
    'first registry phone, in the language that phone last wrote in, Urdu script otherwise) inviting it\n' +
    'to confirm or correct its data at its tehsil desk, where an officer files a change request and\n' +
    'another approves it. Each invitation is recorded before it is queued: a household is never\n' +
    'invited twice in a round, and a re-run after a crash queues the same SMS, which the aggregator\n' +
    'refuses as a repeat.',
  options: inviteOptions,
  json: 'print {"due":N,"invited":N,"alreadyInvited":N,"withoutPhone":N}',
  examples: ['madad updates invite --limit 200', 'madad updates invite --round 2026 --older-than 5 --json'],
  run: async (input) => (await import('../commands/quality.js')).inviteCommand(input),
});

export const updatesGroup = defineGroup({
  name: 'updates',
  summary: 'dynamic updates of the registry',
  description: 'Invitations to households whose registry data is due for an update.',
  subcommands: [invite],
});
