import { z } from 'zod';
import { EMAIL_MAX_LENGTH } from '../../shared-kernel/domain/email-address.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordLength } from '../domain/password.ts';

/**
 * Zod's own pattern for addresses, with each label of the domain starting and ending with a
 * letter or digit (RFC 1035), as a client checking `format: email` expects: Zod's lets a label
 * end with a hyphen (`ann@mail-.example.com`), which such a client would refuse to read back.
 * The last label starts with a letter and has two characters or more (`com`, or the punycode
 * of an internationalised one, `xn--p1ai`).
 */
const EMAIL_PATTERN =
  /^(?:[A-Za-z0-9_'+-]+\.)*[A-Za-z0-9_'+-]*[A-Za-z0-9_+-]@(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z](?:[A-Za-z0-9-]*[A-Za-z0-9])$/;

const Email = z
  .email({ pattern: EMAIL_PATTERN, error: 'must be an email address' })
  .max(EMAIL_MAX_LENGTH, { error: `must be at most ${EMAIL_MAX_LENGTH} characters` })
  .meta({ examples: ['ann@example.com'] });

/**
 * Counted as the domain counts it (`passwordLength`: code points, after NFKC), once the text
 * as sent is known to be of a sane size (normalising costs in proportion).
 */
const Password = z
  .string()
  .max(1024, { error: `must be at most ${PASSWORD_MAX_LENGTH} characters` })
  .refine((password) => passwordLength(password) >= PASSWORD_MIN_LENGTH, {
    error: `must be at least ${PASSWORD_MIN_LENGTH} characters`,
    abort: true,
  })
  .refine((password) => passwordLength(password) <= PASSWORD_MAX_LENGTH, {
    error: `must be at most ${PASSWORD_MAX_LENGTH} characters`,
    abort: true,
  })
  .meta({
    minLength: PASSWORD_MIN_LENGTH,
    maxLength: PASSWORD_MAX_LENGTH,
    description: `${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters once NFKC-normalised.`,
    examples: ['correct horse battery staple'],
  });

/** A password as the login route takes it: any text, checked against the stored hash. */
const GivenPassword = z
  .string()
  .max(1024, { error: 'must be at most 1024 characters' })
  .meta({ examples: ['correct horse battery staple'] });

export const RegistrationRequest = z
  .object({
    email: z.string().trim().pipe(Email),
    password: Password,
  })
  .meta({ id: 'RegistrationRequest' });

/** The refresh grant (RFC 6749 §6): the refresh token in the body or, for a browser, in the cookie. */
const RefreshGrant = z.object({
  grant_type: z.literal('refresh_token'),
  refresh_token: z
    .string()
    .max(1024)
    .optional()
    .describe('The refresh token; absent when it travels in the refresh cookie.'),
});

/**
 * The login body as JSON: credentials (with `grant_type` `password`, or none), or the refresh
 * grant. Another `grant_type` is a 422, never read as a password login.
 */
export const JsonLoginRequest = z
  .union([
    z.object({
      grant_type: z.literal('password').optional(),
      email: z
        .string()
        .max(1024)
        .meta({ examples: ['ann@example.com'] }),
      password: GivenPassword,
    }),
    RefreshGrant,
  ])
  .meta({ id: 'JsonLoginRequest' });
export type JsonLoginRequest = z.infer<typeof JsonLoginRequest>;

/**
 * The login body as an OAuth2 form: the password grant (RFC 6749, section 4.3; the username is
 * the email) or the refresh grant.
 */
export const FormLoginRequest = z
  .discriminatedUnion('grant_type', [
    z.object({
      grant_type: z.literal('password'),
      username: z
        .string()
        .max(1024, { error: 'must be at most 1024 characters' })
        .describe('The email address.')
        .meta({ examples: ['ann@example.com'] }),
      password: GivenPassword,
    }),
    RefreshGrant,
  ])
  .meta({ id: 'FormLoginRequest' });
export type FormLoginRequest = z.infer<typeof FormLoginRequest>;

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
    access_token: z
      .string()
      .meta({ examples: ['eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIwMTkzIn0.c2lnbmF0dXJl'] }),
    token_type: z.literal('bearer'),
    expires_in: z
      .int32()
      .min(1)
      .describe('Seconds until the token expires.')
      .meta({ examples: [3600] }),
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

// Any case, as UUIDs may be written: the ids are stored in lower case (PostgreSQL's uuid type
// would match any case, SQLite's text would not).
export const SessionParams = z.object({
  sessionId: z.uuid({ error: 'must be a session id' }).toLowerCase(),
});

export const ChangePasswordRequest = z
  .object({
    currentPassword: z.string().max(1024),
    newPassword: Password,
  })
  .meta({ id: 'ChangePasswordRequest' });

export const DeleteAccountRequest = z
  .object({ password: z.string().max(1024) })
  .meta({ id: 'DeleteAccountRequest' });

export const ChangeEmailRequest = z
  .object({ email: z.string().trim().pipe(Email) })
  .meta({ id: 'ChangeEmailRequest' });

const UserId = z.uuid().meta({ examples: ['0193a1f2-7c4d-7e8f-9a0b-1c2d3e4f5a6b'] });

export const UserResponse = z.object({ id: UserId, email: Email }).meta({ id: 'User' });

export const CurrentUserResponse = z
  .object({
    id: UserId,
    email: Email,
    projects: z
      .array(
        z.object({
          id: z
            .int32()
            .min(1)
            .meta({ examples: [42] }),
          name: z.string().meta({ examples: ['My first project'] }),
        }),
      )
      .describe('The first 50 projects, oldest first: every project is on GET /api/projects.'),
  })
  .meta({ id: 'CurrentUser' });

const PublicKey = z
  .object({
    kty: z.literal('OKP'),
    crv: z.literal('Ed25519'),
    x: z.string().describe('The public key, base64url.'),
    kid: z.string().describe('The key id access tokens name in their header: its thumbprint.'),
    alg: z.literal('EdDSA'),
    use: z.literal('sig'),
  })
  .meta({ id: 'PublicKey' });

export const KeySetResponse = z
  .object({
    keys: z
      .array(PublicKey)
      .describe(
        'The key that signs new tokens, then those rotated out whose tokens may still be alive. Empty when tokens are signed with a shared secret (HS256).',
      ),
  })
  .meta({ id: 'KeySet' });
