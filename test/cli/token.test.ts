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

describe('madad token --json', () => {
  it('prints one JSON document: the token, its user, roles and expiry', async () => {
    const printed = vi.spyOn(console, 'log').mockImplementation(() => {});

    const code = await main([
      'token',
      '--role',
      'auditor',
      '--role',
      'approver',
      '--user',
      'olga',
      '--ttl',
      '60',
      '--json',
    ]);

    expect(code).toBe(0);
    const report = JSON.parse(String(printed.mock.calls[0]?.[0]));
    expect(report).toMatchObject({ user: 'olga', roles: ['auditor', 'approver'] });
    expect(report.token.split('.')).toHaveLength(3);
    const seconds = (Date.parse(report.expiresAt) - Date.now()) / 1000;
    expect(seconds).toBeGreaterThan(0);
    expect(seconds).toBeLessThanOrEqual(60);
  });
});
