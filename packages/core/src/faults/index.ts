export * from './crash-point.js';
