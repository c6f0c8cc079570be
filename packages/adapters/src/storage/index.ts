export * from './object-store.js';
export * from './s3-client.js';
export * from './storage-config.js';
