declare const jsonOf: unique symbol;

/**
 * Text that holds a `T` written as JSON, as SQL that writes JSON returns it (ADR 6). Only an
 * adapter has one, and hands it on as a `Serialized<T>`.
 */
export type Json<T> = string & { readonly [jsonOf]?: T };

/**
 * A view of type `T`, kept as the JSON it will be sent as. Read models answer with one when
 * the database writes the view's JSON itself (one string instead of an object per row, a
 * mapper and a serializer): application code passes it on or reads its `value()`, and only
 * the HTTP reply helper (`sendSerialized`) takes its text, to send it as it is.
 */
export class Serialized<T> {
  readonly #json: string;

  private constructor(json: string) {
    this.#json = json;
  }

  /** A view the database wrote; the adapter's SQL names its fields, as a response schema does. */
  static fromJson<T>(json: Json<T>): Serialized<T> {
    return new Serialized<T>(json);
  }

  /** A view built in memory (fakes, values a query handler puts together). */
  static of<T>(value: T): Serialized<T> {
    return new Serialized<T>(JSON.stringify(value));
  }

  /** An object of serialized members, `{"tasks":[...]}`, put together without parsing them. */
  static object<T>(members: { [K in keyof T]: Serialized<T[K]> }): Serialized<T> {
    const entries = Object.entries<Serialized<unknown>>(members).map(
      ([key, member]) => `${JSON.stringify(key)}:${member.#json}`,
    );
    return new Serialized<T>(`{${entries.join(',')}}`);
  }

  /** The view as a value (a fresh copy each time): for code that must look inside. */
  value(): T {
    return JSON.parse(this.#json) as T;
  }

  /** The JSON text: for the HTTP reply helper, which sends it without serialising again. */
  get json(): string {
    return this.#json;
  }
}
