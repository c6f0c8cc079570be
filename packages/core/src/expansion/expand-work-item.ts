import type { ActivationWork } from '../schemas.js';
import { type ExpandDeps, expandArea } from './expand-area.js';

/** What one invocation did with a work item: its pages' sums, and whether it queued the rest. */
export interface WorkItemRun {
  readonly pages: number;
  readonly enrolled: number;
  readonly waitlisted: number;
  readonly alreadyEnrolled: number;
  readonly skipped: number;
  /** The item's next page was queued as its own work item (the time ran out before its end). */
  readonly queuedNext: boolean;
}

/**
 * Expands a work item page after page in the same invocation while `carryOn()` says there is time
 * (asked after each page is recorded), then queues the next page as its own work item, as a single
 * page would. Skips the queue's round trip between pages of a long item. Resumable as a single page
 * is: each page is recorded before the next is started, and a crash at any point redelivers the
 * item's message, whose pages run again (enrolled households found enrolled, recorded pages found
 * recorded) up to where it stopped, then on.
 */
export async function expandWorkItem(
  deps: ExpandDeps,
  work: ActivationWork,
  carryOn: () => boolean,
): Promise<WorkItemRun> {
  const run = { pages: 0, enrolled: 0, waitlisted: 0, alreadyEnrolled: 0, skipped: 0, queuedNext: false };
  for (let current: ActivationWork | undefined = work; current; ) {
    const page = await expandArea(deps, current, carryOn);
    run.pages += 1;
    run.enrolled += page.enrolled;
    run.waitlisted += page.waitlisted;
    run.alreadyEnrolled += page.alreadyEnrolled;
    run.skipped += page.skipped;
    run.queuedNext = page.nextPage && !page.next;
    current = page.next;
  }
  return run;
}
