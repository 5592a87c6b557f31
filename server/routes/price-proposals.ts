// Learned prices: proposals from balance readings, and a lead's accept or dismiss.
import { actionSchema } from '../../shared/schemas/events';
import { priceProposalDecisionSchema } from '../../shared/schemas/workspace';
import { defineRoute, type RouteDef } from '../http/route';
import type { DomainDeps } from '../domain/deps';
import { acceptProposal, dismissProposal, priceProposals } from '../domain/price-proposals';

const base = '/api/v1/workspaces/:ws/prices/proposals';

export function priceProposalRoutes(deps: DomainDeps): RouteDef[] {
  return [
    defineRoute({
      method: 'get', path: base, tag: 'prices', access: 'lead',
      summary: 'Prices that balance readings show to differ from the table, with the evidence and what was left out as unobserved spend',
      handler: ({ auth }) => priceProposals(deps, auth.wsId),
    }),
    defineRoute({
      method: 'post', path: `${base}/:action/accept`, tag: 'prices', access: 'lead',
      summary: 'Apply a learned price as a price override (send the proposed figure you saw: 409 if it changed)',
      params: { action: actionSchema }, body: priceProposalDecisionSchema,
      handler: ({ auth, body, params }) => acceptProposal(deps, auth, params.action, body),
    }),
    defineRoute({
      method: 'post', path: `${base}/:action/dismiss`, tag: 'prices', access: 'lead',
      summary: 'Hide a learned price until the evidence changes materially',
      params: { action: actionSchema }, body: priceProposalDecisionSchema,
      handler: ({ auth, body, params }) => dismissProposal(deps, auth, params.action, body),
    }),
  ];
}
