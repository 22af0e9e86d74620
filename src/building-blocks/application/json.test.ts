import { describe, expect, test } from 'vitest';
import { type Json, Serialized } from './json.ts';

describe('Serialized', () => {
  test('keeps the JSON a database wrote, as it is, and gives its value', () => {
    const text = '[{"number":1,"name":"Say \\"hi\\""}]' as Json<{ number: number; name: string }[]>;

    const view = Serialized.fromJson(text);

    expect(view.json).toBe(text);
    expect(view.value()).toEqual([{ number: 1, name: 'Say "hi"' }]);
  });

  test('puts serialized members into an object without changing them', () => {
    const tasks = Serialized.fromJson('[ 1,2 ]' as Json<number[]>);

    const body = Serialized.object<{ id: string; tasks: number[] }>({
      id: Serialized.of('a "quoted" id'),
      tasks,
    });

    expect(body.json).toBe('{"id":"a \\"quoted\\" id","tasks":[ 1,2 ]}');
    expect(body.value()).toEqual({ id: 'a "quoted" id', tasks: [1, 2] });
  });

  test('gives a fresh copy of its value each time', () => {
    const view = Serialized.of([{ id: 1 }]);

    view.value().push({ id: 2 });

    expect(view.value()).toEqual([{ id: 1 }]);
  });
});
