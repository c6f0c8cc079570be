import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseEnv } from 'node:util';
import { findRunningStack, resolveDataDir } from '@madad/local/state';

/** Written by `madad stack --stage S`: the deployed stack every command then works against. */
export const deployedStackEnvPath = (dataDir: string = resolveDataDir()) =>
  join(dataDir, 'deployed-stack.env');

/** The variables of the deployed stack `madad stack` chose, or undefined when it chose none. */
export async function readDeployedStackEnv(dataDir?: string): Promise<Record<string, string> | undefined> {
  try {
    const parsed = parseEnv(await readFile(deployedStackEnvPath(dataDir), 'utf8'));
    return Object.fromEntries(
      Object.entries(parsed).filter((e): e is [string, string] => e[1] !== undefined),
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Points this process at a stack: variables already exported win; then the deployed stack `madad stack`
 * wrote down; then the running local stack (its emulators' endpoints, table and queue names, secrets)
 * found through the data folder.
 */
export async function useRunningStackEnv(): Promise<{ httpUrl?: string }> {
  const apiUrl = () => process.env.MADAD_API_URL?.replace(/\/$/, '');
  if (process.env.MADAD_DYNAMODB_ENDPOINT || process.env.MADAD_STAGE === 'cloud') {
    const httpUrl = apiUrl();
    return httpUrl ? { httpUrl } : {};
  }
  const dataDir = resolveDataDir();
  const deployed = await readDeployedStackEnv(dataDir);
  if (deployed) {
    for (const [name, value] of Object.entries(deployed)) process.env[name] ??= value;
    const httpUrl = apiUrl();
    return httpUrl ? { httpUrl } : {};
  }
  const stack = await findRunningStack(dataDir);
  if (!stack) return {};
  for (const [name, value] of Object.entries(stack.env)) process.env[name] ??= value;
  return { httpUrl: stack.httpUrl };
}
