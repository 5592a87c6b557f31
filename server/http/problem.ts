// One error handler: every failure leaves as application/problem+json (RFC 9457). Never a stack trace.
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { DomainError, type ErrorKind } from '../domain/errors';
import type { Logger } from '../log';
import { StoreClosedError } from '../store/store';

const status: Record<ErrorKind, number> = {
  invalid: 400, unsupported_media: 415, unauthorized: 401, forbidden: 403, not_found: 404, conflict: 409, rate_limited: 429,
};
const titles: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict', 410: 'Gone',
  413: 'Content Too Large', 415: 'Unsupported Media Type', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};
const typeFor = (code: number, kind?: string) => `urn:creditwatch:problem:${kind ?? code}`;

export function sendProblem(res: Parameters<RequestHandler>[1], code: number, detail: string, extra: Record<string, unknown> = {}, kind?: string) {
  res.status(code).type('application/problem+json').send(JSON.stringify({ type: typeFor(code, kind), title: titles[code] ?? 'Error', status: code, detail, ...extra }));
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, 404, `no route for ${req.method} ${req.path}`, {}, 'no_route');
};

export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (err instanceof DomainError) {
      const code = status[err.kind];
      if (err.extra.retryAfterSeconds) res.setHeader('Retry-After', String(err.extra.retryAfterSeconds));
      sendProblem(res, code, err.message, err.extra.errors ? { errors: err.extra.errors } : {}, err.kind);
      return;
    }
    if (err instanceof StoreClosedError) {
      res.setHeader('Retry-After', '5');
      return sendProblem(res, 503, err.message, {}, 'shutting_down');
    }
    // body-parser's errors carry a status and a type.
    const e = err as { status?: number; type?: string; message?: string };
    if (e.type === 'entity.too.large') return sendProblem(res, 413, 'the body is larger than this route accepts', {}, 'too_large');
    if (e.type === 'entity.parse.failed') return sendProblem(res, 400, 'the body is not valid JSON', {}, 'malformed_json');
    if (e.type === 'charset.unsupported' || e.type === 'encoding.unsupported') return sendProblem(res, 415, e.message ?? 'unsupported encoding', {}, 'encoding');
    if (typeof e.status === 'number' && e.status >= 400 && e.status < 500) return sendProblem(res, e.status, e.message ?? 'bad request');
    log.error('unhandled error', { method: req.method, path: req.route?.path ?? 'unknown', error: (err as Error)?.stack ?? String(err) });
    sendProblem(res, 500, 'something went wrong on the server; it has been logged');
  };
}
