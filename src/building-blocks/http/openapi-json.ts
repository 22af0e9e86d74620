/**
 * A node of the OpenAPI document as plain JSON. The document is finished by walking it
 * (see openapi-document.ts); typing every OpenAPI object would add nothing the linter and the
 * response validation do not already check.
 */
// biome-ignore lint/suspicious/noExplicitAny: JSON walked by key, checked by the OpenAPI linter.
export type Json = Record<string, any>;
