import { defineCommand } from '../command.js';

export const smsOptions = {
  from: { type: 'string', value: 'PHONE', default: '+923001234567', help: 'the sender phone number' },
  url: {
    type: 'string',
    value: 'URL',
    help: "the stack's base URL (default: the running local stack, else http://127.0.0.1:$PORT)",
  },
  id: { type: 'string', value: 'MESSAGE_ID', help: "the aggregator's message id (default: a fresh one)" },
} as const;

export const smsDeclaration = defineCommand({
  name: 'sms',
  summary: 'send a correctly signed test SMS to the inbound webhook',
  synopsis: ['sms TEXT... [--from PHONE] [--url URL] [--id MESSAGE_ID] [--json]'],
  description:
    'Posts TEXT to /sms/inbound as the SMS aggregator would, signed with the webhook secret of the\n' +
    'running local stack (X-Madad-Signature), and prints the status and body of the answer. The reply to\n' +
    'the household arrives later on the outbound queue (GET /api/v1/sms/outbound?to=PHONE).',
  options: smsOptions,
  positionals: { min: 1, max: 64 },
  json: 'print {"status":N,"body":<the JSON answer>}',
  examples: ['madad sms "35202-1234567-1"', 'madad sms STATUS 35202-1234567-1 --from +923001112223'],
  exitStatus: ['0  the webhook accepted the message (2xx)', '1  it refused it', '2  usage error'],
  run: async (input) => (await import('../commands/sms.js')).smsCommand(input),
});
