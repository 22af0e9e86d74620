/**
 * A nominal type over a primitive: `Brand<string, 'UserId'>` is a string the compiler
 * will not confuse with any other string. Values are made only by the parse functions
 * that check them.
 */
export type Brand<T, Name extends string> = T & { readonly __brand: Name };
