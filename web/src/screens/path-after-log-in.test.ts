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
    '/..//evil.example',
    '/.//evil.example',
    '/%2e%2e//evil.example',
  ])('never to another origin: %j goes to the projects', (next) => {
    expect(pathAfterLogIn(next, ORIGIN)).toBe('/projects');
  });

  test('an encoded tab stays a path of this client', () => {
    expect(pathAfterLogIn('/%09/evil.example', ORIGIN)).toBe('/%09/evil.example');
  });
});
