import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { z } from '../../../src/lib/zod';
import { defaultSeed, POLICY_ID, type ConsoleSeed, type SeedAccount } from './seed';

/** One stored profile, as the console keeps it. `data` is the `profile_data` JSON string. */
export const StoredProfileSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  type: z.string(),
  data: z.string(),
  dataId: z.string(),
  stamp: z.string(),
  archived: z.boolean(),
});
export type StoredProfile = z.infer<typeof StoredProfileSchema>;

const PersistedSchema = z.object({
  profiles: z.array(StoredProfileSchema),
  defaultProfileId: z.nullable(z.string()),
});

/**
 * The emulator's data, in memory, optionally loaded from and saved to a JSON
 * file (saved after every change, atomically).
 */
export class ConsoleModel {
  readonly accounts: SeedAccount[];
  profiles = new Map<string, StoredProfile>();
  defaultProfileId: string | null;
  readonly policy = {
    policy_id: POLICY_ID,
    policy_name: 'Client Certificates',
    policy_code: 'POLICY_CODE_CLIENT_CERTS',
    policy_status: 'active',
    applications: [
      { app_id: 'a1b2c3d4-0000-4000-8000-000000000001', app_name: 'Secure Browser' },
      { app_id: 'a1b2c3d4-0000-4000-8000-000000000002', app_name: 'Mail' },
    ],
  };
  private lastStampMs = 0;

  constructor(
    seed: ConsoleSeed = defaultSeed(),
    private readonly stateFile?: string,
  ) {
    this.accounts = seed.accounts;
    this.defaultProfileId = seed.defaultProfileId;
    if (stateFile && existsSync(stateFile)) {
      const persisted = PersistedSchema.parse(JSON.parse(readFileSync(stateFile, 'utf8')));
      for (const profile of persisted.profiles) this.profiles.set(profile.id, profile);
      this.defaultProfileId = persisted.defaultProfileId;
    } else {
      for (const profile of seed.profiles) this.put(profile.id, profile.name, profile.description, { clientCertsUrlMatchingRules: profile.rules });
      this.save();
    }
  }

  /** Creates or replaces a profile's fields; its data gets a new stamp and data id. */
  put(id: string, name: string, description: string, data: unknown): StoredProfile {
    const profile: StoredProfile = {
      id,
      name,
      description,
      type: 'client_certs',
      data: typeof data === 'string' ? data : JSON.stringify(data),
      dataId: randomUUID(),
      stamp: this.nextStamp(),
      archived: false,
    };
    this.profiles.set(id, profile);
    this.save();
    return profile;
  }

  setRules(id: string, rules: unknown[]): StoredProfile {
    const profile = this.profiles.get(id);
    if (!profile) throw new Error(`no profile ${id}`);
    return this.put(id, profile.name, profile.description, { clientCertsUrlMatchingRules: rules });
  }

  archive(id: string): boolean {
    const profile = this.profiles.get(id);
    if (!profile || profile.archived) return false;
    profile.archived = true;
    this.save();
    return true;
  }

  setDefault(id: string | null): void {
    this.defaultProfileId = id;
    this.save();
  }

  live(): StoredProfile[] {
    return [...this.profiles.values()].filter((p) => !p.archived);
  }

  /** A stamp in the console's format ("2016-08-19 15:12:15.0"), strictly increasing. */
  nextStamp(): string {
    this.lastStampMs = Math.max(Date.now(), this.lastStampMs + 1);
    const iso = new Date(this.lastStampMs).toISOString();
    const fraction = String(Number(iso.slice(20, 23)));
    return `${iso.slice(0, 10)} ${iso.slice(11, 19)}.${fraction}`;
  }

  private save(): void {
    if (!this.stateFile) return;
    const temp = `${this.stateFile}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify({ profiles: [...this.profiles.values()], defaultProfileId: this.defaultProfileId }, null, 2));
    renameSync(temp, this.stateFile);
  }
}
