import { describe, expect, test } from 'vitest';
import { pruneSchemas } from './openapi-schemas.ts';

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

describe('the component schemas of the document', () => {
  test('keep only those referenced, directly or through another schema', () => {
    const document = pruneSchemas({
      paths: {
        '/a': {
          get: { responses: { 200: { content: { 'application/json': { schema: ref('List') } } } } },
        },
      },
      components: {
        schemas: {
          List: { type: 'array', items: ref('Item') },
          Item: { type: 'object' },
          Unused: { type: 'string' },
        },
      },
    });

    expect(Object.keys(document.components.schemas)).toEqual(['Item', 'List']);
  });

  test('an input twin used alone keeps the plain name, and its references follow', () => {
    const document = pruneSchemas({
      paths: {
        '/a': {
          post: { requestBody: { content: { 'application/json': { schema: ref('ThingInput') } } } },
        },
      },
      components: {
        schemas: { Thing: { type: 'object' }, ThingInput: { type: 'object', title: 'in' } },
      },
    });

    expect(document.components.schemas).toEqual({ Thing: { type: 'object', title: 'in' } });
    expect(JSON.stringify(document.paths)).toContain('#/components/schemas/Thing"');
  });
});
