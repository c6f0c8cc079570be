/** One page of one activation work item, as its worker finished it. */
export interface ActivationPageRecord {
  readonly item: number;
  readonly items: number;
  readonly page: number;
  /** Households the page read from the area index (enrolled, waitlisted, already enrolled or skipped). */
  readonly households: number;
  /** The item's last page: nothing follows it. */
  readonly last: boolean;
  readonly at: string;
}

/**
 * Where an activation stands, page by page. A page is recorded once under its item and page number
 * (a redelivered page finds its record and changes nothing), so the sums never count a page twice.
 */
export interface ActivationProgressStore {
  /** Records the page unless it is recorded already. */
  recordPage(campaignId: string, page: ActivationPageRecord): Promise<void>;
  /** Every recorded page of the campaign's activation. */
  pages(campaignId: string): Promise<ActivationPageRecord[]>;
}

export interface ActivationProgress {
  /** Work items planned (0 when no page is recorded yet). */
  readonly items: number;
  /** Work items whose last page is recorded. */
  readonly itemsDone: number;
  readonly pages: number;
  readonly households: number;
  readonly done: boolean;
  readonly startedAt?: string;
  readonly lastPageAt?: string;
}

/** Sums an activation's page records into where it stands. */
export function summariseActivation(records: readonly ActivationPageRecord[]): ActivationProgress {
  const items = Math.max(0, ...records.map((r) => r.items));
  const itemsDone = new Set(records.filter((r) => r.last).map((r) => r.item)).size;
  const times = records.map((r) => r.at).sort();
  return {
    items,
    itemsDone,
    pages: records.length,
    households: records.reduce((sum, r) => sum + r.households, 0),
    done: items > 0 && itemsDone === items,
    ...(times[0] ? { startedAt: times[0] } : {}),
    ...(times.at(-1) ? { lastPageAt: times.at(-1) } : {}),
  };
}

/** Reads an activation's progress (for the console and `npx madad`). */
export async function readActivationProgress(
  deps: { readonly progress: ActivationProgressStore },
  campaignId: string,
): Promise<ActivationProgress> {
  return summariseActivation(await deps.progress.pages(campaignId));
}
