// pods/binding (the scheduler's write) and pods/eviction (a delete that asks politely).
import { badRequest } from '../../../api/errors.js';
import { parseBody, readBody } from '../http/read-body.js';
import { sendJson } from '../http/respond.js';
import { deleteOptionsFrom } from '../registry/delete-options.js';
import { assignToNode } from '../registry/pod-binding.js';
import type { RequestContext } from './request-context.js';

export async function bindPod(ctx: RequestContext): Promise<void> {
  const { request, resource } = ctx;
  const binding = parseBody(await readBody(ctx.req), ctx.req.headers['content-type']) as
    | { metadata?: { name?: string }; target?: { kind?: string; name?: string } }
    | undefined;
  const nodeName = binding?.target?.name;
  if (!nodeName) throw badRequest('Binding.target.name: Required value: the node to bind to');
  if (binding?.target?.kind && binding.target.kind !== 'Node') {
    throw badRequest(
      `Binding.target.kind: Unsupported value: ${JSON.stringify(binding.target.kind)}: supported values: "Node"`,
    );
  }
  const name = request.name!;
  if (binding?.metadata?.name && binding.metadata.name !== name) {
    throw badRequest(`the name of the binding (${binding.metadata.name}) does not match the pod (${name})`);
  }
  await resource.modify(request.namespace, name, (pod) => assignToNode(pod, nodeName, ctx.clock.now()), {
    subresource: 'binding',
  });
  sendJson(ctx.res, 201, { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code: 201 });
}

export async function evictPod(ctx: RequestContext): Promise<void> {
  const eviction = parseBody(await readBody(ctx.req), ctx.req.headers['content-type']) as
    | { deleteOptions?: unknown }
    | undefined;
  const options = deleteOptionsFrom(eviction?.deleteOptions ?? {}, ctx.query);
  await ctx.resource.delete(ctx.request.namespace, ctx.request.name!, options);
  sendJson(ctx.res, 201, { apiVersion: 'v1', kind: 'Status', metadata: {}, status: 'Success', code: 201 });
}
