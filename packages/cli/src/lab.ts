// What the measuring lab (tools/, `npm run bench`) uses of the operator CLI: the synthetic registry and
// the surge rehearsal's drivers. The lab imports the product; the product never imports the lab.
export type { GeneratedHousehold } from './generate/population.js';
export { generatePopulation } from './generate/population.js';
export { SeededRandom } from './generate/prng.js';
export { POPULATION_FILES, writePopulation } from './generate/write-population.js';
export { formatDuration } from './progress.js';
export { fire } from './surge/fire.js';
export { type MessageKind, type PlannedSms, planSurge, registrationText } from './surge/sms-mix.js';
export { StaffApi } from './surge/staff-api.js';
export { chooseDistricts, rehearsalCampaign } from './surge/surge-setup.js';
export { createWebhookClient, type InboundSms } from './surge/webhook-client.js';
