import type { Timestamp } from '../../building-blocks/infrastructure/database/timestamps.ts';

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string;
  created_at: Timestamp;
  version: number;
}

/** The tables `accounts` owns: schema `accounts` on PostgreSQL, prefix `accounts_` on SQLite. */
export type AccountsTables = {
  'accounts.users': UsersTable;
};
