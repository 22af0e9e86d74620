/**
 * Where to go after logging in: `next` (the screen that sent the person to log in) when it is
 * a path of this client, else their projects. It is read as the browser reads a URL, which
 * drops tabs and line breaks, takes `\` for `/` and resolves `..`: `/\t/evil.example`,
 * `/\evil.example` and `/..//evil.example` are all `//evil.example`, another origin, and
 * never followed.
 */
export function pathAfterLogIn(next: string | null, origin: string): string {
  if (!next?.startsWith('/')) return '/projects';
  try {
    const url = new URL(next, origin);
    const path = `${url.pathname}${url.search}${url.hash}`;
    // `/..//evil.example` resolves to `//evil.example` on this origin: as a path, another one.
    return url.origin === origin && !path.startsWith('//') ? path : '/projects';
  } catch {
    return '/projects';
  }
}
