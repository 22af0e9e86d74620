import { AggregateRoot } from '../../building-blocks/domain/aggregate-root.ts';
import type { Brand } from '../../building-blocks/domain/brand.ts';
import type { UserId } from '../../shared-kernel/domain/user-id.ts';

export type SessionId = Brand<string, 'SessionId'>;

/** The one-way hash of a refresh token: what is stored instead of the token. */
export type RefreshTokenHash = Brand<string, 'RefreshTokenHash'>;

/** How long a session may live: in all, and without being used (refreshed). */
export interface SessionLifetimes {
  absoluteSeconds: number;
  idleSeconds: number;
}

/** Everything a Session is made of, as a repository stores and restores it. */
export interface SessionState {
  id: SessionId;
  userId: UserId;
  refreshTokenHash: RefreshTokenHash;
  createdAt: Date;
  lastUsedAt: Date;
  /** The absolute end, fixed at login. */
  expiresAt: Date;
  /** The end if it is not used before: moves on at each refresh, never past `expiresAt`. */
  idleExpiresAt: Date;
  revokedAt: Date | null;
  /** As seen at login, for the person to recognise the session in their list. */
  clientAddress: string;
  userAgent: string;
  version: number;
}

/**
 * One login of one person on one device: the refresh token that renews its access tokens
 * belongs to it. A refresh token is good for one refresh (rotation); the hash it replaces is
 * kept as retired, so presenting it again can be recognised as a stolen copy.
 */
export class Session extends AggregateRoot<SessionId> {
  #state: SessionState;
  #retiredHash: RefreshTokenHash | undefined;

  private constructor(state: SessionState) {
    super(state.id, state.version);
    this.#state = { ...state };
  }

  static start(props: {
    id: SessionId;
    userId: UserId;
    refreshTokenHash: RefreshTokenHash;
    now: Date;
    lifetimes: SessionLifetimes;
    clientAddress: string;
    userAgent: string;
  }): Session {
    const expiresAt = after(props.now, props.lifetimes.absoluteSeconds);
    return new Session({
      id: props.id,
      userId: props.userId,
      refreshTokenHash: props.refreshTokenHash,
      createdAt: props.now,
      lastUsedAt: props.now,
      expiresAt,
      idleExpiresAt: earlier(after(props.now, props.lifetimes.idleSeconds), expiresAt),
      revokedAt: null,
      clientAddress: props.clientAddress,
      userAgent: props.userAgent,
      version: 0,
    });
  }

  static restore(state: SessionState): Session {
    return new Session(state);
  }

  get userId(): UserId {
    return this.#state.userId;
  }

  get refreshTokenHash(): RefreshTokenHash {
    return this.#state.refreshTokenHash;
  }

  /** The hash a rotation in this unit of work replaced, for the repository to keep. */
  get retiredRefreshTokenHash(): RefreshTokenHash | undefined {
    return this.#retiredHash;
  }

  /** Not revoked, not past its absolute end, not left unused too long. */
  isActiveAt(now: Date): boolean {
    return (
      this.#state.revokedAt === null &&
      now < this.#state.expiresAt &&
      now < this.#state.idleExpiresAt
    );
  }

  /** Replaces the refresh token (the caller checked `isActiveAt`); the old one is retired. */
  rotate(refreshTokenHash: RefreshTokenHash, now: Date, lifetimes: SessionLifetimes): void {
    this.#retiredHash = this.#state.refreshTokenHash;
    this.#state.refreshTokenHash = refreshTokenHash;
    this.#state.lastUsedAt = now;
    this.#state.idleExpiresAt = earlier(after(now, lifetimes.idleSeconds), this.#state.expiresAt);
  }

  /** Ends the session; its refresh token and access tokens stop working. Idempotent. */
  revoke(now: Date): void {
    this.#state.revokedAt ??= now;
  }

  toState(): SessionState {
    return { ...this.#state, version: this.version };
  }
}

const after = (time: Date, seconds: number) => new Date(time.getTime() + seconds * 1000);
const earlier = (a: Date, b: Date) => (a < b ? a : b);
