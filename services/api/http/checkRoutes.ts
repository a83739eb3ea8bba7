import { WaError } from '../../shared/index.js';
import type { AnyRoute } from './route.js';

const OPERATION_ID = /^[a-z][A-Za-z0-9]*$/;

/** The path parameters of a router path (`/accounts/:accountId/chats/:chatId` → accountId, chatId). */
export function pathParameters(path: string): string[] {
  return [...path.matchAll(/[:*]([A-Za-z_$][\w$]*)/g)].map((match) => match[1]!);
}

/**
 * Refuses a route list the API could not serve as documented: a method and path or an
 * operationId defined twice, an `account` route without its account, an account parameter
 * missing from the path, files on a method without a body.
 */
export function checkRoutes(routes: readonly AnyRoute[]): void {
  const endpoints = new Set<string>();
  const operations = new Set<string>();
  for (const route of routes) {
    const where = `${route.method} ${route.path}`;
    const endpoint = `${route.method} ${route.path.replace(/[:*][A-Za-z_$][\w$]*/g, ':')}`;
    if (endpoints.has(endpoint)) throw invalidRoute(`${where} is defined twice`);
    endpoints.add(endpoint);
    if (!OPERATION_ID.test(route.operationId)) throw invalidRoute(`${where}: operationId ${route.operationId} is not camelCase`);
    if (operations.has(route.operationId)) throw invalidRoute(`${where}: operationId ${route.operationId} is used twice`);
    operations.add(route.operationId);
    if (route.access === 'account' && route.account === undefined) throw invalidRoute(`${where}: access 'account' needs an account source`);
    if (route.account?.startsWith('path:') && !pathParameters(route.path).includes(route.account.slice('path:'.length))) {
      throw invalidRoute(`${where}: account ${route.account} is not a parameter of the path`);
    }
    if (route.multipart && route.method !== 'POST' && route.method !== 'PUT' && route.method !== 'PATCH') {
      throw invalidRoute(`${where}: multipart needs POST, PUT or PATCH`);
    }
  }
}

function invalidRoute(message: string): WaError {
  return new WaError('INVALID_CONFIG', `invalid route: ${message}`);
}
