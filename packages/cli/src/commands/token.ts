import { parseArgs } from 'node:util';
import { issueStaffToken, loadSecrets, MAX_STAFF_TOKEN_TTL_SECONDS } from '@madad/adapters';
import { StaffRoleSchema } from '@madad/core';
import { useRunningStackEnv } from '../stack-env.js';

/**
 * `madad token --role R [--role R2] --user U [--ttl seconds]`: prints a staff JWT the stack accepts.
 * `--ttl` is at most 12 hours (43200 s), which is also the longest lifetime the stack accepts.
 */
export async function tokenCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      role: { type: 'string', multiple: true },
      user: { type: 'string' },
      ttl: { type: 'string', default: String(8 * 3600) },
    },
  });
  const roles = (values.role ?? []).map((r) => StaffRoleSchema.safeParse(r));
  const bad = roles.find((r) => !r.success);
  if (roles.length === 0 || bad || !values.user) {
    console.error(
      `usage: madad token --role <${StaffRoleSchema.options.join('|')}> --user <id> [--ttl seconds]`,
    );
    return 2;
  }
  const ttl = Number(values.ttl);
  if (!/^\d+$/.test(values.ttl) || ttl < 1 || ttl > MAX_STAFF_TOKEN_TTL_SECONDS) {
    console.error(
      `madad token: --ttl is a whole number of seconds from 1 to ${MAX_STAFF_TOKEN_TTL_SECONDS} (12 hours), not "${values.ttl}"`,
    );
    return 2;
  }
  await useRunningStackEnv();
  const { jwtSecret } = await loadSecrets();
  const token = await issueStaffToken(
    jwtSecret,
    { user: values.user, roles: roles.flatMap((r) => (r.success ? [r.data] : [])) },
    ttl,
  );
  console.log(token);
  return 0;
}
