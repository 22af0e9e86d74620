declare const jsonOf: unique symbol;

/**
 * A `T` already written as JSON text. Read models return list views in this form when the
 * database can write the JSON itself (one string instead of an object per row, a mapper and
 * a serializer); routes send it as it is. The type parameter says what the text holds.
 */
export type Json<T> = string & { readonly [jsonOf]?: T };

/** `value` as `Json<T>`: for fakes and for views built in memory. */
export function toJson<T>(value: T): Json<T> {
  return JSON.stringify(value) as Json<T>;
}

/** A JSON object whose values are JSON already: `jsonObject({ tasks })` is `{"tasks":[...]}`. */
export function jsonObject<T>(fields: { [K in keyof T]: Json<T[K]> }): Json<T> {
  const members = Object.entries(fields).map(([key, value]) => `${JSON.stringify(key)}:${value}`);
  return `{${members.join(',')}}` as Json<T>;
}

/** The value a `Json<T>` holds: for tests. */
export function fromJson<T>(json: Json<T>): T {
  return JSON.parse(json) as T;
}
