export * from './dynamodb-notice-marks.js';
export * from './dynamodb-phone-languages.js';
export * from './sms-send-rate.js';
