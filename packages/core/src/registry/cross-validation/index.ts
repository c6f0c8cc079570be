export * from './name-key.js';
