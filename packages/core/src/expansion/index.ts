export * from './impact-preview.js';
export * from './vertical-candidate.js';
