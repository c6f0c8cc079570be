import { readFile, stat, utimes } from 'node:fs/promises';
import { describe, expect, it, vi } from 'vitest';
import { ensureBuilt } from '../../packages/cli/build.mjs';

const current = async () =>
  JSON.parse(await readFile(new URL('../../packages/cli/dist/current.json', import.meta.url), 'utf8')) as {
    dir: string;
    inputs: string[];
  };

describe('the CLI bundle (packages/cli/build.mjs)', () => {
  it('is reused while its sources are unchanged, and rebuilt once one of them changes', async () => {
    await ensureBuilt();
    const first = await current();
    await ensureBuilt();
    expect((await current()).dir).toBe(first.dir);
    const source = new URL('../../packages/cli/src/help.ts', import.meta.url);
    expect(first.inputs).toContain('packages/cli/src/help.ts');
    const { atime } = await stat(source);

    // Only the modification time moves (as an edit or a checkout would), not the content.
    await utimes(source, atime, new Date(Date.now() + 1000));
    const main = await ensureBuilt();

    const second = await current();
    expect(second.dir).not.toBe(first.dir);
    const printed = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    expect(await main(['--help'])).toBe(0);
    expect(String(printed.mock.calls[0]?.[0])).toContain('SYNOPSIS');
    printed.mockRestore();
  }, 180_000);
});
