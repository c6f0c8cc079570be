/**
 * Lambda keeps 100 of an account's concurrent executions unreserved in each Region, for the functions
 * without a reservation (https://docs.aws.amazon.com/lambda/latest/dg/configuration-concurrency.html).
 */
export const UNRESERVED_MINIMUM = 100;

/** What a deployment may run at once: reservations by function, event-source maxima by queue. */
export interface ConcurrencyDemand {
  readonly reserved: Readonly<Record<string, number>>;
  readonly eventSources: Readonly<Record<string, number>>;
}

/** The deployment asks for more concurrent executions than the account allows. */
export class AccountConcurrencyError extends Error {
  constructor(
    readonly needed: number,
    readonly quota: number,
  ) {
    super(
      `This deployment may run ${needed} Lambda executions at once (reservations, every queue's ` +
        `maximum concurrency and the ${UNRESERVED_MINIMUM} Lambda keeps unreserved), more than the ` +
        `account's ${quota}: raise the "Concurrent executions" quota in Service Quotas and deploy with ` +
        `-c accountConcurrency=<the new quota> (docs/deploy.md, "A national run")`,
    );
    this.name = 'AccountConcurrencyError';
  }
}

const sum = (values: Readonly<Record<string, number>>) =>
  Object.values(values).reduce((total, value) => total + value, 0);

/** Executions the deployment can have running at once when every consumer runs at its maximum. */
export function concurrencyNeeded(demand: ConcurrencyDemand): number {
  return sum(demand.reserved) + sum(demand.eventSources) + UNRESERVED_MINIMUM;
}

/**
 * Throws when the demand does not fit the quota: queue consumers beyond the account's pool would be
 * throttled, and a throttled SQS poll still counts as a receive, so messages would reach the DLQ.
 */
export function checkAccountConcurrency(demand: ConcurrencyDemand, quota: number): void {
  const needed = concurrencyNeeded(demand);
  if (needed > quota) throw new AccountConcurrencyError(needed, quota);
}
