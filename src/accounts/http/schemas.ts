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

/**
 * The OAuth2 token request: the password grant (form or JSON; `username` is the email
 * address), or the refresh grant (RFC 6749 §6) with the refresh token in the body or, for
 * a browser, in the cookie.
 */
export const LoginRequest = z
  .object({
    grant_type: z.enum(['password', 'refresh_token']).optional(),
    username: z.string().max(1024).optional(),
    email: z.string().max(1024).optional(),
    password: z.string().max(1024).optional(),
    refresh_token: z.string().max(1024).optional(),
  })
  .refine(
    (body) =>
      body.grant_type === 'refresh_token' ||
      body.username !== undefined ||
      body.email !== undefined,
    { error: 'either email or username is required', path: ['email'] },
  )
  .refine((body) => body.grant_type === 'refresh_token' || body.password !== undefined, {
    error: 'is required',
    path: ['password'],
  })
  .meta({
    id: 'LoginRequest',
    description:
      'Either the OAuth2 password grant as application/x-www-form-urlencoded (grant_type=password&username=...&password=...) or JSON {email, password}; or the refresh grant (grant_type=refresh_token&refresh_token=...), the token in the body or, with X-Refresh-Token-Transport: cookie, in the refresh cookie.',
  });

export const LoginHeaders = z.object({
  'x-refresh-token-transport': z
    .literal('cookie')
    .optional()
    .describe(
      'cookie: the refresh token travels in an HttpOnly cookie scoped to this route instead of the body (for browsers).',
    ),
});

export const TokenResponse = z
  .object({
    access_token: z.string(),
    token_type: z.literal('bearer'),
    expires_in: z.number().int().describe('Seconds until the access token expires.'),
    refresh_token: z
      .string()
      .optional()
      .describe('Single-use: a refresh answers a new one. Absent when it travels in the cookie.'),
  })
  .meta({ id: 'TokenResponse' });

export const SessionListResponse = z
  .object({
    sessions: z.array(
      z.object({
        id: z.uuid(),
        createdAt: z.iso.datetime(),
        lastUsedAt: z.iso.datetime().describe('The last login or refresh.'),
        clientAddress: z.string(),
        userAgent: z.string(),
        current: z.boolean().describe('The session of the token that asked.'),
      }),
    ),
  })
  .meta({ id: 'SessionList' });

export const SessionParams = z.object({ sessionId: z.uuid({ error: 'must be a session id' }) });

export const ChangePasswordRequest = z
  .object({
    currentPassword: z.string().max(1024),
    newPassword: z
      .string()
      .min(PASSWORD_MIN_LENGTH, { error: `must be at least ${PASSWORD_MIN_LENGTH} characters` })
      .max(PASSWORD_MAX_LENGTH, { error: `must be at most ${PASSWORD_MAX_LENGTH} characters` }),
  })
  .meta({ id: 'ChangePasswordRequest' });

export const DeleteAccountRequest = z
  .object({ password: z.string().max(1024) })
  .meta({ id: 'DeleteAccountRequest' });

export const ChangeEmailRequest = z
  .object({ email: z.string().trim().pipe(Email) })
  .meta({ id: 'ChangeEmailRequest' });

export const UserResponse = z.object({ id: z.uuid(), email: z.string() }).meta({ id: 'User' });

export const CurrentUserResponse = z
  .object({
    id: z.uuid(),
    email: z.string(),
    projects: z.array(z.object({ id: z.number().int(), name: z.string() })),
  })
  .meta({ id: 'CurrentUser' });
