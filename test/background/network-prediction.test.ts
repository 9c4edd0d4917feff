import { describe, expect, it } from 'vitest';
import { alignNetworkPrediction, readNetworkPrediction, type PredictionSetting } from '../../src/background/network-prediction';

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
    async set({ value }) {
      calls.push(`set ${value}`);
      if (state.policy !== undefined) throw new Error('the setting is controlled by policy');
      state.ours = value;
    },
    async clear() {
      calls.push('clear');
      delete state.ours;
    },
  };
  return { setting, calls, state };
}

describe('network prediction follows the guard', () => {
  it('turns prediction off when the guard is on and nobody else holds the setting', async () => {
    const { setting, calls } = fakeSetting();
    expect(await alignNetworkPrediction(setting, true)).toEqual({ enabled: false, controlledBy: 'extension', error: null });
    expect(calls).toEqual(['get', 'set false', 'get']);
  });

  it('holds it off even when the user had already switched it off, so it stays off while the guard is on', async () => {
    const { setting, calls } = fakeSetting({ user: false });
    expect(await alignNetworkPrediction(setting, true)).toEqual({ enabled: false, controlledBy: 'extension', error: null });
    expect(calls).toEqual(['get', 'set false', 'get']);
  });

  it('does nothing but read when it already holds prediction off', async () => {
    const { setting, calls } = fakeSetting({ ours: false });
    expect(await alignNetworkPrediction(setting, true)).toEqual({ enabled: false, controlledBy: 'extension', error: null });
    expect(calls).toEqual(['get']);
  });

  it('gives the setting back when the guard is off, only if it holds it', async () => {
    const held = fakeSetting({ user: true, ours: false });
    expect(await alignNetworkPrediction(held.setting, false)).toEqual({ enabled: true, controlledBy: 'browser', error: null });
    expect(held.calls).toEqual(['get', 'clear', 'get']);

    const users = fakeSetting({ user: false });
    expect(await alignNetworkPrediction(users.setting, false)).toEqual({ enabled: false, controlledBy: 'browser', error: null });
    expect(users.calls).toEqual(['get']);
  });

  it('leaves a policy value alone and reports it, whichever way it points', async () => {
    const on = fakeSetting({ policy: true });
    expect(await alignNetworkPrediction(on.setting, true)).toEqual({ enabled: true, controlledBy: 'policy', error: null });
    expect(on.calls).toEqual(['get']);
    const off = fakeSetting({ policy: false });
    expect(await alignNetworkPrediction(off.setting, true)).toEqual({ enabled: false, controlledBy: 'policy', error: null });
    expect(await alignNetworkPrediction(off.setting, false)).toEqual({ enabled: false, controlledBy: 'policy', error: null });
    expect(off.calls).toEqual(['get', 'get']);
  });

  it('leaves another extension’s value alone, and never clears it when the guard is off', async () => {
    const { setting, calls } = fakeSetting({ otherExtension: true, ours: false });
    expect(await alignNetworkPrediction(setting, true)).toEqual({ enabled: true, controlledBy: 'other-extension', error: null });
    expect(await alignNetworkPrediction(setting, false)).toEqual({ enabled: true, controlledBy: 'other-extension', error: null });
    expect(calls).toEqual(['get', 'get']);
  });

  it('reports a failed change with the value as it stands', async () => {
    const { setting } = fakeSetting();
    setting.set = async () => {
      throw new Error('not allowed');
    };
    expect(await alignNetworkPrediction(setting, true)).toEqual({ enabled: true, controlledBy: 'browser', error: 'not allowed' });
  });

  it('says "unavailable" without a privacy API, and for an answer it does not understand', async () => {
    expect(await alignNetworkPrediction(null, true)).toEqual({ enabled: null, controlledBy: 'unavailable', error: null });
    const odd: PredictionSetting = { get: async () => ({ value: 'yes', levelOfControl: 'whatever' }), set: async () => undefined, clear: async () => undefined };
    expect(await readNetworkPrediction(odd)).toEqual({ enabled: null, controlledBy: 'unavailable', error: null });
    const broken: PredictionSetting = { ...odd, get: async () => Promise.reject(new Error('no permission')) };
    expect(await alignNetworkPrediction(broken, true)).toEqual({ enabled: null, controlledBy: 'unavailable', error: 'no permission' });
  });
});
