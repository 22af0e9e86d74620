import { passwordHasherContract } from '../../../tests/contracts/password-hasher.contract.ts';
import { Argon2PasswordHasher } from './argon2-password-hasher.ts';

// Cheap parameters: the contract is about behaviour, crypto.test.ts checks the real ones.
passwordHasherContract(
  'Argon2id',
  () => new Argon2PasswordHasher({ memory: 1024, passes: 2, parallelism: 1 }),
);
