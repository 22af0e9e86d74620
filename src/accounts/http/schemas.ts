import { z } from 'zod';
import { EMAIL_MAX_LENGTH } from '../../shared-kernel/domain/email-address.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../domain/password.ts';

const Email = z.email({ error: 'must be an email address' }).max(EMAIL_MAX_LENGTH);

export const RegistrationRequest = z
  .object({
    email: z.string().trim().pipe(Email),
    password: z
      .string()
      .min(PASSWORD_MIN_LENGTH, { error: `must be at least ${PASSWORD_MIN_LENGTH} characters` })
      .max(PASSWORD_MAX_LENGTH, { error: `must be at most ${PASSWORD_MAX_LENGTH} characters` }),
  })
  .meta({ id: 'RegistrationRequest' });

/** OAuth2 password grant (form) or JSON; `username` is the email address. */
export const LoginRequest = z
  .object({
    grant_type: z.literal('password').optional(),
    username: z.string().max(1024).optional(),
    email: z.string().max(1024).optional(),
    password: z.string().max(1024),
  })
  .refine((body) => body.username !== undefined || body.email !== undefined, {
    error: 'either email or username is required',
    path: ['email'],
  })
  .meta({
    id: 'LoginRequest',
    description:
      'Either the OAuth2 password grant as application/x-www-form-urlencoded (grant_type=password&username=...&password=...) or JSON {email, password}.',
  });

export const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('bearer'),
    expires_in: z.number().int().describe('Seconds until the token expires.'),
  })
  .meta({ id: 'TokenResponse' });

export const ChangeEmailRequest = z
  .object({ email: z.string().trim().pipe(Email) })
  .meta({ id: 'ChangeEmailRequest' });

export const UserResponse = z.object({ id: z.uuid(), email: z.string() }).meta({ id: 'User' });

export const CurrentUserResponse = z
  .object({
    id: z.uuid(),
    email: z.string(),
    projects: z
      .array(z.object({ id: z.number().int(), name: z.string() }))
      .describe('The first 50 projects, oldest first: every project is on GET /api/projects.'),
  })
  .meta({ id: 'CurrentUser' });
