// Route declarations: each route states its method, path, who may call it and the shared zod schemas for its
// body and query. `mountRoutes` turns them into Express handlers (auth → workspace check → role → rate limit
// → parse → handler → reply), and server/http/openapi.ts turns the same list into /openapi.json.
import express, { type Request, type Response, type RequestHandler } from 'express';
import * as z from 'zod/mini';
import { refSchema, roleRank, type Role } from '../../shared/schemas/common';
import { DomainError, forbidden, invalid, notFound, type FieldError } from '../domain/errors';
import type { Auth, Authenticator } from './auth';
import type { RateLimiter } from './rate-limit';

export type Access = 'public' | 'member' | Role;

export interface RouteContext<B, Q> {
  body: B;
  query: Q;
  params: Record<string, string>;
  auth: Auth;
  /** The body's bytes as received, for routes with keepRawBody. */
  rawBody?: Buffer;
  req: Request;
  res: Response;
}

export interface RouteDef<B = unknown, Q = unknown> {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** Express path, e.g. /api/v1/workspaces/:ws/events */
  path: string;
  summary: string;
  tag: string;
  /** 'public': no token; 'member': any role; a role: that role or higher. */
  access: Access;
  body?: z.ZodMiniType<B>;
  /** Optional fast acceptance for hot routes: true means certainly valid (body used as parsed JSON). */
  bodyFastPath?: (body: unknown) => boolean;
  /** Keep the request bytes (ingest journals them instead of re-serialising the parsed events). */
  keepRawBody?: boolean;
  query?: z.ZodMiniType<Q>;
  /** Schemas for path parameters that are not ids (e.g. an action name); others must be ids (refSchema). */
  params?: Record<string, z.ZodMiniType<string>>;
  response?: z.ZodMiniType;
  status?: number;
  /** What the success reply is, when not JSON. */
  produces?: 'text/event-stream' | 'text/csv' | 'text/plain';
  /** Tokens may also come as ?token= (EventSource cannot set headers). */
  tokenInQuery?: boolean;
  handler: (ctx: RouteContext<B, Q>) => unknown;
}

export function defineRoute<B = undefined, Q = Record<string, never>>(def: RouteDef<B, Q>): RouteDef {
  return def as unknown as RouteDef;
}

export interface MountOptions {
  authenticator: Authenticator;
  rateLimit: RateLimiter;
  bodyLimit: string;
}

export function mountRoutes(app: express.Express, routes: RouteDef[], opts: MountOptions): void {
  for (const def of routes) {
    const chain: RequestHandler[] = [];
    if (def.access !== 'public') chain.push(authStep(def, opts));
    if (!def.body && ['post', 'put', 'patch', 'delete'].includes(def.method)) chain.push(requireNoBody);
    if (def.body) {
      // Raw bytes are kept only as plain UTF-8: other charsets (and a BOM, which the decoder strips) would make
      // them differ from what was parsed.
      const verify = def.keepRawBody
        ? (req: Request, _res: Response, buf: Buffer, encoding: string) => {
            if (/^utf-?8$/i.test(encoding) && buf[0] !== 0xef) res0(req).rawBody = buf;
          }
        : undefined;
      chain.push(requireJson, express.json({ limit: opts.bodyLimit, strict: true, verify }));
    }
    chain.push(async (req, res) => {
      const ctx: RouteContext<unknown, unknown> = {
        body: def.body ? (def.bodyFastPath?.(req.body) ? req.body : parse(def.body, req.body, 'body')) : undefined,
        query: parse(def.query ?? emptyQuery, { ...(req.query as object) }, 'query'),
        params: req.params as Record<string, string>,
        auth: res.locals.auth as Auth,
        rawBody: res0(req).rawBody,
        req,
        res,
      };
      const result = await def.handler(ctx);
      if (res.headersSent) return;
      if (def.status === 204) res.status(204).end();
      else res.status(def.status ?? 200).json(result);
    });
    app[def.method](def.path, ...chain);
  }
}

const emptyQuery = z.strictObject({});
const res0 = (req: Request) => req as Request & { rawBody?: Buffer };

function authStep(def: RouteDef, opts: MountOptions): RequestHandler {
  return (req, res, next) => {
    const auth = opts.authenticator.fromRequest(req, def.tokenInQuery === true);
    for (const [name, value] of Object.entries(req.params as Record<string, string>)) {
      const own = def.params?.[name]?.safeParse(value);
      if (own && !own.success) throw invalid(`the ${name} in the path is not valid`, [{ path: `params.${name}`, message: own.error.issues[0]?.message ?? 'is not valid' }]);
      if (!own && name !== 'ws' && !refSchema.safeParse(value).success) throw invalid(`the ${name} in the path is not a valid id`, [{ path: `params.${name}`, message: 'must be 1–64 characters of A–Z, a–z, 0–9, _ : . or -' }]);
    }
    // A foreign workspace answers 404 whatever the role: ids of other teams are not even confirmed to exist.
    const ws = req.params.ws;
    if (ws !== undefined && ws !== auth.wsId) throw notFound('workspace');
    if (def.access !== 'member' && def.access !== 'public' && roleRank[auth.role] < roleRank[def.access]) {
      throw forbidden(`this needs the ${def.access} role or higher; you are ${auth.role}`);
    }
    const retryAfter = opts.rateLimit.take(auth.tokenHash);
    if (retryAfter !== null) {
      throw new DomainError('rate_limited', 'too many requests for this token; slow down', { retryAfterSeconds: retryAfter });
    }
    res.locals.auth = auth;
    next();
  };
}

/** Routes without a body schema take no body: anything sent would be silently ignored otherwise. */
const requireNoBody: RequestHandler = (req, _res, next) => {
  const length = Number(req.headers['content-length'] ?? 0);
  if (length > 0 || req.headers['transfer-encoding']) throw invalid('this route takes no body', [{ path: 'body', message: 'must be empty' }]);
  next();
};

const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) {
    throw new DomainError('unsupported_media', 'send the body as application/json');
  }
  next();
};

export function parse<T>(schema: z.ZodMiniType<T>, value: unknown, where: 'body' | 'query'): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const errors: FieldError[] = r.error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.') + ('keys' in i && Array.isArray(i.keys) ? `.${(i.keys as string[]).join(',')}` : ''),
    message: i.code === 'unrecognized_keys' ? `unknown field${(i.keys as string[]).length > 1 ? 's' : ''}: ${(i.keys as string[]).join(', ')}` : i.message,
  }));
  if (value === undefined || value === null) throw invalid(`the ${where} is missing`, errors);
  throw invalid(`the ${where} is not valid: ${errors[0]?.path} ${errors[0]?.message}`, errors);
}
