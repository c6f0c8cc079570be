import { parseArgs } from 'node:util';
import { issueStaffToken, loadSecrets } from '@madad/adapters';
import { StaffRoleSchema } from '@madad/core';
import { useRunningStackEnv } from '../stack-env.js';

/** `madad token --role R [--role R2] --user U [--ttl seconds]`: prints a staff JWT the stack accepts. */
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
  await useRunningStackEnv();
  const { jwtSecret } = await loadSecrets();
  const token = await issueStaffToken(
    jwtSecret,
    { user: values.user, roles: roles.flatMap((r) => (r.success ? [r.data] : [])) },
    Number(values.ttl),
  );
  console.log(token);
  return 0;
}
