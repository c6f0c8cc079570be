export * from './figures.js';
export * from './public-figures.js';
