import { describe, expect, it } from 'vitest';
import { alignNetworkPrediction } from '../../src/background/network-prediction';
import { readNetworkPrediction, type PredictionSetting } from '../../src/shared/network-prediction';

/**
 * A ChromeSetting<boolean> as Chrome layers it: a policy wins over every
 * extension, another extension installed later wins over this one, and the
 * user's own value shows only when no one controls the setting.
 */
function fakeSetting(layers: { user?: boolean; policy?: boolean; otherExtension?: boolean; ours?: boolean } = {}) {
  const state = { user: true, ...layers };
  const calls: string[] = [];
  const setting: PredictionSetting = {
    async get() {
      calls.push('get');
      if (state.policy !== undefined) return { value: state.policy, levelOfControl: 'not_controllable' };
      if (state.otherExtension !== undefined) return { value: state.otherExtension, levelOfControl: 'controlled_by_other_extensions' };
      if (state.ours !== undefined) return { value: state.ours, levelOfControl: 'controlled_by_this_extension' };
      return { value: state.user, levelOfControl: 'controllable_by_this_extension' };
    },
    async set({ value }: { value: boolean }) {
      calls.push(`set ${value}`);
      if (state.policy !== undefined) throw new Error('the setting is controlled by policy');
      state.ours = value;
    },
    async clear() {
      calls.push('clear');
      delete state.ours;
    },
  };
  const read = () => readNetworkPrediction(setting);
  return { setting, calls, read };
}

describe('network prediction follows the guard', () => {
  it('turns prediction off when the guard is on and nobody else holds the setting', async () => {
    const { setting, calls, read } = fakeSetting();
    await alignNetworkPrediction(setting, true);
    expect(calls).toEqual(['get', 'set false']);
    expect(await read()).toEqual({ enabled: false, levelOfControl: 'controlled_by_this_extension', error: null });
  });

  it('holds it off even when the user had already switched it off, so it stays off while the guard is on', async () => {
    const { setting, calls, read } = fakeSetting({ user: false });
    await alignNetworkPrediction(setting, true);
    expect(calls).toEqual(['get', 'set false']);
    expect(await read()).toEqual({ enabled: false, levelOfControl: 'controlled_by_this_extension', error: null });
  });

  it('does nothing but read when it already holds prediction off, and takes it back if its own value is on', async () => {
    const held = fakeSetting({ ours: false });
    await alignNetworkPrediction(held.setting, true);
    expect(held.calls).toEqual(['get']);
    const on = fakeSetting({ ours: true });
    await alignNetworkPrediction(on.setting, true);
    expect(on.calls).toEqual(['get', 'set false']);
  });

  it('gives the setting back when the guard is off, only if it holds it', async () => {
    const held = fakeSetting({ user: true, ours: false });
    await alignNetworkPrediction(held.setting, false);
    expect(held.calls).toEqual(['get', 'clear']);
    expect(await held.read()).toEqual({ enabled: true, levelOfControl: 'controllable_by_this_extension', error: null });

    const users = fakeSetting({ user: false });
    await alignNetworkPrediction(users.setting, false);
    expect(users.calls).toEqual(['get']);
    expect(await users.read()).toEqual({ enabled: false, levelOfControl: 'controllable_by_this_extension', error: null });
  });

  it('leaves a policy value alone, whichever way it points', async () => {
    for (const policy of [true, false]) {
      const { setting, calls, read } = fakeSetting({ policy });
      await alignNetworkPrediction(setting, true);
      await alignNetworkPrediction(setting, false);
      expect(calls).toEqual(['get', 'get']);
      expect(await read()).toEqual({ enabled: policy, levelOfControl: 'not_controllable', error: null });
    }
  });

  it('leaves another extension’s value alone, and never clears it when the guard is off', async () => {
    const { setting, calls } = fakeSetting({ otherExtension: true, ours: false });
    await alignNetworkPrediction(setting, true);
    await alignNetworkPrediction(setting, false);
    expect(calls).toEqual(['get', 'get']);
  });

  it('never throws: without a privacy API, or when the browser refuses, the guard work after it still runs', async () => {
    await expect(alignNetworkPrediction(null, true)).resolves.toBeUndefined();
    const { setting } = fakeSetting();
    setting.set = async () => {
      throw new Error('not allowed');
    };
    await expect(alignNetworkPrediction(setting, true)).resolves.toBeUndefined();
    setting.get = async () => Promise.reject(new Error('no permission'));
    await expect(alignNetworkPrediction(setting, false)).resolves.toBeUndefined();
  });
});

describe('the pages read the setting', () => {
  it('reports the value and who holds it, null without a privacy API, and the error when reading fails', async () => {
    expect(await readNetworkPrediction(fakeSetting({ policy: true }).setting)).toEqual({ enabled: true, levelOfControl: 'not_controllable', error: null });
    expect(await readNetworkPrediction(null)).toEqual({ enabled: null, levelOfControl: null, error: null });
    const odd: PredictionSetting = { get: async () => ({ value: 'yes', levelOfControl: undefined }), set: async () => undefined, clear: async () => undefined };
    expect(await readNetworkPrediction(odd)).toEqual({ enabled: null, levelOfControl: null, error: null });
    const broken: PredictionSetting = { ...odd, get: async () => Promise.reject(new Error('no permission')) };
    expect(await readNetworkPrediction(broken)).toEqual({ enabled: null, levelOfControl: null, error: 'no permission' });
  });
});
