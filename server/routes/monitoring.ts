// Base44's Monitoring API key: owners set, remove and poll; leads read the status (the key always masked).
import { monitoringPutSchema, monitoringStatusSchema } from '../../shared/schemas/monitoring';
import { defineRoute, type RouteDef } from '../http/route';
import { monitoringStatus, pollMonitoring, removeMonitoring, setMonitoring, type MonitoringDeps } from '../domain/monitoring';

export function monitoringRoutes(deps: MonitoringDeps): RouteDef[] {
  const path = '/api/v1/workspaces/:ws/monitoring';
  return [
    defineRoute({
      method: 'get', path, tag: 'monitoring', access: 'lead', response: monitoringStatusSchema,
      summary: "Polling of Base44's Monitoring API: configured, masked key, last and next poll, readings stored",
      handler: ({ auth }) => monitoringStatus(deps, auth.wsId),
    }),
    defineRoute({
      method: 'put', path, tag: 'monitoring', access: 'owner', response: monitoringStatusSchema,
      summary: "Set the Monitoring API key and Base44 workspace id (the key is kept server-side, never shown again)",
      body: monitoringPutSchema,
      handler: ({ auth, body }) => setMonitoring(deps, auth, body),
    }),
    defineRoute({
      method: 'delete', path, tag: 'monitoring', access: 'owner', status: 204,
      summary: 'Forget the key and stop polling (readings already taken stay)',
      handler: ({ auth }) => removeMonitoring(deps, auth),
    }),
    defineRoute({
      method: 'post', path: `${path}/poll`, tag: 'monitoring', access: 'owner', response: monitoringStatusSchema,
      summary: 'Poll now: 200 with the outcome, or 202 when the request budget or a Base44 Retry-After defers it to nextPollAt',
      handler: async ({ auth, res }) => {
        const status = await pollMonitoring(deps, auth);
        if (status.poll === 'queued') res.status(202).json(status);
        return status;
      },
    }),
  ];
}
