import { describe, expect, test } from 'vitest';
import { connectionTrouble, isSerializationFailure } from './errors.ts';

const pgError = (code: string, message = 'failed') => Object.assign(new Error(message), { code });

describe('how a PostgreSQL error is read', () => {
  test('a lost or refused connection, by SQLSTATE, socket code or pg message', () => {
    for (const error of [
      pgError('57P01', 'terminating connection due to administrator command'),
      pgError('08006'),
      pgError('ECONNREFUSED'),
      pgError('ECONNRESET'),
      pgError('ENOTFOUND'),
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout'),
      new Error('Client has encountered a connection error and is not queryable'),
    ]) {
      expect(connectionTrouble(error), error.message).toBe('lost');
    }
  });

  test('no connection to be had in time: the database is busy, not gone', () => {
    expect(connectionTrouble(new Error('timeout exceeded when trying to connect'))).toBe('busy');
    expect(connectionTrouble(pgError('53300', 'sorry, too many clients already'))).toBe('busy');
  });

  test('a statement that was wrong is no trouble with the connection', () => {
    for (const error of [pgError('23505'), pgError('42P01'), pgError('40001'), new Error('boom')]) {
      expect(connectionTrouble(error)).toBeUndefined();
    }
  });

  test('serialization failures and broken deadlocks, nothing else, may simply run again', () => {
    expect(isSerializationFailure(pgError('40001'))).toBe(true);
    expect(isSerializationFailure(pgError('40P01'))).toBe(true);
    expect(isSerializationFailure(pgError('23505'))).toBe(false);
  });
});
