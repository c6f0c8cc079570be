export * from './notice-language.js';
export * from './payment-notices.js';
export * from './ports.js';
export * from './send-pacer.js';
export * from './top-up-notice.js';
