import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SpaceType } from '../../../src/engine/policy/glob-space';
import { portClasses, type ClassInput } from '../../../src/engine/policy/port-classes';
import { PortKinds } from '../../../src/engine/policy/port-kinds';

const kind = (witness: string, matches: number[]): SpaceType => ({ witness, matches });

/** The classes by definition: port kinds alike when the same relevant globs (other than one matching every kind) match them. */
function expectedClasses(ports: readonly SpaceType[], relevant: ReadonlySet<number>): { classOf: number[]; reps: number[] } {
  const matchingAll = new Set([...relevant].filter((glob) => ports.every((port) => port.matches.includes(glob))));
  const keyOf = (port: SpaceType) => port.matches.filter((glob) => relevant.has(glob) && !matchingAll.has(glob)).join();
  const classByKey = new Map<string, number>();
  const reps: number[] = [];
  const classOf = ports.map((port, p) => {
    const key = keyOf(port);
    let c = classByKey.get(key);
    if (c === undefined) {
      c = reps.length;
      classByKey.set(key, c);
      reps.push(p);
    }
    return c;
  });
  return { classOf, reps };
}

/** The port globs that matter on a host kind by definition: `everywhere`, those of host globs every kind matches, its own globs' and the right-open rules'. */
function relevantPorts(input: ClassInput, h: number): Set<number> {
  const universal = input.portsAt.flatMap((ports, glob) => (input.hosts.every((host) => host.matches.includes(glob)) ? ports : []));
  const own = input.hosts[h]!.matches.flatMap((glob) => input.portsAt[glob] ?? []);
  return new Set([...input.everywhere, ...universal, ...own, ...input.openPorts(input.hosts[h]!.witness)]);
}

function check(input: ClassInput): void {
  const classes = portClasses(input);
  input.hosts.forEach((_, h) => {
    const relevant = relevantPorts(input, h);
    const { classOf, reps } = expectedClasses(input.ports, relevant);
    [...input.portsAt.flat(), ...input.everywhere].forEach((port) => expect(classes.classesOf[h]!.matters(port)).toBe(relevant.has(port)));
    const got = classes.classesOf[h]!;
    expect([...got.reps]).toEqual(reps);
    expect(input.ports.map((_, p) => got.classOf(p))).toEqual(classOf);
    expect([...classes.portOfPair.subarray(classes.firstPair[h]!, classes.firstPair[h + 1]!)]).toEqual(reps);
  });
}

describe('portClasses: the port kinds each host kind tells apart', () => {
  it('classes by the port globs that matter on the host, numbered by their least port kind, the rest in its place', () => {
    // Port globs: 0 `*`, 1 `443`, 2 `8443`, 3 `*443`, 4 `9000`. Host globs: 0 `*`, 1 `*.acme.com`, 2 `vpn.acme.com`.
    const ports = [kind('1', [0]), kind('443', [0, 1, 3]), kind('1443', [0, 3]), kind('8443', [0, 2, 3]), kind('9000', [0, 4])];
    const hosts = [kind('a', [0]), kind('a.acme.com', [0, 1]), kind('vpn.acme.com', [0, 1, 2])];
    const input: ClassInput = {
      hosts,
      ports,
      everywhere: [0, 1],
      portsAt: [[0], [2], [4, 3]],
      openPorts: () => [],
    };
    const classes = portClasses(input);
    // `a` cares about `*` and 443 only: 443 apart, every other port alike (the rest, met first at port 1).
    expect([...classes.classesOf[0]!.reps]).toEqual([0, 1]);
    expect([0, 1, 2, 3, 4].map((p) => classes.classesOf[0]!.classOf(p))).toEqual([0, 1, 0, 0, 0]);
    // vpn.acme.com tells every port apart: 443, 1443 (`*443`), 8443 and 9000 each match other globs.
    expect([...classes.classesOf[2]!.reps]).toEqual([0, 1, 2, 3, 4]);
    expect(classes.classesOf[2]!.rest).toBe(0);
    expect(classes.firstPair).toEqual(Int32Array.from([0, 2, 5, 10]));
    check(input);
  });

  it('host kinds that care about the same port globs share one set of classes', () => {
    const ports = [kind('1', [0]), kind('443', [0, 1])];
    const hosts = [kind('a.x', [0]), kind('b.x', [0, 1]), kind('c.x', [0, 2])];
    const classes = portClasses({ hosts, ports, everywhere: [0, 1], portsAt: [[], [1], [1]], openPorts: () => [] });
    expect(classes.classesOf[1]).toBe(classes.classesOf[2]);
  });

  it('agrees with the definition on random port globs, host kinds and right-open ports', () => {
    const portGlob = fc.oneof(
      fc.constant('*'),
      fc.integer({ min: 1, max: 99 }).map(String),
      fc.integer({ min: 1, max: 9 }).map((d) => `${d}*`),
      fc.integer({ min: 0, max: 9 }).map((d) => `*${d}`),
      fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 9 })).map(([a, b]) => `${a}*${b}`),
    );
    const scenario = fc
      .record({
        portGlobs: fc.uniqueArray(portGlob, { minLength: 1, maxLength: 12 }),
        hostGlobCount: fc.integer({ min: 1, max: 6 }),
      })
      .chain(({ portGlobs, hostGlobCount }) => {
        const portIndex = fc.integer({ min: 0, max: portGlobs.length - 1 });
        return fc.record({
          portGlobs: fc.constant(portGlobs),
          everywhere: fc.uniqueArray(portIndex, { maxLength: 3 }),
          portsAt: fc.array(fc.array(portIndex, { maxLength: 4 }), { minLength: hostGlobCount, maxLength: hostGlobCount }),
          hostMatches: fc.array(fc.uniqueArray(fc.integer({ min: 0, max: hostGlobCount - 1 }), { maxLength: hostGlobCount }), { minLength: 1, maxLength: 8 }),
          open: fc.array(fc.array(portIndex, { maxLength: 2 }), { minLength: 8, maxLength: 8 }),
        });
      });
    fc.assert(
      fc.property(scenario, ({ portGlobs, everywhere, portsAt, hostMatches, open }) => {
        const ports = new PortKinds(portGlobs).kinds;
        const hosts = hostMatches.map((matches, h) =>
          kind(
            `h${h}`,
            [...matches].sort((a, b) => a - b),
          ),
        );
        check({ hosts, ports, everywhere, portsAt, openPorts: (witness) => open[Number(witness.slice(1))]! });
      }),
      { numRuns: 300 },
    );
  });
});
