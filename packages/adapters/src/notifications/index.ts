export * from './sms-send-rate.js';
