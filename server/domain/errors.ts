// Domain errors say what went wrong in the product's terms; server/http/problem.ts maps them to HTTP.
export type ErrorKind = 'invalid' | 'unsupported_media' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict' | 'rate_limited';

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly extra: { errors?: FieldError[]; retryAfterSeconds?: number } = {},
  ) {
    super(message);
  }
}

export const invalid = (message: string, errors?: FieldError[]) => new DomainError('invalid', message, { errors });
export const notFound = (what: string) => new DomainError('not_found', `${what} not found`);
export const forbidden = (message: string) => new DomainError('forbidden', message);
export const conflict = (message: string) => new DomainError('conflict', message);
export const unauthorized = (message: string) => new DomainError('unauthorized', message);
