export * from './public-figures.js';
