/**
 * A tenant resource a relying app registers (a boat, a property, a project).
 * Gatehouse knows its type and name; access to it is decided per member.
 */
export class Entity {
  id!: string;
  tenantId!: string;
  type!: string;
  name!: string;
  externalId!: string | null;
  createdAt!: Date;
  updatedAt!: Date;
  version = 1;

  static create(input: { id: string; tenantId: string; type: string; name: string; externalId?: string | null; now: Date }): Entity {
    const e = new Entity();
    e.id = input.id;
    e.tenantId = input.tenantId;
    e.type = input.type.trim();
    e.name = input.name.trim();
    e.externalId = input.externalId ?? null;
    e.createdAt = input.now;
    e.updatedAt = input.now;
    return e;
  }

  rename(name: string, now: Date): void {
    this.name = name.trim();
    this.updatedAt = now;
  }
}
