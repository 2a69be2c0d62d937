import { describe, expect, it } from 'vitest';
import { buildDiagram } from '../../src/report/html/diagram-model.js';
import { renderPage } from '../../src/report/html/page.js';
import { renderRunSection } from '../../src/report/html/run-section.js';
import { FIXTURE_NODES, fixtureRun } from './html-fixture.js';

const LIMITS = { arrows: 1000, timers: 1000, notes: 1000 };

describe('HTML report: the diagram of one run', () => {
  it('should give each node a lane followed by its span tracks and actors, and the scenario a lane of its own', () => {
    // Arrange
    const result = fixtureRun(2);

    // Act
    const diagram = buildDiagram(result, FIXTURE_NODES, LIMITS);

    // Assert
    expect(diagram.lanes.map((l) => l.id)).toEqual([
      'scenario',
      'control-plane',
      'control-plane/rc',
      'TE-1',
      'TE-1#worker',
      'TE-1/te',
      'TE-2',
      'TE-2/te',
    ]);
  });

  it('should draw process lifetimes that end at a crash and start again at the restart', () => {
    // Arrange
    const result = fixtureRun(0);

    // Act
    const lives = buildDiagram(result, FIXTURE_NODES, LIMITS).spans.filter(
      (s) => s.kind === 'life' && s.title.startsWith('TE-1'),
    );

    // Assert
    expect(lives.map((s) => [s.fromUs, s.toUs, s.label])).toEqual([
      [0, 10_000_000, '#0'],
      [20_000_000, 60_000_000, '#1'],
    ]);
  });

  it('should mark the causal chain: the why steps and the events linking one step to the one before', () => {
    // Arrange
    const result = fixtureRun(3);

    // Act
    const diagram = buildDiagram(result, FIXTURE_NODES, LIMITS);

    // Assert
    expect(diagram.arrows.filter((a) => a.chain).map((a) => a.seq)).toEqual([4, 5]);
    expect(diagram.arrows.filter((a) => a.type === 'ping').every((a) => !a.chain)).toBe(true);
    // The heartbeat timer (seq 3) is not a step but links the restart (2) to the heartbeat (4).
    expect(diagram.marks.find((m) => m.seq === 3)?.chain).toBe(true);
    expect(diagram.marks.filter((m) => m.kind === 'why').map((m) => m.label)).toEqual([
      '1',
      '2',
      '4',
      '5',
      '6',
    ]);
  });

  it('should draw a cause link where no message arrow shows it, and none where the send is the cause', () => {
    // Arrange
    const result = fixtureRun(0);

    // Act
    const links = buildDiagram(result, FIXTURE_NODES, LIMITS).causeLinks;

    // Assert: restart → its timer (another lane), heartbeat delivery → the retry timer 9 s later.
    expect(links.map((l) => [l.fromUs, l.toUs])).toEqual([
      [20_000_000, 21_000_000],
      [21_005_000, 30_000_000],
    ]);
  });

  it('should cap a large trace, keeping the chain first, and say what it left out', () => {
    // Arrange
    const result = fixtureRun(50);

    // Act
    const diagram = buildDiagram(result, FIXTURE_NODES, { arrows: 5, timers: 1000, notes: 1000 });

    // Assert
    expect(diagram.arrows).toHaveLength(5);
    expect(diagram.arrows.filter((a) => a.chain).map((a) => a.seq)).toEqual([4, 5]);
    expect(diagram.omitted.join('\n')).toContain('47 of 52 messages not drawn');
    expect(diagram.omitted.join('\n')).toContain('ping ×47');
  });

  it('should draw a violation band over its episode', () => {
    // Arrange
    const result = fixtureRun(0);

    // Act
    const bands = buildDiagram(result, FIXTURE_NODES, LIMITS).bands;

    // Assert
    expect(bands.map((b) => [b.invariant, b.fromUs, b.toUs])).toEqual([
      ['no-foreign-read', 25_000_000, 40_000_000],
    ]);
  });
});

describe('HTML report: the page', () => {
  it('should be one self-contained file that fetches nothing', () => {
    // Arrange
    const section = renderRunSection(fixtureRun(2), FIXTURE_NODES, { id: 'r1' });

    // Act
    const html = renderPage('t', 'intro', [section]);

    // Assert
    expect(html).not.toMatch(/\b(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).toContain("default-src 'none'");
  });

  it('should escape text from the run, so a note cannot inject markup', () => {
    // Arrange
    const evil = '</script><script>alert(1)</script><b onload="x">';

    // Act
    const html = renderPage('t', 'intro', [
      renderRunSection(fixtureRun(0, evil), FIXTURE_NODES, { id: 'r1' }),
    ]);

    // Assert
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<b onload');
    expect(html).toContain('&lt;/script&gt;&lt;script&gt;alert(1)');
  });
});
