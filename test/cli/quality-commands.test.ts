import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../packages/cli/src/main.js';

/** Runs `madad ...args` in-process and keeps what it printed on stderr. */
async function madad(args: string[]) {
  const err: string[] = [];
  vi.spyOn(console, 'log').mockImplementation(() => {});
  vi.spyOn(console, 'error').mockImplementation((...parts: unknown[]) => {
    err.push(parts.join(' '));
  });
  const code = await main(args);
  return { code, stderr: err.join('\n') };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('madad sample and updates refuse bad values before reaching any stack', () => {
  it.each([
    [['sample', 'draw'], '--seed is required'],
    [
      ['sample', 'draw', '--seed', 's', '--by', 'village'],
      '--by is one of district, tehsil, enumerator, source',
    ],
    [['sample', 'draw', '--seed', 's', '--confidence', '95'], '--confidence takes a number between 0 and 1'],
    [['sample', 'draw', '--seed', 's', '--size', '0'], '--size takes a whole number from 1 to 3000'],
    [['sample', 'results', 'BC-0123456789'], 'missing argument'],
    [['updates', 'invite', '--round', 'x y'], '--round takes letters, digits and dashes'],
    [['quality', '--stale-years', '0'], '--stale-years takes a whole number from 1 to 50'],
  ])('madad %j: exit 2 saying %s', async (args, message) => {
    const { code, stderr } = await madad(args);

    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });
});
