import { issueStaffToken, loadSecrets, MAX_STAFF_TOKEN_TTL_SECONDS } from '@madad/adapters';
import { StaffRoleSchema } from '@madad/core';
import { type CommandInput, UsageError, wholeNumber } from '../command.js';
import type { tokenOptions } from '../declarations/token.js';
import { useRunningStackEnv } from '../stack-env.js';

/**
 * `madad token --role R [--role R2] --user U [--ttl seconds]`: prints a staff JWT the stack accepts.
 * `--ttl` is at most 12 hours (43200 s), which is also the longest lifetime the stack accepts.
 */
export async function tokenCommand({ values }: CommandInput<typeof tokenOptions>): Promise<number> {
  if (values.role.length === 0) throw new UsageError('--role is required');
  if (!values.user) throw new UsageError('--user is required');
  const roles = values.role.map((role) => {
    const parsed = StaffRoleSchema.safeParse(role);
    if (!parsed.success) {
      throw new UsageError(`--role is one of ${StaffRoleSchema.options.join(', ')}, not '${role}'`);
    }
    return parsed.data;
  });
  const ttl = wholeNumber(values.ttl, '--ttl', 1, MAX_STAFF_TOKEN_TTL_SECONDS);
  await useRunningStackEnv();
  const { jwtSecret } = await loadSecrets();
  const token = await issueStaffToken(jwtSecret, { user: values.user, roles }, ttl);
  if (values.json) {
    const expiresAt = new Date(Date.now() + ttl * 1000).toISOString();
    console.log(JSON.stringify({ token, user: values.user, roles, expiresAt }));
  } else console.log(token);
  return 0;
}
