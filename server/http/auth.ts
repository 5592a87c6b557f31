// Bearer tokens: random, shown once, stored only as SHA-256. A request's token resolves to its workspace,
// member and current role (roles can change after pairing, so the role is read from the member each time).
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Role } from '../../shared/schemas/common';
import type { State } from '../store/records';
import { unauthorized } from '../domain/errors';

export interface Auth {
  wsId: string;
  memberId: string;
  role: Role;
  tokenHash: string;
}

export const hashSecret = (secret: string): string => createHash('sha256').update(secret).digest('hex');

export interface Authenticator {
  fromRequest(req: Request, allowQuery: boolean): Auth;
}

export function createAuthenticator(state: State): Authenticator {
  // Hashing is cheap but runs on every request; devices reuse one token, so remember the hashes of tokens
  // that authenticated (only those: made-up tokens must not fill memory).
  const hashes = new Map<string, string>();
  return {
    fromRequest(req, allowQuery) {
      const header = req.headers.authorization;
      let token: string | undefined;
      if (header) {
        const m = /^Bearer\s+(\S+)$/i.exec(header);
        if (!m) throw unauthorized('the Authorization header must be "Bearer <token>"');
        token = m[1];
      } else if (allowQuery && typeof req.query.token === 'string') {
        token = req.query.token;
      }
      if (!token) throw unauthorized('a bearer token is required: pair this device first (POST /api/v1/pair)');
      if (token.length > 200) throw unauthorized('this token is unknown or was revoked: pair again');
      const tokenHash = hashes.get(token) ?? hashSecret(token);
      const t = Object.hasOwn(state.tokens, tokenHash) ? state.tokens[tokenHash] : undefined;
      const member = t && state.workspaces[t.wsId]?.members[t.memberId];
      if (!t || !member) {
        hashes.delete(token);
        throw unauthorized('this token is unknown or was revoked: pair again');
      }
      if (!hashes.has(token)) {
        if (hashes.size >= 10_000) hashes.clear();
        hashes.set(token, tokenHash);
      }
      return { wsId: t.wsId, memberId: t.memberId, role: member.role, tokenHash };
    },
  };
}
