export * from './public-figures.js';
export * from './figures.js';
