import { beforeEach, describe, expect, test } from 'vitest';
import { Serialized } from '../../../building-blocks/application/json.ts';
import { NotAuthenticated } from '../../../building-blocks/application/not-authenticated.ts';
import type { UserId } from '../../../shared-kernel/domain/user-id.ts';
import { fakeAccounts } from '../testing/fake-accounts.ts';
import { register } from '../testing/register.ts';
import { getCurrentUser } from './get-current-user.ts';

let deps: ReturnType<typeof fakeAccounts>;
beforeEach(() => {
  deps = fakeAccounts();
});

describe('GetCurrentUser', () => {
  test('combines the user with the projects the projects context reports', async () => {
    const user = await register(deps);
    const projects = {
      listProjectsOf: async () => Serialized.of([{ id: 1, name: 'My first project' }]),
    };

    const current = await getCurrentUser(
      { userId: user.id as UserId },
      { users: deps.users, projects },
    );
    expect(current.value()).toEqual({
      id: user.id,
      email: 'alice@example.com',
      projects: [{ id: 1, name: 'My first project' }],
    });
  });

  test('of an account deleted since the request was authenticated: 401, as an ended session', async () => {
    const projects = { listProjectsOf: async () => Serialized.of([]) };

    await expect(
      getCurrentUser(
        { userId: '0190b3a4-7c2e-7d1a-9f3e-2b4c6d8e0f12' as UserId },
        { users: deps.users, projects },
      ),
    ).rejects.toThrow(NotAuthenticated);
  });
});
