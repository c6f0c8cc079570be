export * from './activation-plan.js';
export * from './activation-progress.js';
export * from './expand-area.js';
export * from './expand-work-item.js';
export * from './impact-preview.js';
export * from './recent-campaigns.js';
export * from './vertical-candidate.js';
