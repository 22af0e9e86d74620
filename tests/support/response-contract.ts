import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

type Json = Record<string, any>;

interface Operation {
  pattern: RegExp;
  method: string;
  responses: Json;
}

/** What the test client saw: enough to hold it against the document. */
export interface SeenResponse {
  status: number;
  headers: Headers;
  text: string;
}

const DOCUMENT_ID = 'https://contract.test/openapi.json';

/**
 * Holds every response the end-to-end suite receives against the OpenAPI document the
 * service serves: the status is listed for the operation, the media type is the one
 * documented, the required headers are there and the body matches the schema. The document
 * can then never drift from the code unnoticed.
 */
export class ResponseContract {
  readonly #operations: Operation[];
  readonly #ajv: Ajv2020;
  readonly #validators = new Map<string, ReturnType<Ajv2020['compile']>>();

  constructor(document: Json) {
    this.#ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(this.#ajv);
    this.#ajv.addFormat('int32', true);
    this.#ajv.addSchema({ $id: DOCUMENT_ID, components: document.components });
    this.#operations = Object.entries(document.paths as Json).flatMap(([path, item]) =>
      Object.entries(item as Json).map(([method, operation]) => ({
        pattern: new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]*')}$`),
        method: method.toUpperCase(),
        responses: operation.responses,
      })),
    );
  }

  /** The problems found with one response; empty when it keeps the contract. */
  check(method: string, url: string, response: SeenResponse): string[] {
    const path = new URL(url, 'http://x').pathname;
    const operation = this.#operations.find((o) => o.method === method && o.pattern.test(path));
    if (!operation) return this.#checkUnrouted(response);
    const documented = operation.responses[String(response.status)];
    if (!documented) {
      const listed = Object.keys(operation.responses).join(', ');
      return [`status ${response.status} is not documented (documented: ${listed})`];
    }
    return [
      ...this.#checkHeaders(documented, response),
      ...this.#checkBody(documented, response, `${method} ${path} ${response.status}`),
    ];
  }

  /** An unknown route or method answers a problem document. */
  #checkUnrouted(response: SeenResponse): string[] {
    if (response.status < 400) return [];
    return this.#checkBody(
      {
        content: {
          'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
        },
      },
      response,
      'unrouted',
    );
  }

  #checkHeaders(documented: Json, response: SeenResponse): string[] {
    const problems: string[] = [];
    for (const [name, header] of Object.entries((documented.headers ?? {}) as Json)) {
      const resolved = header.$ref ? this.#resolve(header.$ref) : header;
      if (resolved.required && !response.headers.has(name)) {
        problems.push(`the required header ${name} is missing`);
      }
    }
    return problems;
  }

  #checkBody(documented: Json, response: SeenResponse, key: string): string[] {
    const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim() ?? '';
    if (!documented.content) {
      return response.text === '' ? [] : [`a body was sent where none is documented`];
    }
    const media = documented.content[mediaType];
    if (!media) {
      const listed = Object.keys(documented.content).join(', ');
      return [`media type "${mediaType}" is not documented (documented: ${listed})`];
    }
    // A JSON media type's body is held to its schema as JSON; any other (the text of
    // /metrics) as the string it is.
    let body: unknown = response.text;
    if (/[/+]json$/.test(mediaType)) {
      try {
        body = JSON.parse(response.text);
      } catch {
        return [`the body is not JSON: ${response.text.slice(0, 200)}`];
      }
    }
    const validate = this.#validator(`${key} ${mediaType}`, media.schema);
    if (validate(body)) return [];
    return (validate.errors ?? []).map(
      (error) => `body${error.instancePath} ${error.message} (${JSON.stringify(error.params)})`,
    );
  }

  #validator(key: string, schema: Json) {
    let validate = this.#validators.get(key);
    if (!validate) {
      const absolute = JSON.parse(
        JSON.stringify(schema).replaceAll('"#/components/', `"${DOCUMENT_ID}#/components/`),
      );
      validate = this.#ajv.compile(absolute);
      this.#validators.set(key, validate);
    }
    return validate;
  }

  #resolve(ref: string): Json {
    const [, pointer = ''] = ref.split('#');
    const document = this.#ajv.getSchema(DOCUMENT_ID)?.schema as Json;
    return pointer
      .split('/')
      .filter(Boolean)
      .reduce((node: Json, part) => node[part], document);
  }
}
