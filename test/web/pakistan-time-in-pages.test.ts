import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const WEB = join(process.cwd(), 'packages', 'api', 'src', 'web');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** Code lines only: a comment may explain that stored times are UTC. */
function codeLines(text: string): { line: number; code: string }[] {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, (block) => block.replace(/[^\n]/g, ' '))
    .split('\n')
    .map((code, i) => ({ line: i + 1, code: code.replace(/(^|[^:'"`])\/\/.*$/, '$1') }));
}

/**
 * The ways a UTC time used to reach a page: an ISO string cut and tidied for display, its time of day
 * cut out, or a "UTC" label. (An ISO string cut to make a key, as the rate chart's minutes, is data.)
 */
const UTC_SHOWN = [/\bUTC\b/, /\.slice\(0, 1[0-9]\)\.replace\('T'/, /\.slice\(11(, \d+)?\)/];

describe('times on the web pages and the console', () => {
  it('are formatted in Pakistan time: no page or console source cuts an ISO string or labels a time UTC', () => {
    const files = sources(WEB);
    const offending = files.flatMap((file) =>
      codeLines(readFileSync(file, 'utf8'))
        .filter(({ code }) => UTC_SHOWN.some((pattern) => pattern.test(code)))
        .map(({ line, code }) => `${relative(WEB, file)}:${line}: ${code.trim()}`),
    );

    expect(files.length).toBeGreaterThan(20);
    expect(offending).toEqual([]);
  });
});
