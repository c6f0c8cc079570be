export * from './en.js';
export * from './household-phones.js';
export * from './render.js';
export * from './types.js';
export * from './update-invitation.js';
export * from './ur.js';
export * from './ur-latn.js';
