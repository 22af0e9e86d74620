import { beforeEach, describe, expect, test } from 'vitest';
import { Serialized } from '../../../building-blocks/application/json.ts';
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
});
