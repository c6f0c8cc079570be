import { defineCommand } from '../command.js';

export const redriveOptions = {
  method: {
    type: 'string',
    value: 'auto|move-task|copy',
    default: 'auto',
    help:
      "move-task: SQS's own message move task (AWS); copy: receive, re-send, delete in batches of ten\n" +
      '(the local emulator); auto: the move task where the endpoint has it, else copy',
  },
  max: { type: 'string', value: 'N', help: 'move at most N messages (copy only)' },
} as const;

export const redriveDeclaration = defineCommand({
  name: 'redrive',
  summary: "move a queue's dead-letter messages back onto the queue",
  synopsis: ['redrive QUEUE [--method auto|move-task|copy] [--max N] [--json]'],
  description:
    "Once the cause of the failures is fixed, moves the messages of QUEUE's dead-letter queue (from its\n" +
    'redrive policy) back onto QUEUE. QUEUE is a queue id of packages/adapters/src/resources.ts\n' +
    "(registrations, outbound, activation, replay). Works on the running local stack, or on the deployed stack 'madad\n" +
    "stack' points at. A crash midway duplicates messages (every consumer is idempotent), never loses one.",
  options: redriveOptions,
  positionals: { min: 1, max: 1 },
  json: 'print {"method":"move-task"|"copy","moved":N,"deadLetterQueueUrl":"...","queueUrl":"..."}',
  examples: ['madad redrive registrations', 'madad redrive outbound --method copy --max 100 --json'],
  run: async (input) => (await import('../commands/redrive.js')).redriveCommand(input),
});
