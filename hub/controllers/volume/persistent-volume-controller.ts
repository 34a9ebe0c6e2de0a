// The PersistentVolume controller (kube's persistentvolume binder, static binding only): a
// Pending claim binds to the volume volume-binding.ts picks — the volume's claimRef first, then
// the claim's volumeName, then both statuses — and volumes follow their claims through
// Available, Bound and Released. There is no dynamic provisioner: a claim no volume fits stays
// Pending with a FailedBinding event, as in a Kubernetes cluster without one.
import type { KubeObject } from '../../../api/types.js';
import { kubeTime } from '../../apiserver/registry/object-lifecycle.js';
import { EventRecorder } from '../../client/event-recorder.js';
import { objectKey } from '../../client/informer.js';
import { ignoreNotFound } from '../objects/api-writes.js';
import type { ControllerContext } from '../runtime/controller.js';
import { ReconcilingController, type Watch } from '../runtime/reconciling-controller.js';
import {
  bindCompleted,
  boundByController,
  type Claim,
  claimRefTo,
  findBestVolume,
  noVolumeMessage,
  reservedFor,
  satisfies,
  type Volume,
  volumePhase,
} from './volume-binding.js';

const volumes = { group: '', resource: 'persistentvolumes' };
const claims = { group: '', resource: 'persistentvolumeclaims' };
const claimPrefix = 'claim\u0000';
const volumePrefix = 'volume\u0000';

export class PersistentVolumeController extends ReconcilingController {
  private readonly events: EventRecorder;

  constructor(ctx: ControllerContext) {
    super(ctx, {
      name: 'persistentvolume-binder',
      queue: 'persistent_volume',
      failures: { component: 'persistentvolume controller', resource: claims },
    });
    this.events = new EventRecorder(ctx.registry, ctx.clock, ctx.log, 'persistentvolume-controller');
  }

  protected watches(): Watch[] {
    const { informers } = this.ctx;
    const claimChanged = (claim: KubeObject) => [
      claimPrefix + objectKey(claim),
      ...(informers.for(volumes).list() as Volume[])
        .filter((volume) => {
          const ref = volume.spec?.claimRef;
          return ref?.namespace === claim.metadata.namespace && ref?.name === claim.metadata.name;
        })
        .map((volume) => volumePrefix + volume.metadata.name),
    ];
    // A new or changed volume may be what a Pending claim waits for, or what a bound one lost.
    const volumeChanged = (volume: KubeObject) => [
      volumePrefix + volume.metadata.name,
      ...(informers.for(claims).list() as Claim[])
        .filter((claim) => claim.status?.phase !== 'Bound' || claim.spec?.volumeName === volume.metadata.name)
        .map((claim) => claimPrefix + objectKey(claim)),
    ];
    return [
      { resource: claims, keys: claimChanged },
      { resource: volumes, keys: volumeChanged },
    ];
  }

  reconcile(key: string): Promise<undefined> {
    return key.startsWith(claimPrefix)
      ? this.syncClaim(key.slice(claimPrefix.length))
      : this.syncVolume(key.slice(volumePrefix.length));
  }

  private async syncClaim(key: string): Promise<undefined> {
    const claim = this.ctx.informers.for(claims).get(key) as Claim | undefined;
    if (!claim || claim.metadata.deletionTimestamp) return undefined;
    const allVolumes = this.ctx.informers.for(volumes).list() as Volume[];
    const named = claim.spec?.volumeName;
    if (named && claim.metadata.annotations?.[bindCompleted]) {
      const volume = allVolumes.find((v) => v.metadata.name === named);
      if (!volume || volume.spec?.claimRef?.uid !== claim.metadata.uid) {
        await this.setClaimStatus(claim, { phase: 'Lost' });
        await this.events.record(
          claim,
          'Warning',
          'ClaimLost',
          'Bound claim has lost its PersistentVolume. Data on the volume is lost!',
        );
        return undefined;
      }
      await this.setClaimStatus(claim, boundStatus(volume));
      return undefined;
    }
    if (named) {
      const volume = allVolumes.find((v) => v.metadata.name === named);
      const why = !volume
        ? `volume "${named}" not found`
        : volume.spec?.claimRef && !reservedFor(volume, claim)
          ? `volume "${named}" already bound to a different claim.`
          : !satisfies(volume, claim)
            ? `Cannot bind to requested volume "${named}": it does not offer the class, access modes, volume mode or size the claim asks for`
            : undefined;
      if (why || !volume) return this.stayPending(claim, why ?? '');
      await this.bind(claim, volume);
      return undefined;
    }
    const best = findBestVolume(claim, allVolumes);
    if (!best) return this.stayPending(claim, noVolumeMessage(claim));
    await this.bind(claim, best);
    return undefined;
  }

  private async stayPending(claim: Claim, why: string): Promise<undefined> {
    await this.setClaimStatus(claim, { phase: 'Pending' });
    await this.events.record(claim, 'Warning', 'FailedBinding', why);
    return undefined;
  }

  /** Volume first, so two claims racing for one volume cannot both get it (the write re-checks). */
  private async bind(claim: Claim, volume: Volume): Promise<void> {
    const volumeStore = this.ctx.registry.for(volumes);
    const claimed = (await volumeStore.modify(undefined, volume.metadata.name!, (current) => {
      const latest = current as Volume;
      latest.spec = latest.spec ?? {};
      const spec = latest.spec;
      if (spec.claimRef && !reservedFor(latest, claim)) return current;
      if (!spec.claimRef) {
        latest.metadata.annotations = { ...latest.metadata.annotations, [boundByController]: 'yes' };
      }
      spec.claimRef = claimRefTo(claim);
      return latest;
    })) as Volume;
    if (claimed.spec?.claimRef?.uid !== claim.metadata.uid) return;
    await this.setVolumeStatus(claimed, 'Bound');
    const updated = (await ignoreNotFound(
      this.ctx.registry.for(claims).modify(claim.metadata.namespace, claim.metadata.name!, (current) => {
        const latest = current as Claim;
        if (latest.metadata.uid !== claim.metadata.uid) return current;
        const byUs = !latest.spec?.volumeName;
        latest.spec = { ...latest.spec, volumeName: volume.metadata.name! };
        latest.metadata.annotations = {
          ...latest.metadata.annotations,
          [bindCompleted]: 'yes',
          ...(byUs ? { [boundByController]: 'yes' } : {}),
        };
        return latest;
      }),
    )) as Claim | undefined;
    if (updated) await this.setClaimStatus(updated, boundStatus(claimed));
  }

  private async syncVolume(name: string): Promise<undefined> {
    const volume = this.ctx.informers.for(volumes).get(name) as Volume | undefined;
    if (!volume || volume.metadata.deletionTimestamp) return undefined;
    const ref = volume.spec?.claimRef;
    const claim = ref?.name
      ? (this.ctx.informers.for(claims).get(`${ref.namespace}/${ref.name}`) as Claim | undefined)
      : undefined;
    const phase = volumePhase(volume, claim);
    if (phase === 'Unbind') {
      await this.unbind(volume);
      return undefined;
    }
    if (phase !== 'Released' || (volume.spec?.persistentVolumeReclaimPolicy ?? 'Retain') === 'Retain') {
      await this.setVolumeStatus(volume, phase);
      return undefined;
    }
    // Delete and Recycle need a volume plugin to erase the storage; the hub has none.
    const message = `no volume plugin on this hub can ${volume.spec?.persistentVolumeReclaimPolicy === 'Delete' ? 'delete' : 'recycle'} volume "${name}"`;
    await this.setVolumeStatus(volume, 'Failed', message);
    await this.events.record(volume, 'Warning', 'VolumeFailedDelete', message);
    return undefined;
  }

  /** Its claim went to another volume: a volume the controller bound is free again; one an admin reserved stays reserved by name. */
  private async unbind(volume: Volume): Promise<void> {
    await ignoreNotFound(
      this.ctx.registry.for(volumes).modify(undefined, volume.metadata.name!, (current) => {
        const latest = current as Volume;
        if (!latest.spec?.claimRef) return current;
        if (latest.metadata.annotations?.[boundByController]) {
          delete latest.spec.claimRef;
          const { [boundByController]: _bound, ...rest } = latest.metadata.annotations;
          latest.metadata.annotations = rest;
        } else {
          delete latest.spec.claimRef.uid;
          delete latest.spec.claimRef.resourceVersion;
        }
        return latest;
      }),
    );
  }

  private async setVolumeStatus(volume: Volume, phase: string, message?: string): Promise<void> {
    if (volume.status?.phase === phase && volume.status?.message === message) return;
    await ignoreNotFound(
      this.ctx.registry.for(volumes).modify(
        undefined,
        volume.metadata.name!,
        (current) => {
          const status: Record<string, unknown> = {
            phase,
            lastPhaseTransitionTime: kubeTime(this.ctx.clock.now()),
          };
          if (message) status.message = message;
          return { ...current, status };
        },
        { subresource: 'status' },
      ),
    );
  }

  private async setClaimStatus(claim: Claim, status: NonNullable<Claim['status']>): Promise<void> {
    const current = claim.status ?? {};
    if (JSON.stringify({ ...current, ...status }) === JSON.stringify(current)) return;
    await ignoreNotFound(
      this.ctx.registry
        .for(claims)
        .modify(
          claim.metadata.namespace,
          claim.metadata.name!,
          (latest) =>
            latest.metadata.uid === claim.metadata.uid
              ? { ...latest, status: { ...(latest.status as object), ...status } }
              : latest,
          { subresource: 'status' },
        ),
    );
  }
}

/** A bound claim's status shows what its volume offers. */
function boundStatus(volume: Volume): NonNullable<Claim['status']> {
  return {
    phase: 'Bound',
    accessModes: volume.spec?.accessModes ?? [],
    capacity: volume.spec?.capacity ?? {},
  };
}
