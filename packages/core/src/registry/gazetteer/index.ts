export * from './area-record.js';
export * from './gazetteer.js';
export * from './ports.js';
