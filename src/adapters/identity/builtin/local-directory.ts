import type { ExternalMember, ExternalOrganization, IdentityDirectory } from '../../../application/ports/identity-directory.port.js';

/**
 * The directory of the built-in provider: the local store is the directory, so there is
 * nothing else to tell. Every write resolves at once without doing anything, and callers
 * skip writing identity links (`external` is false).
 */
export class LocalDirectory implements IdentityDirectory {
  readonly external = false;

  async createOrganization(): Promise<{ organization: ExternalOrganization; creator: ExternalMember } | null> {
    return null;
  }
  async updateOrganization(): Promise<ExternalOrganization | null> {
    return null;
  }
  async deleteOrganization(): Promise<void> {}
  async addMember(): Promise<ExternalMember | null> {
    return null;
  }
  async changeMemberRole(): Promise<ExternalMember | null> {
    return null;
  }
  async removeMember(): Promise<void> {}
  async discardOrganization(): Promise<void> {}
  async discardMember(): Promise<void> {}
}
