const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Whether `value` is a UUID as this service writes them (lower-case): its users' and sessions' ids. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
