/**
 * The console's security headers, one definition for the local runner and the CloudFront response
 * headers policy: no inline script, no framing, no referrer.
 */

export interface CspSources {
  /** Origins the console calls besides its own (the API, Cognito's token endpoint). */
  connect: readonly string[];
}

/** Content-Security-Policy of the console: scripts and styles only from its own origin. */
export function consoleCsp({ connect }: CspSources): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connect].join(' ')}`,
    // Silent refresh uses the refresh token grant (a fetch), never a hidden iframe.
    "frame-src 'none'",
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Headers besides the CSP, as the local runner sends them (CloudFront sets the same through its policy). */
export const CONSOLE_HEADERS = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'permissions-policy': 'camera=(self), clipboard-write=(self), geolocation=(), microphone=()',
  'cross-origin-opener-policy': 'same-origin',
} as const;
