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
  const byPath = new Map<string, { path: string; message: string; label: string }>();
  for (const issue of issues) {
    const field = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
    const path =
      context === 'body' ? field || '(body)' : field ? `${context}.${field}` : `${context}`;
    if (byPath.has(path)) continue;
    byPath.set(path, { path, message: messageOf(issue), label: labelOf(context, field) });
  }
  const entries = [...byPath.values()];
  const detail = entries.map(({ label, message }) => capitalised(`${label} ${message}.`)).join(' ');
  return { detail, errors: entries.map(({ path, message }) => ({ path, message })) };
}

function labelOf(context: string | undefined, field: string): string {
  if (context === 'body') return field ? field : 'the body';
  const where = { params: 'path parameter', querystring: 'query parameter', headers: 'header' }[
    context ?? ''
  ];
  return field ? `${where ?? context} ${field}` : `the ${where ?? context}`;
}

/** Zod's default messages ("Invalid input: expected string, received undefined") rewritten. */
function messageOf(issue: Issue): string {
  const message = issue.message ?? 'is invalid';
  if (issue.keyword === 'invalid_type') {
    if (/received undefined$/.test(message)) return 'is required';
    const expected = String(issue.params?.expected ?? '');
    return `must be ${ARTICLE[expected] ?? expected}`;
  }
  if (issue.keyword === 'invalid_union' && message === 'Invalid input') return 'is invalid';
  return message.charAt(0).toLowerCase() + message.slice(1);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
