import { defineCommand } from '../command.js';

export const importOptions = {
  rejects: {
    type: 'string',
    value: 'PATH',
    help: 'where the rejected lines go, each with its reason (default: beside FILE, .rejects.ndjson)',
  },
  concurrency: { type: 'string', value: 'N', default: '8', help: 'batch writes in flight at once' },
  'skip-registry-check': {
    type: 'boolean',
    help:
      'registry only: check duplicate CNICs within the file only, not against households already in the\n' +
      'registry (a first bulk load into an empty registry; faster). Without it, a re-import also unindexes\n' +
      'members a household no longer lists and lets them move to another household; with it, nothing is\n' +
      'reconciled.',
  },
} as const;

export const importDeclaration = defineCommand({
  name: 'import',
  summary: 'load a registry, identity or exclusion file into the registry',
  synopsis: [
    'import registry|identity|exclusions FILE [--rejects PATH] [--concurrency N] [--skip-registry-check] [--json]',
  ],
  description:
    'Streams FILE (NDJSON, one record a line) into the registry of the running local stack, or of the\n' +
    "deployed stack 'madad stack' points at. Every line is validated; a bad line goes to the reject file\n" +
    'with its reason, nothing is silently dropped. Re-running the same import is safe (idempotent).\n' +
    '  registry    households (householdId, province, district, tehsil, pmtScore, members[], phones[])\n' +
    "  identity    the ID authority's view (cnic, name, gender, birthYear, status, simPhones[])\n" +
    '  exclusions  the exclusion feed (cnic, filter, source, observedAt)\n' +
    'A progress bar (percentage, lines a second, ETA) goes to stderr.',
  options: importOptions,
  positionals: { min: 2, max: 2 },
  json: 'print the summary: {"kind","file","lines","imported","rejected","rejectedByReason",...}',
  examples: [
    'madad import registry .madad/generated/households.ndjson',
    'madad import identity nadra-extract.ndjson --rejects /tmp/identity-rejects.ndjson',
    'madad import exclusions feed.ndjson --json',
  ],
  exitStatus: [
    '0  the file was read to the end (rejected lines are in the reject file)',
    '1  the import stopped (what was written stays; re-run it) or no stack was found',
    '2  usage error',
  ],
  run: async (input) => (await import('../commands/import.js')).importCommand(input),
});
