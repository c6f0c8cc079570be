export * from './household-standing.js';
export * from './payment-stage.js';
export * from './phones-per-cnic.js';
export * from './reference-index.js';
export * from './reply-at-rest.js';
