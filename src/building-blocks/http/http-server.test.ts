import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { forWriting } from './http-server.ts';

const jsonSchema = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { target: 'draft-7', io: 'output', unrepresentable: 'any' });

describe('the schema a response serializer is compiled from', () => {
  test('keeps fields and types, writes T | null as a type list, drops validation keywords', () => {
    const schema = z.object({
      number: z.number().int(),
      completedAt: z.iso.datetime().nullable(),
      tags: z.array(z.string().min(1)),
    });

    expect(forWriting(jsonSchema(schema))).toMatchObject({
      type: 'object',
      properties: {
        number: { type: 'integer' },
        completedAt: { type: ['string', 'null'] },
        tags: { type: 'array', items: { type: 'string' } },
      },
      required: ['number', 'completedAt', 'tags'],
      additionalProperties: false,
    });
    expect(JSON.stringify(forWriting(jsonSchema(schema)))).not.toMatch(/pattern|format|minimum/);
  });

  test('a field named like a keyword is still a field', () => {
    const schema = z.object({ pattern: z.string(), format: z.number() });

    expect(forWriting(jsonSchema(schema))).toMatchObject({
      properties: { pattern: { type: 'string' }, format: { type: 'number' } },
    });
  });

  test('a nullable object stays a union', () => {
    const schema = z.object({ value: z.object({ id: z.number() }).nullable() });

    expect(forWriting(jsonSchema(schema))).toMatchObject({
      properties: { value: { anyOf: expect.any(Array) } },
    });
  });
});
