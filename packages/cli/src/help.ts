import type { Command, CommandDeclaration, CommandGroup } from './command.js';
import { isGroup } from './command.js';

const indent = (text: string, by = '       ') =>
  text
    .split('\n')
    .map((line) => (line ? by + line : line))
    .join('\n');

const section = (title: string, body: string) => `${title}\n${indent(body)}`;

function optionLines(declaration: CommandDeclaration): string {
  const entries = Object.entries(declaration.options).map(([name, option]) => {
    const flag = `${option.short ? `-${option.short}, ` : ''}--${name}${option.value ? ` ${option.value}` : ''}`;
    const more = option.default !== undefined ? ` (default: ${option.default})` : '';
    return `${flag}\n${indent(option.help + more, '    ')}`;
  });
  if (declaration.json) entries.push(`--json\n${indent(declaration.json, '    ')}`);
  entries.push('-h, --help\n    print this page and exit');
  return entries.join('\n');
}

const DEFAULT_EXIT = ['0  success', '1  the command ran and failed (the message says why)', '2  usage error'];

/** The man page of a command: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXAMPLES, EXIT STATUS. */
export function commandHelp(declaration: CommandDeclaration): string {
  return [
    section('NAME', `madad ${declaration.name} - ${declaration.summary}`),
    section('SYNOPSIS', declaration.synopsis.map((line) => `madad ${line}`).join('\n')),
    section('DESCRIPTION', declaration.description),
    section('OPTIONS', optionLines(declaration)),
    section('EXAMPLES', declaration.examples.join('\n')),
    section('EXIT STATUS', (declaration.exitStatus ?? DEFAULT_EXIT).join('\n')),
  ].join('\n\n');
}

/** The man page of a group: its subcommands with their synopses. */
export function groupHelp(group: CommandGroup): string {
  return [
    section('NAME', `madad ${group.name} - ${group.summary}`),
    section(
      'SYNOPSIS',
      group.subcommands.flatMap((c) => c.synopsis.map((line) => `madad ${line}`)).join('\n'),
    ),
    section('DESCRIPTION', group.description),
    section('COMMANDS', group.subcommands.map((c) => `${c.name.padEnd(22)} ${c.summary}`).join('\n')),
    section('OPTIONS', '-h, --help\n    print this page and exit'),
    section('EXAMPLES', group.subcommands.map((c) => `madad ${c.name} --help`).join('\n')),
    section('EXIT STATUS', DEFAULT_EXIT.join('\n')),
  ].join('\n\n');
}

/** `madad --help`: every command, one line each. */
export function mainHelp(commands: readonly Command[]): string {
  const lines = commands.flatMap((command) =>
    isGroup(command)
      ? command.subcommands.map((c) => [c.name, c.summary])
      : [[command.name, command.summary]],
  );
  return [
    section('NAME', 'madad - operator commands of the Madad enrollment system'),
    section('SYNOPSIS', 'madad COMMAND [ARGUMENTS] [OPTIONS]\nmadad COMMAND --help'),
    section(
      'DESCRIPTION',
      'Works against the running local stack (npm start; found through MADAD_DATA_DIR, default .madad),\n' +
        "or against a deployed stack once 'madad stack --stage STAGE' has written its settings.",
    ),
    section('COMMANDS', lines.map(([name = '', summary]) => `${name.padEnd(22)} ${summary}`).join('\n')),
    section('OPTIONS', '-h, --help\n    print this page and exit'),
    section('EXAMPLES', 'madad generate --households 1000\nmadad import --help'),
    section('EXIT STATUS', DEFAULT_EXIT.join('\n')),
  ].join('\n\n');
}

/** The short form printed with a usage error: the synopsis and where the whole page is. */
export function usageOf(command: Command): string {
  const synopsis = isGroup(command) ? command.subcommands.flatMap((c) => c.synopsis) : command.synopsis;
  return [
    ...synopsis.map((line, i) => `${i === 0 ? 'usage: ' : '       '}madad ${line}`),
    `Run 'madad ${command.name} --help' for the whole page.`,
  ].join('\n');
}
