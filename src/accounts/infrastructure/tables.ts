import type { Timestamp } from '../../building-blocks/infrastructure/database/timestamps.ts';

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  created_at: Timestamp;
  version: number;
}

/** Login attempts per account (see SqlLoginAttempts); times in milliseconds since the epoch. */
export interface LoginAttemptsTable {
  key: string;
  attempts: number;
  last_attempt_at: number;
  locked_until: number;
}

/** The tables `accounts` owns: schema `accounts` on PostgreSQL, prefix `accounts_` on SQLite. */
export type AccountsTables = {
  'accounts.users': UsersTable;
  'accounts.login_attempts': LoginAttemptsTable;
};
