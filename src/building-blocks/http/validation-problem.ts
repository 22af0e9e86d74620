interface Issue {
  keyword: string;
  instancePath: string;
  message?: string;
  params?: Record<string, unknown>;
}

const ARTICLE: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  object: 'an object',
  array: 'an array',
};

/**
 * A schema's issues as a person reads them: one entry per field (its first issue), and a
 * detail made of sentences such as "name must be at least 4 characters.".
 */
export function validationProblem(
  context: string | undefined,
  issues: readonly Issue[],
): { detail: string; errors: { path: string; message: string }[] } {
  const byPath = new Map<
    string,
    { path: string; message: string; label: string; field: boolean }
  >();
  for (const issue of issues.flatMap(meantAlternative)) {
    const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const path =
      context === 'body' ? field || '(body)' : field ? `${context}.${field}` : `${context}`;
    if (byPath.has(path)) continue;
    byPath.set(path, {
      path,
      message: messageOf(issue, context),
      label: labelOf(context, field),
      field: context === 'body' && field !== '',
    });
  }
  const entries = [...byPath.values()];
  // A sentence per field; a field's name is written as the client spells it
  // (`maximumNumberOfIncompleteTasks`), never capitalised into another name.
  const detail = entries
    .map(({ label, message, field }) => {
      const sentence = `${label} ${message}.`;
      return field ? sentence : capitalised(sentence);
    })
    .join(' ');
  return { detail, errors: entries.map(({ path, message }) => ({ path, message })) };
}

function labelOf(context: string | undefined, field: string): string {
  if (context === 'body') return field ? field : 'the body';
  const where = { params: 'path parameter', querystring: 'query parameter', headers: 'header' }[
    context ?? ''
  ];
  return field ? `${where ?? context} ${field}` : `the ${where ?? context}`;
}

/** An issue as Zod reports it inside a union's alternatives. */
interface ZodIssue {
  code: string;
  path: PropertyKey[];
  message: string;
  [detail: string]: unknown;
}

/**
 * A value that matched none of a union's alternatives (the login body: credentials, or a
 * refresh grant) is told as the failure of the alternative the client most likely meant:
 * the one with the fewest issues, a wrong constant (`grant_type`) counting twice, the first
 * on a tie. So `{"email": ...}` alone says that `password` is required, and `{}` that the
 * email and the password are, not that "the body is invalid".
 */
function meantAlternative(issue: Issue): readonly Issue[] {
  const alternatives = issue.params?.errors as ZodIssue[][] | undefined;
  if (issue.keyword !== 'invalid_union' || !alternatives?.length) return [issue];
  const cost = (issues: ZodIssue[]) =>
    issues.length + issues.filter((i) => i.code === 'invalid_value').length;
  const meant = alternatives.reduce((best, next) => (cost(next) < cost(best) ? next : best));
  const base = issue.instancePath === '/' ? '' : issue.instancePath;
  return meant.map(({ code, path, message, ...params }) => ({
    keyword: code,
    instancePath: `${base}/${path.map(String).join('/')}`,
    message,
    params,
  }));
}

/** Zod's default messages ("Invalid input: expected string, received undefined") rewritten. */
function messageOf(issue: Issue, context: string | undefined): string {
  const message = issue.message ?? 'is invalid';
  const params = issue.params ?? {};
  if (issue.keyword === 'invalid_type') {
    if (/received undefined$/.test(message)) return 'is required';
    // `?limit=5&limit=6` reaches the schema as an array.
    if (context === 'querystring' && /received array$/.test(message)) return 'must be given once';
    const expected = String(params.expected ?? '');
    return `must be ${ARTICLE[expected] ?? expected}`;
  }
  if (issue.keyword === 'invalid_union' && Array.isArray(params.options)) {
    return `must be ${oneOf(params.options)}`; // a discriminator that names no alternative
  }
  if (issue.keyword === 'invalid_value' && Array.isArray(params.values)) {
    return `must be ${oneOf(params.values)}`;
  }
  if (/^Too (big|small)/.test(message) && params.origin === 'string') {
    const [bound, limit] =
      issue.keyword === 'too_big' ? ['most', params.maximum] : ['least', params.minimum];
    return `must be at ${bound} ${String(limit)} characters`;
  }
  if (issue.keyword === 'invalid_union' && message === 'Invalid input') return 'is invalid';
  return message.charAt(0).toLowerCase() + message.slice(1);
}

function oneOf(values: unknown[]): string {
  return values.map((value) => JSON.stringify(value)).join(' or ');
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
