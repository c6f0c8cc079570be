import { defineCommand } from '../command.js';

export const tokenOptions = {
  role: {
    type: 'string',
    value: 'ROLE',
    multiple: true,
    help: 'a staff role: emergency-cell, program-officer, approver, auditor or admin (repeat for several)',
  },
  user: {
    type: 'string',
    value: 'ID',
    help: 'the stable user id the token is for (maker-checker compares it)',
  },
  ttl: {
    type: 'string',
    value: 'SECONDS',
    default: String(8 * 3600),
    help: 'lifetime, 1 to 43200 (12 hours, the longest the stack accepts)',
  },
} as const;

export const tokenDeclaration = defineCommand({
  name: 'token',
  summary: 'print a staff JWT the local stack accepts (for scripts and curl)',
  synopsis: ['token --role ROLE [--role ROLE ...] --user ID [--ttl SECONDS] [--json]'],
  description:
    "Signs a staff token with the running local stack's signing key (found through MADAD_DATA_DIR,\n" +
    'default .madad) and prints it. Deployed stacks sign staff in through Cognito instead.',
  options: tokenOptions,
  json: 'print {"token":"...","user":"...","roles":[...],"expiresAt":"<ISO 8601>"}',
  examples: [
    'madad token --role program-officer --user pat',
    'curl -H "authorization: Bearer $(npx madad token --role auditor --user olga)" http://127.0.0.1:3000/api/v1/audit',
  ],
  run: async (input) => (await import('../commands/token.js')).tokenCommand(input),
});
