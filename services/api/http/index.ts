export {
  defineRoute,
  type Access,
  type AccountSource,
  type AcceptedResult,
  type AnyRoute,
  type EventStreamResult,
  type HtmlResult,
  type JsonResult,
  type MultipartSpec,
  type Principal,
  type ResponseSpec,
  type RouteDef,
  type RouteRequest,
  type RouteResult,
  type StreamResult,
  type Surface,
  type UploadedFile,
} from './route.js';
export { commandFailure, commandOutcome, resultBranch, type StatusOverrides } from './commandOutcome.js';
export { ACCOUNT_ID } from './access.js';
export type { ApiState } from './ApiState.js';
export { acceptedBody, errorBody, successBody, surfaceOfPath } from './envelope.js';
export { checkRoutes, pathParameters } from './checkRoutes.js';
export { buildOpenApi, openApiProblems, type JsonSchema, type OpenApiDocument, type OpenApiInfo, type OpenApiOperation, type OpenApiParameter } from './openapi.js';
export { TokenBuckets, type TakeResult, type TokenBucketsOptions } from './TokenBuckets.js';
export { validateInput, fieldOfIssue, type InputPart } from './validateInput.js';
export { accessLog } from './accessLog.js';
export { errorHandler } from './errorHandler.js';
export { requestContext } from './requestContext.js';
export { traceRequest } from './traceRequest.js';
export { securityHeaders } from './securityHeaders.js';
export { routeMiddleware, type RouteDependencies } from './routeMiddleware.js';
export { unmatchedRoute } from './unmatchedRoute.js';
