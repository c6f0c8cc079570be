/** Shards of a campaign's counters: each batch adds to one, so no counter item is hot (DESIGN.md). */
export const STATS_SHARDS = 16;
