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

export interface SessionsTable {
  id: string;
  user_id: string;
  refresh_token_hash: string;
  created_at: Timestamp;
  last_used_at: Timestamp;
  expires_at: Timestamp;
  idle_expires_at: Timestamp;
  revoked_at: Timestamp | null;
  client_address: string;
  user_agent: string;
  version: number;
}

export interface RetiredRefreshTokensTable {
  token_hash: string;
  session_id: string;
}

/** The tables `accounts` owns: schema `accounts` on PostgreSQL, prefix `accounts_` on SQLite. */
export type AccountsTables = {
  'accounts.users': UsersTable;
  'accounts.login_attempts': LoginAttemptsTable;
  'accounts.sessions': SessionsTable;
  'accounts.retired_refresh_tokens': RetiredRefreshTokensTable;
};
