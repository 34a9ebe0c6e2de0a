// One gateway: its pods (live, from the followed pods), and for the pod picked its events and
// the tail of its logs, read when it is picked, when it changes, and on "Refresh".
import { getJson, getText } from './api.js';
import { ago, el, syncRows } from './format.js';

const logLines = 200;

function podRow(pod, selected, pick) {
  const statuses = pod.status?.containerStatuses ?? [];
  const ready = statuses.filter((c) => c.ready).length;
  const restarts = statuses.reduce((sum, c) => sum + (c.restartCount ?? 0), 0);
  const key = `${pod.metadata.namespace}/${pod.metadata.name}`;
  const row = el(
    'tr',
    { 'data-pod': key, class: `clickable${key === selected ? ' selected' : ''}` },
    el('td', {}, pod.metadata.namespace),
    el('td', { class: 'name' }, pod.metadata.name),
    el(
      'td',
      { class: 'phase' },
      pod.metadata.deletionTimestamp ? 'Terminating' : (pod.status?.phase ?? 'Pending'),
    ),
    el('td', { class: 'ready' }, `${ready}/${pod.spec?.containers?.length ?? statuses.length}`),
    el('td', { class: 'restarts' }, String(restarts)),
  );
  row.addEventListener('click', () => pick(key));
  return row;
}

export class GatewayView {
  constructor(root) {
    this.root = root;
    this.node = undefined;
    this.pod = undefined;
    this.podVersion = undefined;
    this.pods = [];
  }

  show(node) {
    this.node = node;
    this.pod = undefined;
    this.root.querySelector('#pod').hidden = true;
  }

  draw(pods) {
    this.root.hidden = this.node === undefined;
    if (this.node === undefined) return;
    this.root.querySelector('#gateway-title').textContent = `Gateway ${this.node}: pods`;
    const mine = pods.filter((p) => p.spec?.nodeName === this.node);
    mine.sort((a, b) =>
      `${a.metadata.namespace}/${a.metadata.name}`.localeCompare(
        `${b.metadata.namespace}/${b.metadata.name}`,
      ),
    );
    this.pods = pods;
    const rows = mine.map((p) => podRow(p, this.pod, (key) => this.pick(key)));
    syncRows(this.root.querySelector('#gateway-pods').tBodies[0], rows, 'data-pod');
    // The picked pod changed (a restart, a new phase): its events and logs are read again.
    const picked = mine.find((p) => `${p.metadata.namespace}/${p.metadata.name}` === this.pod);
    if (picked && picked.metadata.resourceVersion !== this.podVersion) {
      this.podVersion = picked.metadata.resourceVersion;
      void this.load();
    }
  }

  pick(key) {
    this.pod = key;
    this.podVersion = undefined;
    this.root.querySelector('#pod').hidden = false;
    this.root.querySelector('#pod-title').textContent = `Pod ${key}`;
    this.draw(this.pods);
  }

  async load() {
    if (!this.pod) return;
    const [namespace, name] = this.pod.split('/');
    const events = this.root.querySelector('#pod-events').tBodies[0];
    const logs = this.root.querySelector('#pod-logs');
    const selector = encodeURIComponent(`involvedObject.name=${name},involvedObject.namespace=${namespace}`);
    try {
      const list = await getJson(`/api/v1/namespaces/${namespace}/events?fieldSelector=${selector}`);
      const items = (list.items ?? []).sort((a, b) => eventTime(b) - eventTime(a));
      events.replaceChildren(
        ...items.map((e) =>
          el(
            'tr',
            {},
            el('td', {}, ago(eventTime(e))),
            el('td', {}, e.type ?? ''),
            el('td', {}, e.reason ?? ''),
            el('td', {}, e.message ?? ''),
          ),
        ),
      );
    } catch (err) {
      events.replaceChildren(
        el('tr', {}, el('td', { colspan: 4, class: 'error' }, `events: ${err.message}`)),
      );
    }
    try {
      const text = await getText(`/api/v1/namespaces/${namespace}/pods/${name}/log?tailLines=${logLines}`);
      logs.textContent = text === '' ? '(no log lines yet)' : text;
    } catch (err) {
      logs.textContent = `logs: ${err.message}`;
    }
  }
}

function eventTime(e) {
  return Date.parse(e.lastTimestamp ?? e.eventTime ?? e.metadata?.creationTimestamp ?? '') || 0;
}
