export * from './codes.js';
export * from './columns.js';
export * from './decoder.js';
