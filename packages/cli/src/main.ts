import { pathToFileURL } from 'node:url';
import { auditCommand } from './commands/audit.js';
import { generateCommand } from './commands/generate.js';
import { importCommand } from './commands/import.js';
import { redriveCommand } from './commands/redrive.js';
import { referencesCommand } from './commands/references.js';
import { smsCommand } from './commands/sms.js';
import { surgeCommand } from './commands/surge.js';
import { tokenCommand } from './commands/token.js';

const commands: Record<string, { run: (args: string[]) => Promise<number>; help: string }> = {
  audit: {
    run: auditCommand,
    help: 'audit verify [--json]    check the audit ledger (keyed chain, head, anchor)',
  },
  token: { run: tokenCommand, help: 'token --role R --user U    print a staff token for the local stack' },
  sms: { run: smsCommand, help: 'sms "<text>" [--from P]     send a signed test SMS to the webhook' },
  generate: {
    run: generateCommand,
    help: 'generate --households N [--seed S] [--out DIR]    write a synthetic registry (3 NDJSON files)',
  },
  redrive: {
    run: redriveCommand,
    help: 'redrive QUEUE [--method auto|move-task|copy]    DLQ back to its queue',
  },
  references: {
    run: referencesCommand,
    help: 'references backfill [--json]    index the references sent before the index existed',
  },
  surge: { run: surgeCommand, help: 'surge [--messages M] [--rate R] [--url U]    rehearse a surge' },
  import: {
    run: importCommand,
    help: 'import registry|identity|exclusions FILE [--rejects PATH] [--concurrency N]    load into the registry',
  },
};

/** Entry point of `npx madad`; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  const command = name ? commands[name] : undefined;
  if (!command) {
    console.error(
      ['usage: madad <command>', ...Object.values(commands).map((c) => `  ${c.help}`)].join('\n'),
    );
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  return command.run(rest);
}

// Run directly by `npm run madad` (tsx main.ts <command>); bin/madad.js imports it.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
