export { signWebhook, type WebhookSignatureHeaders, type WebhookToSign } from './signWebhook.js';
export { verifyWebhook, type VerifiedWebhook, type VerifyWebhookOptions, type WebhookHeaders } from './verifyWebhook.js';
export { webhookSecretKey } from './webhookSecretKey.js';
