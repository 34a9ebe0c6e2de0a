// The dashboard page: log in with a token, then follow the fleet through the hub's API.
// Five watches are held open (nodes, pods, Deployments, DaemonSets, StatefulSets): a browser
// keeps at most six HTTP/1.1 connections to one origin, so the rest (events, logs, Leases,
// metrics) are single requests made when needed.
import { ApiError, follow, getJson, session, whoami } from './api.js';
import { drawGateways, drawSites, drawWorkloads } from './fleet-view.js';
import { gatewayState, readyCondition } from './format.js';
import { GatewayView } from './gateway-view.js';
import { workloadKinds } from './workloads.js';

const $ = (selector) => document.querySelector(selector);
const metricsEveryMs = 15_000;

function showLogin(message = '') {
  $('#fleet').hidden = true;
  $('#logout').hidden = true;
  $('#live').hidden = true;
  $('#whoami').textContent = '';
  $('#login').hidden = false;
  $('#login-error').textContent = message;
}

async function boot() {
  $('#login').addEventListener('submit', async (event) => {
    event.preventDefault();
    session.keep($('#token').value.trim());
    $('#token').value = '';
    await enter();
  });
  $('#logout').addEventListener('click', () => {
    session.forget();
    location.reload();
  });
  if (session.token()) await enter();
  else showLogin();
}

async function enter() {
  let user;
  try {
    user = await whoami();
  } catch (err) {
    // A token RBAC lets ask nothing, not even who it is, is still a token: show what it may read.
    if (err instanceof ApiError && err.status === 403) return show('');
    session.forget();
    showLogin(
      err instanceof ApiError && err.status === 401
        ? 'The hub does not accept this token.'
        : `Cannot reach the hub: ${err.message}`,
    );
    return;
  }
  show(user);
}

function show(user) {
  $('#login').hidden = true;
  $('#fleet').hidden = false;
  $('#logout').hidden = false;
  $('#whoami').textContent = user;
  startFleet();
}

function startFleet() {
  const notices = new Map();
  const states = new Map();
  const gateway = new GatewayView($('#gateway'));
  const fleet = { leases: new Map(), usage: new Map(), podsOn: () => [] };
  const leaseAsked = new Map();
  let selected;
  let frame;
  const schedule = () => {
    if (frame === undefined) frame = requestAnimationFrame(draw);
  };
  const state = (what) => (kind, message) => {
    states.set(what, kind);
    if (kind === 'unauthorized') {
      session.forget();
      showLogin('The hub no longer accepts this token.');
      return;
    }
    if (kind === 'forbidden') notices.set(what, `${what}: ${message}`);
    else notices.delete(what);
    schedule();
  };
  const nodes = follow('/api/v1/nodes', schedule, state('gateways'));
  const pods = follow('/api/v1/pods', schedule, state('pods'));
  const workloads = workloadKinds.map((w) => ({ ...w, followed: follow(w.path, schedule, state(w.kind)) }));

  // An offline gateway's last heartbeat is its Lease's renewTime: read once each time it goes offline.
  const askLeases = () => {
    for (const node of nodes.objects.values()) {
      const name = node.metadata.name;
      const since = readyCondition(node)?.lastTransitionTime;
      if (gatewayState(node) !== 'offline' || leaseAsked.get(name) === since) continue;
      leaseAsked.set(name, since);
      getJson(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${encodeURIComponent(name)}`)
        .then((lease) => {
          fleet.leases.set(name, lease);
          schedule();
        })
        .catch(() => {});
    }
  };
  // CPU and memory in use, while the hub serves metrics.k8s.io; capacity alone otherwise.
  const readUsage = async () => {
    try {
      const list = await getJson('/apis/metrics.k8s.io/v1beta1/nodes');
      fleet.usage = new Map((list.items ?? []).map((m) => [m.metadata.name, m.usage ?? {}]));
      schedule();
    } catch (err) {
      if (err.status === 404) return;
    }
    setTimeout(readUsage, metricsEveryMs);
  };
  void readUsage();

  function draw() {
    frame = undefined;
    const allPods = [...pods.objects.values()];
    const byNode = new Map();
    for (const pod of allPods) {
      const list = byNode.get(pod.spec?.nodeName) ?? [];
      list.push(pod);
      byNode.set(pod.spec?.nodeName, list);
    }
    fleet.podsOn = (name) => byNode.get(name) ?? [];
    askLeases();
    const nodeList = [...nodes.objects.values()];
    drawSites($('#sites'), nodeList);
    drawGateways($('#gateways'), nodeList, fleet, selected, (name) => {
      selected = name;
      gateway.show(name);
      schedule();
    });
    const rows = workloads.flatMap((w) =>
      [...w.followed.objects.values()].map((obj) => ({
        namespace: obj.metadata.namespace,
        kind: w.kind,
        name: obj.metadata.name,
        ...w.row(obj),
      })),
    );
    drawWorkloads($('#workloads'), rows);
    gateway.draw(allPods);
    const live = $('#live');
    const reconnecting = [...states.values()].includes('reconnecting');
    live.hidden = false;
    live.textContent = reconnecting ? 'reconnecting…' : 'live';
    live.className = reconnecting ? 'live reconnecting' : 'live';
    $('#notices').textContent = [...notices.values()].join('; ');
  }
  $('#pod-refresh').addEventListener('click', () => void gateway.load());
  setInterval(schedule, 1000);
}

void boot();
