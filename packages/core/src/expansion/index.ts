export * from './activation-plan.js';
export * from './activation-progress.js';
export * from './impact-preview.js';
export * from './vertical-candidate.js';
