// CORS for the API: the extension's service worker and pages (chrome-extension:// or moz-extension://
// origins) call the server cross-origin with a bearer token. Only extension origins are allowed: auth is by
// token, never cookies, so a web page could learn nothing — but it could still post to the public pairing
// route from the user's browser and use up the failed-pairing allowance every local device shares.
// Preflights are answered here, before auth and routing.
import type { NextFunction, Request, Response } from 'express';

const EXTENSION_ORIGIN = /^(chrome|moz)-extension:\/\/[a-z0-9-]{1,64}$/;
const ALLOW_HEADERS = 'Authorization, Content-Type, Last-Event-ID';
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE';

export function cors(req: Request, res: Response, next: NextFunction): void {
  // Requests without an Origin (curl, the bench, other servers) skip this entirely.
  const origin = req.headers.origin;
  if (origin === undefined || !EXTENSION_ORIGIN.test(origin)) return next();
  res.setHeader('Access-Control-Allow-Origin', origin);
  res.setHeader('Vary', 'Origin');
  if (req.method !== 'OPTIONS') return next();
  res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
  res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
  res.setHeader('Access-Control-Max-Age', '600');
  res.status(204).end();
}
