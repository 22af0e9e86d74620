/**
 * Whether the person in this tab has just deleted their account. Every screen of that account
 * (the one they were on, and any that Back takes them to) then sends them to the log-in
 * screen that says so, rather than to one that offers to bring them back to it afterwards.
 * The next log-in or sign-up forgets it.
 */
let deleted = false;

/** The log-in screen, saying that the account was deleted. */
export const ACCOUNT_DELETED_PATH = '/login?account=deleted';

export function accountDeleted(): void {
  deleted = true;
}

export function wasAccountDeleted(): boolean {
  return deleted;
}

export function forgetAccountDeleted(): void {
  deleted = false;
}
