import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../packages/cli/src/main.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('finding 7: madad token --ttl is bounded', () => {
  it.each([
    ['100 years', String(100 * 365 * 24 * 3600)],
    ['one second past 12 hours', String(12 * 3600 + 1)],
    ['zero', '0'],
    ['not a number', 'forever'],
  ])('refuses --ttl of %s with a clear error and exit code 2', async (_label, ttl) => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: unknown) => {
      errors.push(String(line));
    });
    const printed = vi.spyOn(console, 'log').mockImplementation(() => {});

    const code = await main(['token', '--role', 'admin', '--user', 'alice', '--ttl', ttl]);

    expect(code).toBe(2);
    expect(errors.join('\n')).toMatch(/--ttl takes a whole number from 1 to 43200, not/);
    expect(printed).not.toHaveBeenCalled();
  });
});
