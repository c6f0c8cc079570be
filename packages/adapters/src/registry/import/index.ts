export * from './import-kinds.js';
export * from './number-set.js';
export * from './person-index.js';
export * from './reject-file.js';
export * from './run-import.js';
export * from './task-pool.js';
