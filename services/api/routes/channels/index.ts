import type { AnyRoute } from '../../http/route.js';
import { channelCrudRoutes } from './channelRoutes.js';
import { channelMessageRoutes } from './channelMessageRoutes.js';
import { channelWebhookRoutes } from './channelWebhookRoutes.js';
import { connectionRoutes } from './connectionRoutes.js';

/** Every `/channels...` route of Seed API 2 (WHAPI), plus `DELETE /channels/:id/webhook`. */
export const channelRoutes: AnyRoute[] = [...channelCrudRoutes, ...connectionRoutes, ...channelMessageRoutes, ...channelWebhookRoutes];

export { newChannelId } from './channelRequests.js';
