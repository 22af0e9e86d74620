/**
 * Where to go after logging in: `next` (the screen that sent the person to log in) when it is
 * a path of this client, else their projects. It is read as the browser reads a URL, which
 * drops tabs and line breaks and takes `\` for `/`: `/\t/evil.example` and `/\evil.example`
 * are `//evil.example`, another origin, and never followed.
 */
export function pathAfterLogIn(next: string | null, origin: string): string {
  if (!next?.startsWith('/')) return '/projects';
  try {
    const url = new URL(next, origin);
    return url.origin === origin ? `${url.pathname}${url.search}${url.hash}` : '/projects';
  } catch {
    return '/projects';
  }
}
