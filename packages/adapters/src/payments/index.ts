import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { PaymentPorts } from '@madad/core';
import type { RuntimeConfig } from '../runtime/config.js';
import { DynamoDbBudgetLedger } from './dynamodb-budget-ledger.js';
import { DynamoDbPayeeDirectory } from './dynamodb-payee-directory.js';
import { DynamoDbPaymentBatchStore } from './dynamodb-payment-batch-store.js';
import { DynamoDbPaymentEnrollments } from './dynamodb-payment-enrollments.js';
import { DynamoDbPaymentHistory } from './dynamodb-payment-history.js';
import { DynamoDbResultImportStore } from './dynamodb-result-import-store.js';

export * from './dynamodb-budget-ledger.js';
export * from './dynamodb-payee-directory.js';
export * from './dynamodb-payment-batch-store.js';
export * from './dynamodb-payment-enrollments.js';
export * from './dynamodb-payment-history.js';
export * from './dynamodb-result-import-store.js';
export * from './s3-payment-files.js';

/** The payment ports on the operations table (payees from the registry table). */
export function createDynamoDbPaymentPorts(
  doc: DynamoDBDocumentClient,
  tables: Pick<RuntimeConfig['tables'], 'operations' | 'registry'>,
): PaymentPorts {
  return {
    batches: new DynamoDbPaymentBatchStore(doc, tables.operations),
    enrollments: new DynamoDbPaymentEnrollments(doc, tables.operations),
    payees: new DynamoDbPayeeDirectory(doc, tables.registry),
    budget: new DynamoDbBudgetLedger(doc, tables.operations),
    imports: new DynamoDbResultImportStore(doc, tables.operations),
    history: new DynamoDbPaymentHistory(doc, tables.operations),
  };
}
export * from './dynamodb-batch-job-store.js';
