export * from './cross-validate-roster.js';
export * from './cross-validation-report.js';
export * from './name-key.js';
export * from './rectification-ports.js';
export * from './rectify.js';
export * from './roster-fields.js';
