import type { Decision } from '../eligibility/decision.js';

/**
 * The decision of an eligible household that no cap had room for: WAITLISTED, with no amount (the
 * household is not told it will get money); the amount it would get stays among the inputs.
 */
export function waitlistedOf(decision: Decision): Decision {
  const { amount, ...rest } = decision;
  return {
    ...rest,
    status: 'WAITLISTED',
    reasons: ['CAP_REACHED'],
    inputs: { ...decision.inputs, ...(amount === undefined ? {} : { waitlistedAmount: amount }) },
  };
}
