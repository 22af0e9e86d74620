/**
 * A session's `User-Agent` as a person reads it in the sessions list: "Firefox on Linux",
 * "Safari on iPhone", "curl". A browser's string names several others for compatibility
 * (Edge's says Chrome and Safari too), so the checks go from the most specific; what none
 * recognises is shown as it was sent, cut to a line.
 */
export function describeUserAgent(userAgent: string): string {
  const sent = userAgent.trim();
  if (sent === '') return 'Unknown browser';
  const tool = TOOLS.find(([pattern]) => pattern.test(sent));
  if (tool) return tool[1];
  const browser = BROWSERS.find(([pattern]) => pattern.test(sent))?.[1];
  const system = SYSTEMS.find(([pattern]) => pattern.test(sent))?.[1];
  if (browser && system) return `${browser} on ${system}`;
  if (browser) return browser;
  // An app's own web view (a link opened in a social app) often names no browser.
  if (system) return `A browser on ${system}`;
  return sent.length > MAX_SHOWN ? `${sent.slice(0, MAX_SHOWN - 1)}…` : sent;
}

const MAX_SHOWN = 60;

const TOOLS: [RegExp, string][] = [
  [/^curl\//i, 'curl'],
  [/^Wget\//i, 'Wget'],
  [/^PostmanRuntime\//, 'Postman'],
  [/^python-requests\//, 'Python (requests)'],
  [/^HTTPie\//i, 'HTTPie'],
  [/^node$|^undici/i, 'Node.js'],
];

const BROWSERS: [RegExp, string][] = [
  [/\bEdg(e|A|iOS)?\//, 'Edge'],
  [/\bOPR\/|\bOPiOS\/|\bOPT\/|\bOpera\b/, 'Opera'],
  [/\bSamsungBrowser\//, 'Samsung Internet'],
  [/\bFirefox\/|\bFxiOS\//, 'Firefox'],
  // Android's web view inside an app says Chrome too, and `; wv)` besides.
  [/; wv\)/, 'Android WebView'],
  [/(\b|Headless)Chrom(e|ium)\/|\bCriOS\//, 'Chrome'],
  [/\bVersion\/[\d.]+.*\bSafari\//, 'Safari'],
];

const SYSTEMS: [RegExp, string][] = [
  [/\biPhone\b/, 'iPhone'],
  [/\biPad\b/, 'iPad'],
  [/\bAndroid\b/, 'Android'],
  [/\bCrOS\b/, 'ChromeOS'],
  [/\bWindows\b/, 'Windows'],
  [/\bMacintosh\b|\bMac OS X\b/, 'macOS'],
  [/\bLinux\b/, 'Linux'],
];
