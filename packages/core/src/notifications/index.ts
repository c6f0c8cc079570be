export * from './send-pacer.js';
