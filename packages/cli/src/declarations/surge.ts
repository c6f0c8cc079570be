import { defineCommand } from '../command.js';

export const surgeOptions = {
  households: { type: 'string', value: 'N', default: '1000', help: 'households in the rehearsal population' },
  messages: { type: 'string', value: 'M', default: '5000', help: 'SMS messages to send' },
  rate: { type: 'string', value: 'R', default: '200', help: 'messages a second (0: as fast as possible)' },
  concurrency: { type: 'string', value: 'C', default: '32', help: 'HTTP connections to the webhook' },
  seed: { type: 'string', value: 'S', default: 'surge', help: 'seed of the population and the messages' },
  out: { type: 'string', value: 'DIR', default: '.madad/surge', help: 'where the population and report go' },
  'repeat-factor': { type: 'string', value: 'F', help: 'messages per household on average (at least 1)' },
  'keep-open': { type: 'boolean', help: 'leave the rehearsal campaign open afterwards' },
  'max-households': { type: 'string', value: 'N', help: 'cap the campaign at N enrolled households' },
  'budget-cap': { type: 'string', value: 'PKR', help: "cap the campaign's budget" },
  pay: {
    type: 'boolean',
    help:
      'after the drain, make, approve, export and settle payment batches with four different staff\n' +
      'users, and prove bank files = batches = budget = ledger and that the audit ledger verifies',
  },
  'batch-lines': { type: 'string', value: 'L', default: '1000', help: 'lines per payment batch (1 to 5000)' },
  url: { type: 'string', value: 'URL', help: 'a deployed stack instead of the running local stack' },
  secret: { type: 'string', value: 'WEBHOOK_SECRET', help: 'the webhook secret of --url' },
  'jwt-secret': { type: 'string', value: 'SECRET', help: 'the staff signing key of --url' },
  token: { type: 'string', value: 'JWT', help: 'a staff token for --url (instead of --jwt-secret)' },
} as const;

export const surgeDeclaration = defineCommand({
  name: 'surge',
  summary: 'rehearse a surge through the real webhook, with a report that proves nothing was lost',
  synopsis: [
    'surge [--households N] [--messages M] [--rate R] [--concurrency C] [--seed S] [--out DIR]',
    '      [--repeat-factor F] [--keep-open] [--max-households N] [--budget-cap PKR]',
    '      [--pay [--batch-lines L]] [--json]',
    'surge --url URL --secret WEBHOOK_SECRET (--jwt-secret SECRET | --token JWT) [...]',
  ],
  description:
    'Imports a seeded population, opens a rehearsal campaign and sends signed SMS at the given rate,\n' +
    'then waits for the queues to drain and checks every message: queued once, decided once, answered\n' +
    'once. Runs against the running local stack (npm start) unless --url is given; the population is\n' +
    'imported only into the local stack (a deployed one must already hold the same seed).\n' +
    '--max-households / --budget-cap cap the campaign; the report proves enrolled = min(cap, eligible) and\n' +
    'that every household past the cap was waitlisted and told so (local stack only).',
  options: surgeOptions,
  json: 'print the whole report as JSON (progress stays on stderr)',
  examples: [
    'madad surge',
    'madad surge --messages 20000 --rate 500 --json > surge.json',
    'madad surge --households 2000 --max-households 500 --pay',
  ],
  exitStatus: [
    '0  every check of the report holds',
    '1  a check failed (the report says which)',
    '2  usage error',
  ],
  run: async (input) => (await import('../commands/surge.js')).surgeCommand(input),
});
