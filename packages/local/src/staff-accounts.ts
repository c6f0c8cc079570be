import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE } from '@madad/adapters/private-files';
import { type StaffRole, StaffRoleSchema } from '@madad/core';
import * as z from 'zod';

/** A staff member of the embedded stack's OIDC provider: local-only, never a cloud user. */
export interface StaffAccount {
  /** What they type on the login page; also their stable user id (`sub`). */
  readonly username: string;
  readonly name: string;
  readonly roles: readonly StaffRole[];
  readonly password: string;
}

const AccountsFileSchema = z.object({
  accounts: z.array(
    z.strictObject({
      username: z.string().min(1),
      name: z.string().min(1),
      roles: z.array(StaffRoleSchema),
      password: z.string().min(12),
    }),
  ),
});

/** One person per role, and a second approver so maker-checker can be walked through end to end. */
export const SEEDED_STAFF: readonly Omit<StaffAccount, 'password'>[] = [
  { username: 'amina', name: 'Amina (emergency cell)', roles: ['emergency-cell'] },
  { username: 'pat', name: 'Pat (programme officer)', roles: ['program-officer'] },
  { username: 'sam', name: 'Sam (approver)', roles: ['approver'] },
  { username: 'noor', name: 'Noor (second approver)', roles: ['approver'] },
  { username: 'olga', name: 'Olga (auditor)', roles: ['auditor'] },
  { username: 'zara', name: 'Zara (administrator)', roles: ['admin'] },
];

export const STAFF_ACCOUNTS_FILE = 'staff-accounts.json';

/**
 * The seeded staff accounts of a data folder. Passwords are generated on the folder's first start and
 * kept in `staff-accounts.json` (0600, like the rest of the folder's secrets), so they survive restarts
 * and differ between machines; delete the file to get new ones.
 */
export async function loadStaffAccounts(dataDir: string): Promise<readonly StaffAccount[]> {
  const path = join(dataDir, STAFF_ACCOUNTS_FILE);
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (text !== undefined) return AccountsFileSchema.parse(JSON.parse(text)).accounts;
  const accounts = SEEDED_STAFF.map((account) => ({
    ...account,
    password: randomBytes(12).toString('base64url'),
  }));
  // `wx`: two stacks starting on one folder cannot both write it (the second fails loudly).
  await writeFile(path, `${JSON.stringify({ accounts }, null, 2)}\n`, {
    mode: PRIVATE_FILE_MODE,
    flag: 'wx',
  });
  return accounts;
}
