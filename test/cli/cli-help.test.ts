import { ConfigurationError } from '@madad/adapters';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type Command, defineCommand, isGroup, UsageError } from '../../packages/cli/src/command.js';
import { commands } from '../../packages/cli/src/command-list.js';
import { main } from '../../packages/cli/src/main.js';

/** Runs `madad ...args` in-process and keeps what it printed on stdout and stderr. */
async function madad(args: string[], list?: readonly Command[]) {
  const out: string[] = [];
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation((...parts: unknown[]) => {
    out.push(parts.join(' '));
  });
  vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => {
    err.push(parts.join(' '));
  });
  const code = await main(args, list);
  return { code, stdout: out.join('\n'), stderr: err.join('\n') };
}

afterEach(() => {
  vi.restoreAllMocks();
});

const everyCommand = commands.flatMap((c) => (isGroup(c) ? c.subcommands.map((s) => s.name) : [c.name]));
const groups = commands.filter(isGroup).map((g) => g.name);
const MAN_PAGE = ['NAME', 'SYNOPSIS', 'DESCRIPTION', 'OPTIONS', 'EXAMPLES', 'EXIT STATUS'];
const STACK_TRACE = /^\s+at .+:\d+/m;

describe('madad --help', () => {
  it('lists every command and subcommand with its one-line summary', async () => {
    const { code, stdout, stderr } = await madad(['--help']);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const name of everyCommand) expect(stdout).toMatch(new RegExp(`^\\s+${name}\\s+\\S`, 'm'));
  });

  it('prints the same page to stderr with exit 2 when no command is given', async () => {
    const { code, stdout, stderr } = await madad([]);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('COMMANDS');
  });
});

describe.each(everyCommand)('madad %s', (name) => {
  const words = name.split(' ');

  it('has a man page: NAME, SYNOPSIS, DESCRIPTION, OPTIONS, EXAMPLES, EXIT STATUS, on stdout, exit 0', async () => {
    const { code, stdout, stderr } = await madad([...words, '--help']);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    const positions = MAN_PAGE.map((title) => stdout.search(new RegExp(`^${title}$`, 'm')));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(stdout).toContain(`madad ${name} - `);
    expect(stdout).toMatch(/--help/);
  });

  it('refuses an unknown flag with the usage on stderr and exit 2, no stack trace', async () => {
    const { code, stdout, stderr } = await madad([...words, '--no-such-flag']);

    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`madad ${name}: Unknown option '--no-such-flag'`);
    expect(stderr).toMatch(new RegExp(`^usage: madad ${name}`, 'm'));
    expect(stderr).toContain(`Run 'madad ${name} --help'`);
    expect(stderr).not.toMatch(STACK_TRACE);
  });
});

describe.each(groups)('madad %s (a group)', (name) => {
  it('lists its subcommands in its own man page', async () => {
    const { code, stdout } = await madad([name, '--help']);

    expect(code).toBe(0);
    expect(stdout).toContain('COMMANDS');
    expect(stdout).toMatch(new RegExp(`^\\s+${name} \\w+`, 'm'));
  });

  it('refuses an unknown subcommand with exit 2', async () => {
    const { code, stderr } = await madad([name, 'frobnicate']);

    expect(code).toBe(2);
    expect(stderr).toContain("unknown subcommand 'frobnicate'");
  });
});

describe('errors reach the operator as one line', () => {
  const failing = (error: Error) =>
    defineCommand({
      name: 'explode',
      summary: 'fails',
      synopsis: ['explode'],
      description: 'Fails on purpose.',
      options: {},
      examples: ['madad explode'],
      run: async () => {
        throw error;
      },
    });

  it('prints a failure as `madad <command>: <message>` with exit 1 and no stack trace', async () => {
    const { code, stderr } = await madad(['explode'], [failing(new Error('the table is gone'))]);

    expect(code).toBe(1);
    expect(stderr).toBe('madad explode: the table is gone');
  });

  it('says where a stack comes from when no stack was found (a ConfigurationError)', async () => {
    const missing = new ConfigurationError('Missing environment variable MADAD_TABLE_REGISTRY');

    const { code, stderr } = await madad(['explode'], [failing(missing)]);

    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^madad explode: Missing environment variable MADAD_TABLE_REGISTRY \(no stack found: .*'madad stack --stage dev'\)$/,
    );
  });

  it('turns a UsageError from the command into the usage and exit 2', async () => {
    const { code, stderr } = await madad(['explode'], [failing(new UsageError('--x is out of range'))]);

    expect(code).toBe(2);
    expect(stderr).toMatch(/^madad explode: --x is out of range\nusage: madad explode\n/);
  });

  it('refuses an unknown command, a missing value and a bad value with exit 2', async () => {
    expect((await madad(['frobnicate'])).code).toBe(2);
    expect((await madad(['generate', '--households'])).stderr).toContain("Option '--households <value>'");
    const bad = await madad(['generate', '--households', 'many']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--households takes a whole number at least 1, not 'many'");
    expect((await madad(['token', '--role', 'admin'])).stderr).toContain('--user is required');
  });
});
