export * from './approve-change.js';
export * from './change-request-flow.js';
export * from './change-request-ports.js';
export * from './check-change.js';
export * from './person-name.js';
export * from './staff-user.js';
