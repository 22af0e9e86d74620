import type { Serialized } from '../../../building-blocks/application/json.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';

export interface ProjectSummary {
  id: number;
  name: string;
}

/**
 * The user's projects, for `GET /users/me`. `accounts` declares what it needs; the
 * composition root plugs in the `projects` query, so neither context imports the other.
 */
export interface ProjectsOfUser {
  listProjectsOf(userId: UserId): Promise<Serialized<ProjectSummary[]>>;
}
