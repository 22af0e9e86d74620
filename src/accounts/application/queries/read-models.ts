import type { Json } from '../../../building-blocks/application/json.ts';
import type { EmailAddress } from '../../../shared-kernel/domain/email-address.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import type { PasswordHash } from '../../domain/password.ts';

export interface UserView {
  id: string;
  email: string;
}

export interface ProjectSummary {
  id: number;
  name: string;
}

/** Reads of the accounts tables that skip the aggregate (CQRS). */
export interface UserReadModel {
  findUser(id: UserId): Promise<UserView | undefined>;
  findCredentials(
    email: EmailAddress,
  ): Promise<{ userId: UserId; passwordHash: PasswordHash } | undefined>;
}

/**
 * The user's projects, for `GET /users/me`. `accounts` declares what it needs; the
 * composition root plugs in the `projects` read model, so neither context imports the other.
 */
export interface ProjectsOfUser {
  listProjectsOf(userId: UserId): Promise<Json<ProjectSummary[]>>;
}
