import type { StaffRole } from '@madad/core';

/** A role that must be granted (admin always may, so it is never listed). */
export type GrantedRole = Exclude<StaffRole, 'admin'>;

const WATCHERS = ['emergency-cell', 'program-officer', 'approver', 'auditor'] as const;
const CELL = ['emergency-cell'] as const;
const OFFICER = ['program-officer'] as const;
const CHECKER = ['approver'] as const;
const PAYMENT_STAFF = ['program-officer', 'approver', 'auditor'] as const;

/**
 * The one route-to-roles policy: each staff capability and the roles that hold it (admin holds all).
 * API routes declare `access: '<capability>'` (`routes/README.md`), console pages guard with
 * `staffOnly(deps, ...POLICY['<capability>'])`, and the authorization table names the same keys, so
 * the API, the console and the authorization test cannot disagree about who may do what.
 */
export const POLICY = {
  /** See campaigns, their figures and queue depths. */
  'campaigns.watch': WATCHERS,
  /** Declare, activate, close a campaign; change and preview its rules and limits; replay decisions. */
  'campaigns.run': CELL,
  /** Registrations and decisions by message id, replies sent to a phone. */
  'messages.read': ['program-officer', 'emergency-cell', 'auditor'],
  /** The appeals queue (and the review queue beside it). */
  'appeals.read': ['program-officer', 'auditor'],
  /** Resolve, confirm, decline, assign, annotate appeals. */
  'appeals.work': OFFICER,
  /** A household by id or CNIC (raw CNICs only for the roles `RAW_CNIC_ROLES` names, in the ledger). */
  'households.read': WATCHERS,
  /** Find households and read their profiles (every search in the ledger). */
  'households.profile': PAYMENT_STAFF,
  /** Verify provisional households, list them, file and decide change requests. */
  'households.work': OFFICER,
  /** Read payment batches. */
  'payments.read': PAYMENT_STAFF,
  /** Make a batch, stage the bank's results (maker). */
  'payments.make': OFFICER,
  /** Approve or reject a batch (checker: never its maker). */
  'payments.check': CHECKER,
  /** Download payment files, confirm results and failures (not their uploader). */
  'payments.files': ['program-officer', 'approver'],
  /** The audit ledger and its verification. */
  'audit.read': ['auditor'],
} as const satisfies Record<string, readonly GrantedRole[]>;

export type Capability = keyof typeof POLICY;

/** The roles of a capability, as a list for `requireRoles`/`staffOnly` spreads and `includes` checks. */
export const rolesOf = (capability: Capability): StaffRole[] => [...POLICY[capability]];
