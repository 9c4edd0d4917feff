// @vitest-environment jsdom
import { cleanup, fireEvent, render } from '@testing-library/preact';
import { useState } from 'preact/hooks';
import { afterEach, describe, expect, test } from 'vitest';
import { propsDiffer, pure, useSteady } from '../../src/ui/common/pure';

afterEach(cleanup);

describe('propsDiffer', () => {
  test('compares each prop by identity, both ways; left out and undefined are alike', () => {
    const list = [1];
    expect(propsDiffer({ a: 1, list }, { a: 1, list })).toBe(false);
    expect(propsDiffer({ a: 1, list }, { a: 1, list: [1] })).toBe(true);
    expect(propsDiffer({ a: 1 }, { a: 2 })).toBe(true);
    expect(propsDiffer({ a: 1, b: undefined }, { a: 1 })).toBe(false);
    expect(propsDiffer({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(propsDiffer({ a: 1, b: 2 }, { a: 1 })).toBe(true);
    expect(propsDiffer({ a: 1 }, { a: 1, b: 2 })).toBe(true);
    expect(propsDiffer({}, {})).toBe(false);
  });
});

describe('pure: a component rendered again only when its props change', () => {
  const renders: string[] = [];
  const Row = pure(function Row({ label, onPick }: { label: string; onPick: (label: string) => void }) {
    const [clicks, setClicks] = useState(0);
    renders.push(`${label}:${clicks}`);
    return (
      <button
        data-label={label}
        onClick={() => {
          setClicks(clicks + 1);
          onPick(label);
        }}
      >
        {label} {clicks}
      </button>
    );
  });

  function Owner({ labels }: { labels: string[] }) {
    const [picked, setPicked] = useState<string[]>([]);
    const [unrelated, setUnrelated] = useState(0);
    // Steady: the rows keep one handler though it reads the owner's latest state.
    const pick = useSteady((label: string) => setPicked([...picked, label]));
    return (
      <div>
        <p data-testid="picked">{picked.join(',')}</p>
        <button data-testid="unrelated" onClick={() => setUnrelated(unrelated + 1)}>
          {unrelated}
        </button>
        {labels.map((label) => (
          <Row key={label} label={label} onPick={pick} />
        ))}
      </div>
    );
  }

  test("the owner's other state does not render the rows; a changed prop renders that row only; a row's own state renders it", () => {
    renders.length = 0;
    const view = render(<Owner labels={['a', 'b']} />);
    expect(renders).toEqual(['a:0', 'b:0']);
    fireEvent.click(view.getByTestId('unrelated'));
    expect(view.getByTestId('unrelated').textContent).toBe('1');
    expect(renders).toEqual(['a:0', 'b:0']);
    // The row's own state renders it, and its steady handler reads the owner's latest state.
    fireEvent.click(document.querySelector('[data-label="b"]') as HTMLButtonElement);
    fireEvent.click(document.querySelector('[data-label="b"]') as HTMLButtonElement);
    expect(view.getByTestId('picked').textContent).toBe('b,b');
    expect(renders).toEqual(['a:0', 'b:0', 'b:1', 'b:2']);
    expect(document.querySelector('[data-label="b"]')?.textContent).toBe('b 2');
    // A new list renders only the new row.
    view.rerender(<Owner labels={['a', 'b', 'c']} />);
    expect(renders).toEqual(['a:0', 'b:0', 'b:1', 'b:2', 'c:0']);
  });
});
