export * from './back-check-fields.js';
export * from './back-check-report.js';
export * from './draw-sample.js';
export * from './estimates.js';
export * from './quality-household.js';
export * from './registry-health.js';
export * from './sample-size.js';
export * from './update-invitations.js';
