import type { AnyRoute } from '../../http/route.js';
import { accountRoutes } from './accountRoutes.js';
import { chatRoutes } from './chatRoutes.js';
import { messageRoutes } from './messageRoutes.js';
import { webhookRoutes } from './webhookRoutes.js';

/** Every route of Seed API 1 (WILDCAT) except `GET /ping`, which the core serves. */
export const wildcatRoutes: AnyRoute[] = [...accountRoutes, ...messageRoutes, ...chatRoutes, ...webhookRoutes];

export { qrBanner, printQr } from './printQr.js';
export { ACCOUNT_ERRORS, SEND_ERRORS } from './wildcatErrors.js';
