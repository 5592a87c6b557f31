// Alert rules, channels, alerts and deliveries. Leads and owners change rules and channels; everyone sees alerts.
import * as z from 'zod/mini';
import { alertActionBodySchema, alertRuleBodySchema, alertsQuerySchema, channelBodySchema, channelPatchSchema } from '../../shared/schemas/alerts';
import { defineRoute, type RouteDef } from '../http/route';
import {
  actOnAlert, addChannel, addRule, alertDeliveries, deliveryOf, listAlerts, listChannels, listRules, patchChannel, removeChannel,
  removeRule, replaceRule, testChannel, type AlertDeps,
} from '../domain/alerts';

export function alertRoutes(deps: AlertDeps): RouteDef[] {
  const base = '/api/v1/workspaces/:ws';
  return [
    defineRoute({ method: 'get', path: `${base}/rules`, tag: 'alerts', access: 'member', summary: 'Alert rules', handler: ({ auth }) => listRules(deps, auth.wsId) }),
    defineRoute({
      method: 'post', path: `${base}/rules`, tag: 'alerts', access: 'lead', status: 201, summary: 'Add an alert rule',
      body: alertRuleBodySchema, handler: ({ auth, body }) => addRule(deps, auth, body),
    }),
    defineRoute({
      method: 'put', path: `${base}/rules/:ruleId`, tag: 'alerts', access: 'lead', summary: 'Replace an alert rule',
      body: alertRuleBodySchema, handler: ({ auth, body, params }) => replaceRule(deps, auth, params.ruleId, body),
    }),
    defineRoute({
      method: 'delete', path: `${base}/rules/:ruleId`, tag: 'alerts', access: 'lead', status: 204, summary: 'Remove an alert rule (its active alerts resolve)',
      handler: ({ auth, params }) => removeRule(deps, auth, params.ruleId),
    }),
    defineRoute({
      method: 'get', path: `${base}/channels`, tag: 'alerts', access: 'lead', summary: 'Channels, secrets masked (leads and owners: they show hosts and recipients)',
      handler: ({ auth }) => listChannels(deps, auth.wsId),
    }),
    defineRoute({
      method: 'post', path: `${base}/channels`, tag: 'alerts', access: 'lead', status: 201,
      summary: 'Add a Slack, Discord, webhook or email channel (a generated webhook secret is shown once)',
      body: channelBodySchema, handler: ({ auth, body }) => addChannel(deps, auth, body),
    }),
    defineRoute({
      method: 'patch', path: `${base}/channels/:channelId`, tag: 'alerts', access: 'lead', summary: 'Rename, enable or disable a channel',
      body: channelPatchSchema, handler: ({ auth, body, params }) => patchChannel(deps, auth, params.channelId, body),
    }),
    defineRoute({
      method: 'delete', path: `${base}/channels/:channelId`, tag: 'alerts', access: 'lead', status: 204, summary: 'Remove a channel',
      handler: ({ auth, params }) => removeChannel(deps, auth, params.channelId),
    }),
    defineRoute({
      method: 'post', path: `${base}/channels/:channelId/test`, tag: 'alerts', access: 'lead', status: 202,
      summary: 'Send a test message through the channel; follow it at GET .../deliveries/{id}',
      response: z.object({ deliveryId: z.string() }), handler: ({ auth, params }) => testChannel(deps, auth, params.channelId),
    }),
    defineRoute({
      method: 'get', path: `${base}/deliveries/:deliveryId`, tag: 'alerts', access: 'member', summary: 'One delivery and its attempts',
      handler: ({ auth, params }) => deliveryOf(deps, auth.wsId, params.deliveryId),
    }),
    defineRoute({
      method: 'get', path: `${base}/alerts`, tag: 'alerts', access: 'member', summary: 'Alerts, newest first',
      query: alertsQuerySchema, handler: ({ auth, query }) => listAlerts(deps, auth.wsId, query),
    }),
    defineRoute({
      method: 'post', path: `${base}/alerts/:alertId/ack`, tag: 'alerts', access: 'member',
      summary: 'Acknowledge, or snooze with {snoozeMinutes}, for all of your devices; the team sees it',
      body: alertActionBodySchema, handler: ({ auth, body, params }) => actOnAlert(deps, auth, params.alertId, body.snoozeMinutes),
    }),
    defineRoute({
      method: 'get', path: `${base}/alerts/:alertId/deliveries`, tag: 'alerts', access: 'member', summary: 'The delivery log of an alert',
      handler: ({ auth, params }) => alertDeliveries(deps, auth.wsId, params.alertId),
    }),
  ];
}
