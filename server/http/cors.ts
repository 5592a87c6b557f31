// CORS for the API. The extension (a chrome-extension:// origin) and dashboards on other origins call the
// server with a bearer token, never cookies, so allowing any origin grants nothing a token does not already:
// a page without the token gets 401 either way. Preflights are answered here, before auth and routing.
import type { NextFunction, Request, Response } from 'express';

const ALLOW_HEADERS = 'Authorization, Content-Type, Last-Event-ID';
const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE';

export function cors(req: Request, res: Response, next: NextFunction): void {
  // Requests without an Origin (curl, the bench, other servers) skip this entirely.
  if (req.headers.origin === undefined) return next();
  res.setHeader('Access-Control-Allow-Origin', '*');
  if (req.method !== 'OPTIONS') return next();
  res.setHeader('Access-Control-Allow-Methods', ALLOW_METHODS);
  res.setHeader('Access-Control-Allow-Headers', ALLOW_HEADERS);
  res.setHeader('Access-Control-Max-Age', '600');
  res.status(204).end();
}
