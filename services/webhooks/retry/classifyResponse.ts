import type { DeliveryErrorKind } from '../http/index.js';

/** What an attempt's outcome means for the delivery. */
export type ResponseClass = 'delivered' | 'retry' | 'gone';

/**
 * An attempt's outcome: 2xx delivered; 410 gone (the subscription is disabled); everything
 * else is retried: no response (timeout, refused connection, DNS, TLS, private address), a
 * redirect (not followed), 4xx and 5xx. A 2xx whose body then failed to arrive was still
 * accepted by the endpoint.
 */
export function classifyResponse(status: number | null, errorKind: DeliveryErrorKind | null): ResponseClass {
  if (status !== null) {
    if (status >= 200 && status < 300) return 'delivered';
    if (status === 410) return 'gone';
    return 'retry';
  }
  if (errorKind === null) return 'retry';
  switch (errorKind) {
    case 'timeout':
    case 'refused':
    case 'dns':
    case 'tls':
    case 'network':
    case 'private-address':
    case 'redirect':
      return 'retry';
    default: {
      const unknown: never = errorKind;
      throw new Error(`unknown delivery error kind ${String(unknown)}`);
    }
  }
}
