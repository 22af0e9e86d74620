import { describe, expect, test } from 'vitest';
import {
  isConnectionFailure,
  isSerializationFailure,
  permanentConnectionProblem,
} from './errors.ts';

const pgError = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('how a PostgreSQL error is read', () => {
  test('a lost or refused connection, by SQLSTATE, socket code or pg message', () => {
    for (const error of [
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('08006'),
      pgError('ECONNREFUSED'),
      pgError('ECONNRESET'),
      new Error('Connection terminated unexpectedly'),
      new Error('Client has encountered a connection error and is not queryable'),
      new Error('timeout exceeded when trying to connect'),
    ]) {
      expect(isConnectionFailure(error), error.message).toBe(true);
    }
  });

  test('a statement that was wrong is not a connection failure', () => {
    for (const error of [pgError('23505'), pgError('42P01'), pgError('40001'), new Error('boom')]) {
      expect(isConnectionFailure(error)).toBe(false);
    }
  });

  test('serialization failures and broken deadlocks, nothing else, may simply run again', () => {
    expect(isSerializationFailure(pgError('40001'))).toBe(true);
    expect(isSerializationFailure(pgError('40P01'))).toBe(true);
    expect(isSerializationFailure(pgError('23505'))).toBe(false);
  });

  test('at start-up, what waiting cannot cure is told as what to do', () => {
    expect(permanentConnectionProblem(pgError('3D000', 'database "x" does not exist'))).toMatch(
      /^database "x" does not exist: create it/,
    );
    expect(
      permanentConnectionProblem(pgError('28P01', 'password authentication failed for user "u"')),
    ).toMatch(/^password authentication failed for user "u": check the user name and password/);
    expect(permanentConnectionProblem(pgError('28000', 'role "r" does not exist'))).toMatch(
      /check the user name and password/,
    );
    expect(permanentConnectionProblem(pgError('ERR_INVALID_URL', 'Invalid URL'))).toMatch(
      /DATABASE_URL is not a valid URL/,
    );
  });

  test('at start-up, a server that is not up yet is worth waiting for', () => {
    expect(permanentConnectionProblem(pgError('ECONNREFUSED'))).toBeUndefined();
    expect(
      permanentConnectionProblem(pgError('57P03', 'the database system is starting up')),
    ).toBeUndefined();
  });
});
