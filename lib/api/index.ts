// The REST + WebSocket API of the controller: createApp for the express app, attachEvents for the
// live feed on the same HTTP server, apiDeps for what the two share.
export { createApp, apiResources, BODY_LIMIT } from './app.ts';
export { answerMalformedRequests } from './serving.ts';
export { attachEvents, EventHub, type ApiEvent, type EventsHandle } from './events.ts';
export { apiDeps, type ApiDeps, type ApiBaseDeps, type ApiOptions } from './deps.ts';
export { pendingOperations } from './pending-operations.ts';
export { openApiDocument } from './openapi.ts';
export type { SupervisionSource } from './views.ts';
