import { InboundSmsSchema, OutboundSmsSchema } from '@madad/core';
import * as z from 'zod';

const errorSchema = {
  type: 'object',
  properties: {
    error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
    requestId: { type: 'string' },
  },
};

const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
const staff = [{ bearer: [] }];

/** The OpenAPI document, with request and response bodies generated from the zod schemas. */
export function buildOpenApi(): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Madad',
      version: '0.1.0',
      description: 'Shock-responsive enrollment for social protection',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        webhookSignature: { type: 'apiKey', in: 'header', name: 'X-Madad-Signature' },
      },
    },
    paths: {
      '/health': { get: { summary: 'Liveness', responses: { 200: { description: 'OK' } } } },
      '/sms/inbound': {
        post: {
          summary: 'Inbound SMS from the aggregator; queued for reconciliation',
          security: [{ webhookSignature: [] }],
          requestBody: json(z.toJSONSchema(InboundSmsSchema)),
          responses: {
            200: { description: 'Queued' },
            400: { description: 'Bad shape', ...json(errorSchema) },
            401: { description: 'Bad or stale signature', ...json(errorSchema) },
            415: { description: 'Not JSON', ...json(errorSchema) },
          },
        },
      },
      '/api/v1/sms/outbound': {
        get: {
          summary: 'Replies sent to a phone, newest first',
          security: staff,
          parameters: [{ name: 'to', in: 'query', required: true, schema: { type: 'string' } }],
          responses: {
            200: {
              description: 'Replies',
              ...json({
                type: 'object',
                properties: { items: { type: 'array', items: z.toJSONSchema(OutboundSmsSchema) } },
              }),
            },
            401: { description: 'No or bad token', ...json(errorSchema) },
            403: { description: 'Role not allowed', ...json(errorSchema) },
          },
        },
      },
      '/api/v1/registrations': {
        get: {
          summary: 'The registration and decision recorded for an inbound message',
          security: staff,
          parameters: [{ name: 'messageId', in: 'query', required: true, schema: { type: 'string' } }],
          responses: {
            200: { description: 'Registration' },
            404: { description: 'Unknown', ...json(errorSchema) },
          },
        },
      },
    },
  };
}
