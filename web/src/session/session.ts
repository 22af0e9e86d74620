import { type Api, createApi } from '../api/client';
import { ProblemError, unwrap } from '../api/problems';

/** Asks the token route to keep the refresh token in its HttpOnly cookie (docs/api.md). */
const COOKIE_TRANSPORT = { 'x-refresh-token-transport': 'cookie' } as const;
const TOKEN_ROUTE = '/api/users/login';
/** The name under which tabs of one browser take turns to refresh (Web Locks API). */
const REFRESH_LOCK = 'taskflow-refresh';
/** How often a page that loads asks again when the service could not say whether the session lives. */
const RESTORE_ATTEMPTS = 4;

export type SessionState = 'unknown' | 'signed-in' | 'signed-out';

export interface SessionOptions {
  baseUrl?: string;
  /** The browser's fetch unless a test gives another. */
  fetch?: (request: Request) => Promise<Response>;
  /** Serialises refreshes across tabs; absent, each tab only serialises its own. */
  locks?: Pick<LockManager, 'request'>;
  /** Waits before asking again (a test gives one that does not wait). */
  wait?: (ms: number) => Promise<void>;
}

/**
 * The person's session in this tab. The access token lives in this object only (never in
 * localStorage or a readable cookie); the refresh token lives in an HttpOnly cookie that only
 * the token route sees, so no script can read either after the page is gone.
 *
 * - On load, `restore()` trades the cookie for an access token: a reload keeps the person in.
 * - A request answered 401 is renewed once (one refresh at a time, shared by every request
 *   waiting on it) and sent again; a refresh refused with 401 (the session ended) signs the
 *   person out. Any other failure of a refresh (429, 503, no answer) says nothing about the
 *   session: the request fails with that problem and the person stays signed in.
 * - Refresh tokens are single-use and a reused one ends the session (ADR 14), so two tabs
 *   must not refresh with one cookie at once: they take turns through a Web Lock.
 */
export class Session {
  /** The API with this session's token on every request. */
  readonly api: Api;
  /** The API without a token: the token route and registration. */
  readonly #public: Api;
  readonly #fetch: (request: Request) => Promise<Response>;
  readonly #locks: Pick<LockManager, 'request'> | undefined;
  readonly #wait: (ms: number) => Promise<void>;
  #accessToken: string | undefined;
  /** Whose session this tab is in (the access token's `sub`), once known. */
  #person: string | undefined;
  #accountDeleted = false;
  #endedElsewhere = false;
  #refreshing: Promise<boolean> | undefined;
  #state: SessionState = 'unknown';
  readonly #listeners = new Set<(state: SessionState) => void>();

  constructor(options: SessionOptions = {}) {
    this.#fetch = options.fetch ?? ((request) => fetch(request));
    this.#locks = options.locks;
    this.#wait = options.wait ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    const baseUrl = options.baseUrl ?? '';
    this.#public = createApi({ baseUrl, fetch: this.#fetch });
    this.api = createApi({ baseUrl, fetch: (request) => this.#authorised(request) });
  }

  get state(): SessionState {
    return this.#state;
  }

  /** Calls `listener` on every change of state; returns the unsubscribe function. */
  subscribe(listener: (state: SessionState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * On page load: signed in if the refresh cookie still names a live session. When the
   * service cannot say (busy, down, offline), it is asked again a little later, a few times,
   * before the page gives up and shows the login.
   */
  async restore(): Promise<SessionState> {
    if (this.#state !== 'unknown') return this.#state;
    for (let attempt = 1; this.#state === 'unknown'; attempt++) {
      try {
        this.#setState((await this.#refresh()) ? 'signed-in' : 'signed-out');
      } catch {
        if (attempt === RESTORE_ATTEMPTS) this.#setState('signed-out');
        else await this.#wait(attempt * 1000);
      }
    }
    return this.#state;
  }

  /** Logs in; a refusal is thrown as a ProblemError in the API's words. */
  async logIn(email: string, password: string): Promise<void> {
    const tokens = unwrap(
      await this.#public.POST(TOKEN_ROUTE, {
        params: { header: COOKIE_TRANSPORT },
        body: { email, password },
      }),
    );
    this.#signedIn(tokens.access_token);
    this.#setState('signed-in');
  }

  /** Registers, then logs in with the same credentials. */
  async signUp(email: string, password: string): Promise<void> {
    unwrap(await this.#public.POST('/api/users', { body: { email, password } }));
    await this.logIn(email, password);
  }

  /**
   * Ends the session on the service (which clears the cookie), then here. When the service
   * cannot be told, this throws and the person stays signed in: forgetting the token here
   * alone would leave the session, and the cookie, to whoever uses this browser next.
   */
  async logOut(): Promise<void> {
    try {
      unwrap(await this.api.POST('/api/users/logout'));
    } catch (error) {
      const alreadyEnded = error instanceof ProblemError && error.problem.status === 401;
      if (!alreadyEnded) throw error;
    }
    this.signedOut();
  }

  /**
   * Whether the person in this tab deleted their account, until the next log-in: the screens
   * of that account then send them to a log-in screen that says so, not to one that offers
   * to bring them back.
   */
  get accountDeleted(): boolean {
    return this.#accountDeleted;
  }

  /**
   * Whether the session ended while this tab was using it, not by a log-out here (a log-out in
   * another tab, a password change, the session ended from elsewhere), until the next log-in:
   * the log-in screen then says why the person has to log in again.
   */
  get endedElsewhere(): boolean {
    return this.#endedElsewhere;
  }

  /**
   * Forgets the access token: the session ended (logged out here, `ended` elsewhere, or
   * `account-deleted`, which is remembered whatever ends the session after it).
   */
  signedOut(reason?: 'account-deleted' | 'ended'): void {
    if (reason === 'account-deleted') this.#accountDeleted = true;
    this.#endedElsewhere = reason === 'ended';
    this.#accessToken = undefined;
    this.#person = undefined;
    this.#setState('signed-out');
  }

  #signedIn(accessToken: string): void {
    this.#accessToken = accessToken;
    this.#person = subjectOf(accessToken);
    this.#accountDeleted = false;
    this.#endedElsewhere = false;
  }

  async #authorised(request: Request): Promise<Response> {
    const retry = request.clone();
    const sent = this.#accessToken;
    const response = await this.#fetch(withToken(request, sent));
    if (response.status !== 401 || sent === undefined) return response;
    // The access token expired or its session ended: renew it once (unless another request
    // already did while this one was under way), then send the request again.
    const renewed = this.#accessToken !== sent || (await this.#refresh());
    if (!renewed) {
      this.signedOut('ended');
      return response;
    }
    const second = await this.#fetch(withToken(retry, this.#accessToken));
    if (second.status === 401) this.signedOut('ended');
    return second;
  }

  /** One refresh at a time: every caller that meets a 401 meanwhile waits for the same one. */
  #refresh(): Promise<boolean> {
    this.#refreshing ??= (
      this.#locks ? this.#locks.request(REFRESH_LOCK, () => this.#exchange()) : this.#exchange()
    ).finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /**
   * Trades the refresh cookie for a new access token (and a new cookie): false when the
   * session has ended; any other failure is thrown.
   *
   * The cookie is the browser's, shared by its tabs: after someone logs out in another tab
   * and logs in as someone else, it names that person's session. A tab still showing the
   * first person's screens must not act as the second: its session has ended.
   */
  async #exchange(): Promise<boolean> {
    try {
      const tokens = unwrap(
        await this.#public.POST(TOKEN_ROUTE, {
          params: { header: COOKIE_TRANSPORT },
          body: { grant_type: 'refresh_token' },
        }),
      );
      const person = subjectOf(tokens.access_token);
      if (this.#person !== undefined && person !== this.#person) return false;
      this.#signedIn(tokens.access_token);
      return true;
    } catch (error) {
      if (error instanceof ProblemError && error.problem.status === 401) return false;
      throw error;
    }
  }

  #setState(state: SessionState): void {
    if (state === this.#state) return;
    this.#state = state;
    for (const listener of this.#listeners) listener(state);
  }
}

function withToken(request: Request, token: string | undefined): Request {
  if (token !== undefined) request.headers.set('authorization', `Bearer ${token}`);
  return request;
}

/**
 * The `sub` claim of an access token (a JWT): read, not verified (the service verifies it on
 * every request), to tell whose token it is. Undefined for a token this cannot read.
 */
export function subjectOf(token: string): string | undefined {
  try {
    const payload = token.split('.')[1] ?? '';
    const json = atob(payload.replaceAll('-', '+').replaceAll('_', '/'));
    const { sub } = JSON.parse(json) as { sub?: unknown };
    return typeof sub === 'string' ? sub : undefined;
  } catch {
    return undefined;
  }
}
