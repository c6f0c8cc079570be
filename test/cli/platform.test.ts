import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFile(new URL(`../../${path}`, import.meta.url), 'utf8');

describe('the platform promise', () => {
  it('says Node 22.12+ everywhere: engines, README, .nvmrc, and the pinned runtime satisfies it', async () => {
    const pkg = JSON.parse(await read('package.json'));
    const readme = await read('README.md');
    const pinned = String(pkg.devDependencies.node).replace(/^[\^~]/, '');
    const [major = 0, minor = 0] = pinned.split('.').map(Number);

    expect(pkg.engines.node).toBe('>=22.12');
    expect(readme).toContain('Requires Node.js 22.12 or newer');
    expect(readme).not.toMatch(/Node\.js 20/);
    expect((await read('.nvmrc')).trim()).toBe('22');
    expect(major === 22 && minor >= 12).toBe(true);
  });

  it('allows the install script of the pinned runtime by name (npm allowScripts)', async () => {
    const pkg = JSON.parse(await read('package.json'));

    expect(pkg.allowScripts).toMatchObject({ node: true });
  });

  it('runs in CI exactly the test command the README gives', async () => {
    const readme = await read('README.md');
    const ci = (await read('.ci/run')).split('\n');
    const command = /^(npm ci && npm test)\s+#/m.exec(readme)?.[1];

    expect(command).toBe('npm ci && npm test');
    expect(ci).toContain(command);
  });
});
