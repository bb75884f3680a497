import { fail, json, type Route } from '../route.js';
import type { DeliveryRecord } from '../state.js';

/** A delivery as the REST API renders it (`hook-delivery-item`). */
function renderDelivery(record: DeliveryRecord, installationId: number) {
  const ok = record.statusCode >= 200 && record.statusCode < 300;
  return {
    id: record.id,
    guid: record.guid,
    delivered_at: record.deliveredAt,
    redelivery: record.redelivery,
    duration: record.durationMs / 1000,
    status: ok ? 'OK' : record.statusCode === 0 ? 'Timed out' : `Invalid HTTP Response: ${record.statusCode}`,
    status_code: record.statusCode,
    event: record.event,
    action: record.action,
    installation_id: installationId,
    repository_id: null,
  };
}

/**
 * The App's webhook delivery log: listed newest first with cursor pagination (the cursor is the id
 * to start from, as GitHub's opaque one stands for), and redelivered on request (a new attempt with
 * the same guid, sent after the 202).
 */
export const hookDeliveryRoutes: Route[] = [
  {
    method: 'GET',
    path: '/app/hook/deliveries',
    query: ['per_page', 'cursor'],
    handle(request, context) {
      const perPage = Math.min(100, Math.max(1, Number(request.query.get('per_page') ?? 30)));
      const newestFirst = [...context.state.deliveries].reverse();
      const cursor = request.query.get('cursor');
      const start = cursor === null ? 0 : newestFirst.findIndex((record) => String(record.id) === cursor);
      if (start < 0) return fail(422, 'Invalid cursor');
      const page = newestFirst.slice(start, start + perPage);
      const next = newestFirst[start + perPage];
      const headers: Record<string, string> = {};
      if (next !== undefined) {
        const url = new URL(request.url);
        url.searchParams.set('per_page', String(perPage));
        url.searchParams.set('cursor', String(next.id));
        headers.link = `<${url.href}>; rel="next"`;
      }
      return json(
        200,
        page.map((record) => renderDelivery(record, context.installationId)),
        headers,
      );
    },
  },
  {
    method: 'GET',
    path: '/app/hook/deliveries/{delivery_id}',
    handle(request, context) {
      const record = context.state.deliveries.find((item) => String(item.id) === request.params.delivery_id);
      if (record === undefined) return fail(404, 'Not Found');
      return json(200, {
        ...renderDelivery(record, context.installationId),
        url: record.url,
        request: { headers: { 'X-GitHub-Event': record.event }, payload: record.payload },
        response: { headers: {}, payload: null },
      });
    },
  },
  {
    method: 'POST',
    path: '/app/hook/deliveries/{delivery_id}/attempts',
    handle(request, context) {
      const record = context.state.deliveries.find((item) => String(item.id) === request.params.delivery_id);
      if (record === undefined) return fail(404, 'Not Found');
      const redeliver = context.hooks.redeliver;
      if (redeliver !== undefined) setTimeout(() => void redeliver(record).catch(() => undefined), 0);
      return json(202, {});
    },
  },
];
