export * from './ports.js';
export * from './staff-sessions.js';
