import { sessionContract } from '../../../../tests/contracts/session-repository.contract.ts';
import { fakeAccounts } from './fake-accounts.ts';

sessionContract('in-memory fakes', async () => fakeAccounts());
