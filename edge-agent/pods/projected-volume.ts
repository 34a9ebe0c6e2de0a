// Projected and downwardAPI volumes: the files of several sources in one directory — keys of
// config maps and secrets, the pod's own metadata (downward API: name, namespace, uid, labels,
// annotations), and a ServiceAccount token the hub issued for this pod (the kube-api-access-*
// volume every pod gets: token, ca.crt, namespace). The token already in the directory is handed
// to the token manager, which keeps it when the hub cannot be asked.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { VolumeFile } from './atomic-writer.js';
import { fieldValue } from './container-env.js';
import type { DownwardItem, Volume } from './pod-spec.js';
import { defaultMode, keyFiles, type VolumeContext, VolumeError } from './pod-volumes.js';

const metadataFields =
  /^metadata\.(name|namespace|uid|labels|annotations)$|^metadata\.(labels|annotations)\['.+'\]$/;

export async function projectedVolumeFiles(
  volume: Volume,
  dir: string,
  ctx: VolumeContext,
): Promise<VolumeFile[]> {
  if (volume.downwardAPI) {
    return downwardFiles(
      volume.name,
      volume.downwardAPI.items ?? [],
      volume.downwardAPI.defaultMode ?? defaultMode,
      ctx,
    );
  }
  const mode = volume.projected?.defaultMode ?? defaultMode;
  const files: VolumeFile[] = [];
  for (const source of volume.projected?.sources ?? []) {
    if (source.configMap || source.secret) {
      const ref = source.configMap ?? source.secret;
      const kind = source.configMap ? 'configmap' : 'secret';
      files.push(
        ...keyFiles(
          volume.name,
          { kind, name: ref?.name ?? '', items: ref?.items, optional: ref?.optional },
          mode,
          ctx,
        ),
      );
    } else if (source.downwardAPI) {
      files.push(...downwardFiles(volume.name, source.downwardAPI.items ?? [], mode, ctx));
    } else if (source.serviceAccountToken) {
      const spec = source.serviceAccountToken;
      if (!ctx.tokens)
        throw new VolumeError(volume.name, 'failed to fetch token: this agent has no hub to ask');
      const onDisk = await readFile(join(dir, spec.path), 'utf8').catch(() => undefined);
      try {
        const token = await ctx.tokens.token(ctx.pod, spec, onDisk);
        files.push({ path: spec.path, content: Buffer.from(token), mode });
      } catch (err) {
        throw new VolumeError(volume.name, (err as Error).message);
      }
    }
    // clusterTrustBundle and podCertificate sources are not served by the hub: nothing to write.
  }
  return files;
}

function downwardFiles(
  volumeName: string,
  items: DownwardItem[],
  mode: number,
  ctx: VolumeContext,
): VolumeFile[] {
  return items.map((item) => {
    const path = item.fieldRef?.fieldPath;
    if (!path || !metadataFields.test(path)) {
      const what = path ?? `resourceFieldRef ${item.resourceFieldRef?.resource ?? ''}`;
      throw new VolumeError(volumeName, `downward API volume item ${item.path}: ${what} is not supported`);
    }
    const value = fieldValue(path, {
      pod: ctx.pod,
      nodeName: '',
      configMap: ctx.configMap,
      secret: ctx.secret,
      nodeCapacity: { cpu: 0, memory: 0 },
    });
    return { path: item.path, content: Buffer.from(value), mode: item.mode ?? mode };
  });
}
