import { queueEnvName, queues, tableEnvName, tables } from '@madad/adapters';

/** The environment a deployed function sees, with fake resource names, for handler tests. */
export function stubFunctionEnv(stub: (name: string, value: string) => void): void {
  for (const id of Object.keys(tables) as (keyof typeof tables)[]) stub(tableEnvName(id), `test-${id}`);
  for (const id of Object.keys(queues) as (keyof typeof queues)[]) {
    stub(queueEnvName(id), `https://sqs.ap-south-1.amazonaws.com/123456789012/test-${id}`);
  }
  stub('AWS_REGION', 'ap-south-1');
  stub('MADAD_STAGE', 'local');
  stub('MADAD_SMS_WEBHOOK_SECRET', 'test-webhook-secret-0123456789');
  stub('MADAD_CNIC_PEPPER', 'test-pepper-0123456789abcdef');
  stub('MADAD_JWT_SECRET', 'test-jwt-secret-0123456789abcdef');
  stub('AWS_ACCESS_KEY_ID', 'test');
  stub('AWS_SECRET_ACCESS_KEY', 'test');
  stub('POWERTOOLS_LOG_LEVEL', 'ERROR');
}

export const TEST_SECRETS = {
  webhook: 'test-webhook-secret-0123456789',
  pepper: 'test-pepper-0123456789abcdef',
  jwt: 'test-jwt-secret-0123456789abcdef',
};
