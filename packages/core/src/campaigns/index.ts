export * from './cap-shards.js';
export * from './enroll-within-caps.js';
export * from './limits.js';
export * from './ports.js';
export * from './promote-waitlist.js';
export * from './replay-job.js';
export * from './replay-records.js';
export * from './waitlist-decision.js';
