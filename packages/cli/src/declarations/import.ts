import { defineCommand } from '../command.js';

export const importOptions = {
  rejects: {
    type: 'string',
    value: 'PATH',
    help: 'where the rejected lines go, each with its reason (default: beside FILE, .rejects.ndjson)',
  },
  concurrency: { type: 'string', value: 'N', default: '8', help: 'batch writes in flight at once' },
  'dry-run': {
    type: 'boolean',
    help:
      'read and check every line, print the counts and the top reasons for rejects (with the first\n' +
      'line of each), write nothing: no item, no reject file',
  },
  format: {
    type: 'string',
    value: 'csv|ndjson',
    help: 'the file format (default: from the name, .csv or .ndjson, else from the first line)',
  },
  codes: {
    type: 'string',
    value: 'FILE',
    help:
      'a JSON mapping of codes the file uses beyond the built-in ones, e.g.\n' +
      '{"gender": {"1": "male", "2": "female"}, "relation": {"1": "head"}} (docs/imports.md)',
  },
  'max-line-length': {
    type: 'string',
    value: 'N',
    default: '65536',
    help: 'longest line read, in characters; a longer line is rejected as LINE_TOO_LONG',
  },
  parallel: {
    type: 'boolean',
    help:
      "go through the stack's files bucket: upload FILE, split it into chunks of whole lines, and let the\n" +
      'import workers write the chunks in parallel (the default from 64 MiB; registry, identity, exclusions;\n' +
      'not with --dry-run; --format, --codes and --max-line-length go with the upload, so the workers decode\n' +
      'as this process would). Progress is printed until the summary; rejects are copied to --rejects',
  },
  'single-process': {
    type: 'boolean',
    help: 'import in this process even when FILE is 64 MiB or more',
  },
  watch: {
    type: 'string',
    value: 'IMPORT_ID',
    help: 'follow a parallel import (one started by an upload to the bucket, or by another madad import)',
  },
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
  summary: 'load a registry, identity, exclusion or areas (gazetteer) file',
  synopsis: [
    'import registry|identity|exclusions|areas FILE [--dry-run] [--format csv|ndjson] [--codes FILE] [--max-line-length N] [--rejects PATH] [--concurrency N] [--skip-registry-check] [--parallel|--single-process] [--json]',
    'import --watch IMPORT_ID [--json]',
  ],
  description:
    'Streams FILE (NDJSON, one record a line, or CSV with a header) into the registry of the running\n' +
    "local stack, or of the deployed stack 'madad stack' points at. Codes are read whatever their case\n" +
    '(F/M, HEAD, MARRIED); column names and codes are listed in docs/imports.md. A registry CSV has one\n' +
    'row per member with the household columns repeated, the rows of a household one after the other.\n' +
    'Every line is validated; a bad line goes to the reject file with its reason, nothing is silently\n' +
    'dropped. Re-running the same import is safe (idempotent).\n' +
    '  registry    households (householdId, province, district, tehsil, pmtScore, members[], phones[])\n' +
    "  identity    the ID authority's view (cnic, name, gender, birthYear, status, simPhones[])\n" +
    '  exclusions  the exclusion feed (cnic, filter, source, observedAt)\n' +
    '  areas       the gazetteer: a line per tehsil (province, district, tehsil, PBS codes, Urdu names);\n' +
    '              each district named replaces its tehsil list; others stay\n' +
    'A progress bar (percentage, lines a second, ETA) goes to stderr.',
  options: importOptions,
  // KIND FILE, or none with --watch (checked by the command).
  positionals: { min: 0, max: 2 },
  json: 'print the summary: {"kind","file","lines","imported","rejected","rejectedByReason",...}',
  examples: [
    'madad import registry .madad/generated/households.ndjson',
    'madad import identity nadra-extract.ndjson --rejects /tmp/identity-rejects.ndjson',
    'madad import exclusions feed.ndjson --json',
    'madad import registry nser-extract.csv --codes nser-codes.json --dry-run',
    'madad import areas gazetteer-2026.csv',
    'madad import registry national-extract.ndjson --parallel',
    'madad import --watch imp-0123456789abcdef',
  ],
  exitStatus: [
    '0  the file was read to the end (rejected lines are in the reject file)',
    '1  the import stopped (what was written stays; re-run it) or no stack was found',
    '2  usage error',
  ],
  run: async (input) => (await import('../commands/import.js')).importCommand(input),
});
