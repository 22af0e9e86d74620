import { passwordHasherContract } from '../../../../tests/contracts/password-hasher.contract.ts';
import { FakePasswordHasher } from './fake-password-hasher.ts';

passwordHasherContract('the fake', () => new FakePasswordHasher());
