import { Argon2PasswordHasher } from '../../src/accounts/infrastructure/argon2-password-hasher.ts';
import { type App, buildApp, type Overrides } from '../../src/app.ts';
import type { Config } from '../../src/config.ts';
import { ResponseContract, type SeenResponse } from './response-contract.ts';
import { WorkerProcess } from './server-process.ts';
import { brokerEnvironment, brokerNamespaceOf, THROUGH_BROKER } from './test-broker.ts';
import { testConfig } from './test-config.ts';
import { type FreshDatabase, freshDatabase } from './test-database.ts';

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface RequestOptions {
  token?: string;
  json?: unknown;
  form?: Record<string, string>;
  /** Sent as it is, for malformed-input tests. */
  rawBody?: string;
  headers?: Record<string, string>;
}

/**
 * Argon2id at a test's cost (1 MiB, one pass) unless a test brings its own hasher: at the
 * service's (19 MiB, two passes), hashing was a quarter of the CPU of the files that log in
 * most (accounts-api, login-throttling, sessions-api: 24 s, 18 s with this), on a suite that
 * runs three files at a time on two cores. The service's own parameters are tested with its
 * hasher (argon2-password-hasher.test.ts) and measured by the benchmark; the services these
 * tests start as processes (ServerProcess: the browser tests, the crash tests) keep them.
 */
const testHasher = () => new Argon2PasswordHasher({ memory: 1024, passes: 1, parallelism: 1 });

/**
 * A real instance of the service on a free local port, driven over HTTP with fetch.
 * Each test file gets its own database.
 */
export class TestApi {
  readonly app: App;
  readonly baseUrl: string;
  readonly #database: FreshDatabase;
  readonly #worker: WorkerProcess | undefined;
  #contract: Promise<ResponseContract> | undefined;
  #emails = 0;

  private constructor(app: App, baseUrl: string, database: FreshDatabase, worker?: WorkerProcess) {
    this.app = app;
    this.baseUrl = baseUrl;
    this.#database = database;
    this.#worker = worker;
  }

  /**
   * Starts the service on a fresh database of the dialect under test (see test-database.ts);
   * `reach` may change the URL the service connects with (through a proxy, say). The
   * overrides may depend on that URL (a `database` opened on it, say). Through the broker (the
   * e2e-broker project), messages go through RabbitMQ to a worker process.
   */
  static async start(
    config: Partial<Config> = {},
    overrides: Overrides | ((databaseUrl: string) => Overrides) = {},
    reach: (databaseUrl: string) => string = (url) => url,
  ): Promise<TestApi> {
    const database = await freshDatabase();
    const databaseUrl = reach(database.url);
    const viaBroker = THROUGH_BROKER && {
      broker: {
        url: brokerEnvironment(database.url).BROKER_URL as string,
        namespace: brokerNamespaceOf(database.url),
      },
      runWorkers: false,
    };
    const settings = testConfig({ databaseUrl, ...viaBroker, ...config });
    const worker =
      viaBroker &&
      WorkerProcess.start({
        NODE_ENV: 'test',
        DATABASE_URL: databaseUrl,
        JWT_SECRET: settings.jwtSecret as string,
        ...brokerEnvironment(database.url),
      });
    try {
      const given = typeof overrides === 'function' ? overrides(databaseUrl) : overrides;
      const app = await buildApp(settings, { hasher: testHasher(), ...given });
      const address = await app.http.listen({ host: '127.0.0.1', port: 0 });
      if (worker) await worker.ready();
      return new TestApi(app, address, database, worker || undefined);
    } catch (error) {
      if (worker) await worker.kill();
      throw error;
    }
  }

  /** The database this instance runs on, for another process of the service to share. */
  get databaseUrl(): string {
    return this.#database.url;
  }

  async close(): Promise<void> {
    await this.#worker?.stop();
    await this.app.http.close();
    await this.#database.drop();
  }

  async request<T = any>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<ApiResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    } else if (options.rawBody !== undefined) {
      body = options.rawBody;
    }
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(new URL(path, this.baseUrl), { method, headers, body });
    const text = await response.text();
    await this.#holdToContract(method, path, {
      status: response.status,
      headers: response.headers,
      text,
    });
    let parsed: unknown = text;
    if (text && /json/.test(response.headers.get('content-type') ?? '')) parsed = JSON.parse(text);
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /**
   * Every response this client receives is checked against the OpenAPI document the service
   * serves (see response-contract.ts): a response the document does not describe fails the
   * test that caused it.
   */
  async #holdToContract(method: string, path: string, response: SeenResponse): Promise<void> {
    this.#contract ??= fetch(new URL('/openapi.json', this.baseUrl))
      .then((served) => served.json())
      .then((document) => new ResponseContract(document as Record<string, unknown>));
    const problems = (await this.#contract).check(method, path, response);
    if (problems.length > 0) {
      throw new Error(
        `${method} ${path} answered ${response.status} outside the OpenAPI document:\n- ${problems.join('\n- ')}\n${response.text.slice(0, 500)}`,
      );
    }
  }

  uniqueEmail(prefix = 'user'): string {
    this.#emails++;
    return `${prefix}-${this.#emails}-${Math.random().toString(36).slice(2, 8)}@example.com`;
  }

  /** Registers a new user and logs in; returns their id, email and the token pair. */
  /** A new project of the user whose `token` it is, with `tasks` added in order; its id. */
  async createProject(
    token: string,
    project: { name: string; maximumNumberOfIncompleteTasks?: number },
    tasks: string[] = [],
  ): Promise<number> {
    const created = await this.request('POST', '/api/projects', { token, json: project });
    if (created.status !== 201) throw new Error(`project not created: ${created.status}`);
    const id = created.body.id as number;
    for (const name of tasks) {
      const added = await this.request('POST', `/api/projects/${id}/tasks`, {
        token,
        json: { name },
      });
      if (added.status !== 201) throw new Error(`task not added: ${added.status}`);
    }
    return id;
  }

  async signUp(email = this.uniqueEmail(), password = 'correct horse battery') {
    const registered = await this.request('POST', '/api/users', { json: { email, password } });
    if (registered.status !== 201) {
      throw new Error(`sign-up failed: ${registered.status} ${JSON.stringify(registered.body)}`);
    }
    const login = await this.request('POST', '/api/users/login', { json: { email, password } });
    if (this.#worker) await this.#starterProjectOf(login.body.access_token as string);
    return {
      id: registered.body.id as string,
      email: registered.body.email as string,
      password,
      token: login.body.access_token as string,
      refreshToken: login.body.refresh_token as string,
    };
  }

  /**
   * Through the broker, the starter project comes a moment after the registration answered
   * (the worker makes it): a new user is ready for a test once it is there.
   */
  async #starterProjectOf(token: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const me = await this.request('GET', '/api/users/me', { token });
      if ((me.body.projects as unknown[]).length > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no starter project within 15 s:\n${this.#worker?.output}`);
  }
}

/** Checks the shape every error response must have. */
export function expectProblem(response: ApiResponse, status: number): void {
  if (response.status !== status) {
    throw new Error(`expected ${status}, got ${response.status}: ${JSON.stringify(response.body)}`);
  }
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('application/problem+json')) {
    throw new Error(`expected a problem document, got content-type ${type}`);
  }
  for (const field of ['type', 'title', 'status', 'detail']) {
    if (!(field in response.body)) throw new Error(`problem document without ${field}`);
  }
  if (response.body.status !== status) throw new Error('problem status does not match');
}
