import { findRunningStack, resolveDataDir } from '@madad/local/state';

/**
 * Points this process at the running local stack (its emulators' endpoints, table and queue names,
 * secrets) found through the data folder, unless the environment already names endpoints (cloud).
 */
export async function useRunningStackEnv(): Promise<{ httpUrl?: string }> {
  if (process.env.MADAD_DYNAMODB_ENDPOINT || process.env.MADAD_STAGE === 'cloud') return {};
  const stack = await findRunningStack(resolveDataDir());
  if (!stack) return {};
  for (const [name, value] of Object.entries(stack.env)) process.env[name] ??= value;
  return { httpUrl: stack.httpUrl };
}
