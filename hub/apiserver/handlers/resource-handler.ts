// Routes a resource request to the handler for its verb and subresource.
import { badRequest, methodNotAllowed, notServed } from '../../../api/errors.js';
import { sendJson } from '../http/respond.js';
import { serveUsage } from '../metrics/metrics-handler.js';
import { servePodLog } from './pod-log.js';
import { servePodStream } from './pod-streams.js';
import { bindPod, evictPod } from './pod-subresources.js';
import { getObject, listObjects } from './read-handlers.js';
import type { RequestContext } from './request-context.js';
import { serveScale } from './scale-handler.js';
import { serveTokenRequest } from './token-request.js';
import { watchObjects } from './watch-handler.js';
import { createObject, deleteCollection, deleteObject, patchObject, updateObject } from './write-handlers.js';

export async function handleResource(ctx: RequestContext): Promise<void> {
  const { request, resource } = ctx;
  const info = resource.info;
  const sub = request.subresource;

  if (!info.namespaced && request.namespace !== undefined) throw notServed();
  if (info.namespaced && request.namespace === undefined && request.name !== undefined) throw notServed();
  if (sub !== undefined && !info.subresources.includes(sub)) throw notServed();

  if (sub === undefined) {
    if (!info.verbs.includes(request.verb)) {
      throw methodNotAllowed(
        `the server does not allow this method on the requested resource (${request.verb} ${info.resource})`,
      );
    }
    if (info.namespaced && request.namespace === undefined && !['list', 'watch'].includes(request.verb)) {
      throw badRequest(`${request.verb} of ${info.resource} needs a namespace`);
    }
    if (resource.definition.usage) return serveUsage(ctx);
    switch (request.verb) {
      case 'get':
        return getObject(ctx);
      case 'list':
        return listObjects(ctx);
      case 'watch':
        return watchObjects(ctx);
      case 'create':
        return createObject(ctx);
      case 'update':
        return updateObject(ctx);
      case 'patch':
        return patchObject(ctx);
      case 'delete':
        return deleteObject(ctx);
      case 'deletecollection':
        return deleteCollection(ctx);
    }
  }

  switch (`${sub}:${request.verb}`) {
    // pods/ephemeralcontainers reads and writes the whole Pod, as kube-apiserver does since 1.22.
    case 'status:get':
    case 'ephemeralcontainers:get':
      return getObject(ctx);
    case 'status:update':
    case 'finalize:update':
    case 'ephemeralcontainers:update':
      return updateObject(ctx);
    case 'status:patch':
    case 'ephemeralcontainers:patch':
      return patchObject(ctx);
    case 'scale:get':
    case 'scale:update':
    case 'scale:patch':
      return serveScale(ctx);
    case 'binding:create':
      return bindPod(ctx);
    case 'eviction:create':
      return evictPod(ctx);
    case 'token:create':
      return serveTokenRequest(ctx, ctx.tokens);
    case 'log:get':
      return servePodLog(ctx);
    case 'exec:get':
    case 'exec:create':
    case 'attach:get':
    case 'attach:create':
    case 'portforward:get':
    case 'portforward:create':
      // The stream itself comes through the server's upgrade event (hub/apiserver/streaming/).
      return servePodStream(ctx, sub as 'exec' | 'attach' | 'portforward');
  }
  throw methodNotAllowed(
    `the server does not allow this method on the requested resource (${request.verb} ${info.resource}/${sub})`,
  );
}

export function sendNotFound(res: Parameters<typeof sendJson>[0]): void {
  sendJson(res, 404, notServed().toStatus());
}
