import { describe, expect, it } from 'vitest';
import type { AccessSnapshot, AccessSnapshotReader } from '../../src/application/ports/access-snapshot-reader.port.js';
import type { EntityRepository } from '../../src/application/ports/entity-repository.port.js';
import type { Invalidation, InvalidationBus } from '../../src/application/ports/invalidation-bus.port.js';
import { AccessViews } from '../../src/application/services/access-views.js';
import { decide } from '../../src/domain/access/decide.js';
import type { EntityLevel } from '../../src/domain/access/entity-level.js';
import { Entity } from '../../src/domain/tenancy/entity.js';

const ORG = 'org-1';

/** A store whose reads can be held back, to interleave a build with an invalidation. */
class ScriptedSnapshots implements AccessSnapshotReader {
  level: EntityLevel | null = null;
  memberVersion = 1;
  reads = 0;
  private gate: Promise<void> | null = null;
  private release: () => void = () => {};

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.release = resolve;
    });
  }

  open(): void {
    this.gate = null;
    this.release();
  }

  async read(): Promise<AccessSnapshot> {
    this.reads++;
    // The data is taken when the read starts, as a database snapshot would be.
    const snapshot: AccessSnapshot = {
      members: [{ membershipId: 'carol', role: 'member', customRoles: [], status: 'active', version: this.memberVersion }],
      customRoles: [],
      grants: this.level ? [{ entityId: 'boat', membershipId: 'carol', level: this.level }] : [],
    };
    if (this.gate) await this.gate;
    return snapshot;
  }
}

class FakeBus implements InvalidationBus {
  live = true;
  private readonly listeners = new Set<(m: Invalidation) => void>();
  async publish(message: Invalidation): Promise<void> {
    for (const listener of this.listeners) listener(message);
  }
  subscribe(listener: (m: Invalidation) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  connected(): boolean {
    return this.live;
  }
}

/** Only `findById` matters here; the rest of the port is never called. */
class FakeEntities implements EntityRepository {
  readonly owned = new Set<string>(['boat']);
  lookups = 0;
  async findById(tenantId: string, id: string): Promise<Entity | null> {
    this.lookups++;
    return tenantId === ORG && this.owned.has(id) ? Entity.create({ id, tenantId, type: 'boat', name: id, now: new Date(0) }) : null;
  }
  list = async (): Promise<Entity[]> => [];
  count = async (): Promise<number> => 0;
  save = async (): Promise<void> => {};
  delete = async (): Promise<boolean> => false;
}

function world() {
  const snapshots = new ScriptedSnapshots();
  const bus = new FakeBus();
  const entities = new FakeEntities();
  const views = new AccessViews({ snapshots, bus, entities });
  const canView = async () => decide((await views.get(ORG)).view, 'carol', 'entity:view', 'boat').allowed;
  return { snapshots, bus, entities, views, canView };
}

describe('AccessViews', () => {
  it('builds once, serves from the cache, and rebuilds after an access invalidation of that organization only', async () => {
    const { snapshots, bus, views, canView } = world();
    expect(await canView()).toBe(false);
    expect(await canView()).toBe(false);
    expect(snapshots.reads).toBe(1);
    snapshots.level = 'viewer';
    await bus.publish({ topic: 'access', id: 'another-org' });
    expect(await canView()).toBe(false);
    await bus.publish({ topic: 'access', id: ORG });
    expect(await canView()).toBe(true);
    expect(snapshots.reads).toBe(2);
    expect(views.builds).toBe(2);
  });

  it('shares one build between concurrent misses', async () => {
    const { snapshots, views } = world();
    snapshots.hold();
    const pending = [views.get(ORG), views.get(ORG), views.get(ORG)];
    snapshots.open();
    const [a, b, c] = await Promise.all(pending);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(snapshots.reads).toBe(1);
  });

  it('discards a build that raced an invalidation: the next decision reads again', async () => {
    const { snapshots, bus, views, canView } = world();
    snapshots.hold();
    const racing = views.get(ORG); // reads "no grant" …
    snapshots.level = 'editor'; // … the grant commits …
    await bus.publish({ topic: 'access', id: ORG }); // … and is published before the build finishes.
    snapshots.open();
    expect(decide((await racing).view, 'carol', 'entity:view', 'boat').allowed).toBe(false);
    expect(await canView()).toBe(true);
    expect(snapshots.reads).toBe(2);
    expect(await canView()).toBe(true);
    expect(snapshots.reads).toBe(2);
  });

  it('a wildcard invalidation (the bus may have lost messages) drops every view, builds in flight included', async () => {
    const { snapshots, bus, views, canView } = world();
    await canView();
    snapshots.hold();
    const racing = views.get('org-2');
    snapshots.level = 'viewer';
    await bus.publish({ topic: 'access', id: '*' });
    snapshots.open();
    await racing;
    expect(await canView()).toBe(true);
    await views.get('org-2');
    expect(snapshots.reads).toBe(4);
  });

  it('keeps nothing while the bus is disconnected', async () => {
    const { snapshots, bus, canView } = world();
    bus.live = false;
    await canView();
    await canView();
    expect(snapshots.reads).toBe(2);
    bus.live = true;
    await canView();
    await canView();
    expect(snapshots.reads).toBe(3);
  });

  it('rebuilds once when the caller’s membership is newer than the view (a writer that did not publish)', async () => {
    const { snapshots, views } = world();
    await views.get(ORG);
    snapshots.memberVersion = 2;
    snapshots.level = 'admin';
    const access = await views.forMember(ORG, 'carol', 2);
    expect(decide(access.view, 'carol', 'entity:delete', 'boat').allowed).toBe(true);
    expect(snapshots.reads).toBe(2);
    await views.forMember(ORG, 'carol', 2);
    expect(snapshots.reads).toBe(2);
  });

  it('remembers which entities belong to the organization until its next invalidation', async () => {
    const { bus, entities, views } = world();
    await views.get(ORG);
    expect(await views.ownsEntity(ORG, 'boat')).toBe(true);
    expect(await views.ownsEntity(ORG, 'boat')).toBe(true);
    expect(entities.lookups).toBe(1);
    expect(await views.ownsEntity('org-2', 'boat')).toBe(false);
    expect(await views.ownsEntity(ORG, 'ghost')).toBe(false);
    expect(await views.ownsEntity(ORG, 'ghost')).toBe(false);
    entities.owned.delete('boat');
    await bus.publish({ topic: 'access', id: ORG });
    await views.get(ORG);
    expect(await views.ownsEntity(ORG, 'boat')).toBe(false);
  });

  it('refuses to build a view from inconsistent stored data (an internal error, not a silently repaired view)', async () => {
    const bus = new FakeBus();
    const broken: AccessSnapshotReader = {
      read: async () => ({ members: [{ membershipId: 'm', role: 'member', customRoles: ['ghost'], status: 'active', version: 1 }], customRoles: [], grants: [] }),
    };
    const views = new AccessViews({ snapshots: broken, bus, entities: new FakeEntities() });
    await expect(views.get(ORG)).rejects.toThrow(/ACCESS_UNKNOWN_CUSTOM_ROLE/);
  });
});
