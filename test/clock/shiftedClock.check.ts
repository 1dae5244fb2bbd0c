// Run by the shifted-clock jest project only (jest.config.js): the control that its clock is the one promised.
describe('the shifted clock', () => {
  it('is a year ahead of the real clock', () => {
    // Act: performance keeps the real clock.
    const ahead = Date.now() - (performance.timeOrigin + performance.now());
    // Assess
    expect(ahead).toBeGreaterThan(360 * 86_400_000);
    expect(ahead).toBeLessThan(367 * 86_400_000);
  });

  it('starts each file seconds before a UTC midnight and moves with real time', async () => {
    // Act
    const first = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 200));
    const second = Date.now();
    // Assess
    expect(new Date(first).toISOString().slice(11, 16)).toMatch(/^(23:59|00:00)$/);
    expect(second - first).toBeGreaterThanOrEqual(150);
  });

  it('keeps pace with the real clock while the event loop is busy (the KMS worker dates its trail by it)', async () => {
    // Prepare
    const ahead = () => Date.now() - (performance.timeOrigin + performance.now());
    const before = ahead();
    // Act: a loaded machine delays every timer; here the event loop itself is held for 600 ms
    const until = performance.now() + 600;
    while (performance.now() < until);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // Assess: still the same distance ahead, to within clock rounding
    expect(Math.abs(ahead() - before)).toBeLessThan(20);
  });
});
