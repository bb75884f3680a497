import { z } from 'zod';
import type { WebhookDeliveries } from '../../ports/webhook-deliveries.js';
import { toBotError } from './github-errors.js';
import type { GitHubClient } from './repo-client.js';

/** The fields of `hook-delivery-item` the bot reads. */
const DeliveryItem = z.object({
  id: z.number().int(),
  guid: z.string().min(1),
  delivered_at: z.string().datetime({ offset: true }),
  redelivery: z.boolean(),
  status_code: z.number().int(),
  event: z.string(),
});
const DeliveryPage = z.array(DeliveryItem);
/** The part of `hook-delivery` the bot reads: what was sent. */
const DeliveryDetail = z.object({ request: z.object({ payload: z.unknown() }) });

/**
 * The App's delivery log through the App's own authentication (a JWT, not an installation token):
 * pages of 100, newest first, read until the first attempt older than `since`.
 */
export function createHookDeliveries(appOctokit: () => Promise<GitHubClient>): WebhookDeliveries {
  return {
    async listSince(since) {
      try {
        const octokit = await appOctokit();
        const attempts = [];
        for await (const page of octokit.paginate.iterator('GET /app/hook/deliveries', { per_page: 100 })) {
          const parsed = DeliveryPage.safeParse(page.data);
          if (!parsed.success) throw new Error(`unexpected delivery list: ${parsed.error.message}`);
          for (const item of parsed.data) {
            const deliveredAt = new Date(item.delivered_at);
            if (deliveredAt < since) return attempts;
            attempts.push({
              id: item.id,
              guid: item.guid,
              deliveredAt,
              statusCode: item.status_code,
              redelivery: item.redelivery,
              event: item.event,
            });
          }
        }
        return attempts;
      } catch (error) {
        throw toBotError(error);
      }
    },
    async payloadOf(id) {
      try {
        const octokit = await appOctokit();
        const response = await octokit.request('GET /app/hook/deliveries/{delivery_id}', { delivery_id: id });
        const parsed = DeliveryDetail.safeParse(response.data);
        if (!parsed.success) throw new Error(`unexpected delivery: ${parsed.error.message}`);
        return parsed.data.request.payload;
      } catch (error) {
        throw toBotError(error);
      }
    },
    async redeliver(id) {
      try {
        const octokit = await appOctokit();
        await octokit.request('POST /app/hook/deliveries/{delivery_id}/attempts', { delivery_id: id });
      } catch (error) {
        throw toBotError(error);
      }
    },
  };
}
