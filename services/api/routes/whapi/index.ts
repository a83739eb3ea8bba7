import type { AnyRoute } from '../../http/route.js';
import { businessRoutes } from './business.js';
import { chatRoutes } from './chats.js';
import { communityRoutes } from './communities.js';
import { contactRoutes } from './contacts.js';
import { groupRoutes } from './groups.js';
import { labelRoutes } from './labels.js';
import { mediaRoutes } from './media.js';
import { messageRoutes } from './messages.js';
import { newsletterRoutes } from './newsletters.js';
import { storyRoutes } from './stories.js';
import { userRoutes } from './users.js';

/** The `/analytics` routes: any key, the channel optional (they are not routes of one channel). */
export { analyticsRoutes } from './analytics.js';

/**
 * Every route of Seed API 2 (WHAPI) outside `/channels`, `/analytics` and the system routes:
 * messages, chats, contacts, groups, stories, labels, business, users, media, newsletters,
 * communities. Each names its channel with `channelId` (query or body) or `X-Channel-Id`.
 */
export const whapiRoutes: AnyRoute[] = [
  ...messageRoutes,
  ...chatRoutes,
  ...contactRoutes,
  ...groupRoutes,
  ...storyRoutes,
  ...labelRoutes,
  ...businessRoutes,
  ...userRoutes,
  ...mediaRoutes,
  ...newsletterRoutes,
  ...communityRoutes,
];
