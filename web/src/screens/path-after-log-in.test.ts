import { describe, expect, test } from 'vitest';
import { pathAfterLogIn } from './path-after-log-in';

const ORIGIN = 'https://taskflow.test';

describe('where the log-in screen goes next', () => {
  test('back to the screen that sent the person, query and all', () => {
    expect(pathAfterLogIn('/projects/7?status=open', ORIGIN)).toBe('/projects/7?status=open');
  });

  test.each([
    null,
    '',
    'projects',
    'https://evil.example/',
    '//evil.example',
    '/\\evil.example',
    '/\t/evil.example',
    '/\n/evil.example',
    '/%09/evil.example',
  ])('never to another origin: %j goes to the projects', (next) => {
    const path = pathAfterLogIn(next, ORIGIN);
    expect(new URL(path, ORIGIN).origin).toBe(ORIGIN);
    if (next !== '/%09/evil.example') expect(path).toBe('/projects');
  });
});
