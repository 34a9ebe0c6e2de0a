// gRPC status → RuntimeError, so that the agent can tell "already gone" (NotFound) and
// "containerd is down" (Unavailable) from real failures. containerd 1.6 answers NOT_FOUND (5)
// for unknown IDs and UNKNOWN (2) for runtime and CNI errors (firmware-notes/host-runtime.md §1, pitfall 6).
import { status as GrpcStatus } from '@grpc/grpc-js';
import { RuntimeError } from './container-runtime.js';

interface GrpcErrorLike {
  code?: unknown;
  details?: unknown;
  message?: unknown;
}

export function toRuntimeError(method: string, error: unknown): RuntimeError {
  if (error instanceof RuntimeError) return error;
  const { code, details, message } = (error ?? {}) as GrpcErrorLike;
  const text = typeof details === 'string' && details !== '' ? details : String(message ?? error);
  const qualified = `${method}: ${text}`;
  switch (code) {
    case GrpcStatus.NOT_FOUND:
      return new RuntimeError('NotFound', qualified);
    case GrpcStatus.UNAVAILABLE:
      return new RuntimeError('Unavailable', qualified);
    case GrpcStatus.DEADLINE_EXCEEDED:
      return new RuntimeError('DeadlineExceeded', qualified);
    default:
      return new RuntimeError('Unknown', qualified);
  }
}

export function isNotFound(error: unknown): boolean {
  return error instanceof RuntimeError && error.code === 'NotFound';
}
