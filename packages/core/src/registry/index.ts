export * from './person-name.js';
