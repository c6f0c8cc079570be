import { pathToFileURL } from 'node:url';
import { type Command, type CommandDeclaration, isGroup, parseCommand, UsageError } from './command.js';
import { commands } from './command-list.js';
import { commandHelp, groupHelp, mainHelp, usageOf } from './help.js';

const wantsHelp = (args: readonly string[]) => {
  const end = args.indexOf('--');
  return (end === -1 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

function usageError(command: Command | undefined, message: string): number {
  const name = command ? `madad ${command.name}` : 'madad';
  console.error(
    `${name}: ${message}\n${command ? usageOf(command) : "Run 'madad --help' for the commands."}`,
  );
  return 2;
}

/** Entry point of `npx madad`; returns the exit code. Never lets a stack trace reach the operator. */
export async function main(argv: readonly string[], list: readonly Command[] = commands): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    if (name === undefined) console.error(mainHelp(list));
    else console.log(mainHelp(list));
    return name === undefined ? 2 : 0;
  }
  const command = list.find((c) => c.name === name);
  if (!command) return usageError(undefined, `unknown command '${name}'`);
  let declaration: CommandDeclaration;
  let args = rest;
  if (isGroup(command)) {
    const [sub, ...subArgs] = rest;
    if (sub === undefined || sub === '--help' || sub === '-h') {
      if (sub === undefined) return usageError(command, 'a subcommand is needed');
      console.log(groupHelp(command));
      return 0;
    }
    const found = command.subcommands.find((c) => c.name === `${name} ${sub}`);
    if (!found) return usageError(command, `unknown subcommand '${sub}'`);
    declaration = found;
    args = subArgs;
  } else declaration = command;
  if (wantsHelp(args)) {
    console.log(commandHelp(declaration));
    return 0;
  }
  try {
    return await declaration.run(parseCommand(declaration, args));
  } catch (error) {
    if (error instanceof UsageError) return usageError(declaration, error.message);
    // One line for the operator; MADAD_DEBUG=1 shows the whole error for a bug report.
    const message = error instanceof Error ? error.message : String(error);
    // The adapters' ConfigurationError: no stack was found to take the table and queue names from.
    const hint =
      error instanceof Error && error.name === 'ConfigurationError'
        ? " (no stack found: start one with 'npm start', or point at a deployed one with 'madad stack --stage dev')"
        : '';
    console.error(`madad ${declaration.name}: ${message}${hint}`);
    if (process.env.MADAD_DEBUG) console.error(error);
    return 1;
  }
}

// Run directly by `npm run madad` (tsx main.ts <command>); bin/madad.js imports the built bundle.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
