// An index of the broker's retained messages by topic level. aedes' in-memory persistence finds
// the retained messages for a SUBSCRIBE by testing every retained topic against the filter: with
// a retained desired state, presence and summary per gateway, each gateway's SUBSCRIBE scanned
// all of them, and a fleet's join grew with its square (at 5,000 gateways the hub spent 96% of a
// core matching topics and stopped answering TLS handshakes). Here retained messages are kept in
// a tree of topic levels as well, and a filter walks only the branches it can match.
import { Readable } from 'node:stream';
import type { Aedes } from 'aedes';

interface Retained {
  topic: string;
  payload: Buffer;
}

class Level {
  readonly children = new Map<string, Level>();
  packet: Retained | undefined;
}

export class RetainedTree {
  private readonly root = new Level();

  set(packet: Retained): void {
    let node = this.root;
    for (const word of packet.topic.split('/')) {
      let child = node.children.get(word);
      if (!child) {
        child = new Level();
        node.children.set(word, child);
      }
      node = child;
    }
    node.packet = packet;
  }

  delete(topic: string): void {
    const path: Level[] = [this.root];
    const words = topic.split('/');
    for (const word of words) {
      const child = path.at(-1)!.children.get(word);
      if (!child) return;
      path.push(child);
    }
    path.at(-1)!.packet = undefined;
    // Prune the branches left empty.
    for (let i = words.length; i > 0; i--) {
      const node = path[i]!;
      if (node.packet || node.children.size > 0) break;
      path[i - 1]!.children.delete(words[i - 1]!);
    }
  }

  /** Retained messages matching an MQTT filter ([MQTT-4.7]: `+` one level, `#` the rest). */
  *match(filter: string): Generator<Retained> {
    yield* this.walk(this.root, filter.split('/'), 0);
  }

  private *walk(node: Level, words: string[], at: number): Generator<Retained> {
    if (at === words.length) {
      if (node.packet) yield node.packet;
      return;
    }
    const word = words[at]!;
    // Wildcards at the first level do not match topics starting with $ [MQTT-4.7.2-1].
    const skipDollar = at === 0;
    if (word === '#') {
      // The parent level itself ("a/#" matches "a"), then everything below.
      if (at > 0 && node.packet) yield node.packet;
      yield* this.everything(node, skipDollar);
      return;
    }
    if (word === '+') {
      for (const [name, child] of node.children) {
        if (skipDollar && name.startsWith('$')) continue;
        yield* this.walk(child, words, at + 1);
      }
      return;
    }
    const child = node.children.get(word);
    if (child) yield* this.walk(child, words, at + 1);
  }

  private *everything(node: Level, skipDollar: boolean): Generator<Retained> {
    for (const [name, child] of node.children) {
      if (skipDollar && name.startsWith('$')) continue;
      if (child.packet) yield child.packet;
      yield* this.everything(child, false);
    }
  }
}

/** Keeps a tree beside aedes' retained store and answers SUBSCRIBE's lookups from it. */
export function indexRetained(broker: Aedes): RetainedTree {
  const tree = new RetainedTree();
  const persistence = (broker as unknown as { persistence: Record<string, unknown> }).persistence as {
    storeRetained(packet: Retained): Promise<void>;
    createRetainedStreamCombi(filters: string[]): NodeJS.ReadableStream;
    createRetainedStream(filter: string): NodeJS.ReadableStream;
  };
  const store = persistence.storeRetained.bind(persistence);
  persistence.storeRetained = async (packet) => {
    await store(packet);
    if (packet.payload.length === 0) tree.delete(packet.topic);
    else tree.set({ ...packet });
  };
  persistence.createRetainedStreamCombi = (filters) =>
    Readable.from(
      (function* () {
        for (const filter of filters) yield* tree.match(filter);
      })(),
    );
  persistence.createRetainedStream = (filter) => Readable.from(tree.match(filter));
  return tree;
}
