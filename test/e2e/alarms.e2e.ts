/**
 * Alarms in Debian Chromium against `vigie serve --estate`, with two operator seats on the same
 * engine, as in a supervision room: the zone A power failure appears on both as one problem with
 * its children; an acknowledgement on one seat shows on the other at once (state, counts, window
 * title); then the outgoing operator hands the shift over and the incoming one takes it.
 */
import { expect, test, type Browser, type Page } from '@playwright/test';
import { engineCall } from './support/engine-call';
import { serveEstate, type ServedEstate } from './support/serve-estate';
import { openAs } from './support/sign-in';

let estate: ServedEstate;

test.beforeAll(async () => {
  estate = await serveEstate();
});
test.afterAll(async () => {
  await estate?.stop();
});

async function openSeat(browser: Browser): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await openAs(page, estate.url, estate.token, 'operator');
  await expect(page.getByTestId('overview')).toBeVisible();
  // From the keyboard: g then a.
  await page.keyboard.press('g');
  await page.keyboard.press('a');
  await expect(page.getByTestId('alarms')).toBeVisible();
  return page;
}

/** The zone A power problem as the engine has it, once it groups some children. */
async function powerProblem(): Promise<{ id: string; children: string[] }> {
  let found: { id: string; children: string[] } | undefined;
  await expect
    .poll(
      async () => {
        const list = await engineCall(estate.url, estate.token, 'alarms.list', {});
        const parent = list.alarms.find(
          (a) =>
            a.origin === 'correlation' && a.subject.id === 'zone-a' && a.cause.code === 'zonePowerFailure',
        );
        const children = parent ? list.alarms.filter((a) => a.parentId === parent.id).map((a) => a.id) : [];
        found = parent && children.length >= 2 ? { id: parent.id, children } : undefined;
        return found !== undefined;
      },
      { timeout: 60_000 },
    )
    .toBe(true);
  return found!;
}

test('two seats: the power failure is one problem, and an acknowledgement on one shows on the other', async ({
  browser,
}, testInfo) => {
  const seatA = await openSeat(browser);
  const seatB = await openSeat(browser);
  const drill = await estate.cli([
    'estate',
    'scenario',
    'zone-a-power-failure',
    '--data-dir',
    estate.dataDir,
  ]);
  expect(drill.code, drill.out).toBe(0);
  const problem = await powerProblem();

  for (const seat of [seatA, seatB]) {
    const parentRow = seat.locator(`[data-testid="alarm-row"][data-alarm-id="${problem.id}"]`);
    await expect(parentRow).toBeVisible({ timeout: 30_000 });
    await expect(parentRow).toHaveAttribute('data-state', 'outstanding');
    await expect(parentRow).toHaveAttribute('data-depth', '0');
    // Something is outstanding: the title says so on both seats.
    await expect.poll(() => seat.title()).toMatch(/^\(\d+\)/);
  }
  await seatA.screenshot({ path: testInfo.outputPath('alarms-seat-a.png') });

  // Seat A: select the problem, `a`, a comment, sticky, submit.
  await seatA.locator(`[data-testid="alarm-row"][data-alarm-id="${problem.id}"]`).click();
  await seatA.keyboard.press('a');
  const comment = seatA.getByTestId('alarm-comment');
  await expect(comment).toBeVisible();
  await seatA.getByTestId('alarm-submit').click();
  // No comment, no acknowledgement.
  await expect(seatA.getByTestId('comment-required')).toBeVisible();
  await comment.fill('Generator starting, facilities on site');
  await seatA.getByTestId('ack-sticky').check();
  await seatA.getByTestId('alarm-submit').click();

  // Seat B sees it without doing anything: the problem and its children acknowledged.
  const onB = seatB.locator(`[data-testid="alarm-row"][data-alarm-id="${problem.id}"]`);
  await expect(onB).toHaveAttribute('data-state', 'acknowledged', { timeout: 10_000 });
  const list = await engineCall(estate.url, estate.token, 'alarms.list', {});
  const parent = list.alarms.find((a) => a.id === problem.id)!;
  expect(parent.ack).toMatchObject({ comment: 'Generator starting, facilities on site', mode: 'sticky' });
  expect(list.alarms.filter((a) => a.parentId === problem.id && a.state === 'outstanding')).toEqual([]);
  // Nothing of zone A is outstanding on seat B any more (its badge and title follow the engine).
  const outstandingA = list.alarms.filter((a) => a.state === 'outstanding' && a.subject.zoneId === 'zone-a');
  expect(outstandingA).toEqual([]);
  if (list.alarms.every((a) => a.state !== 'outstanding'))
    await expect.poll(() => seatB.title()).not.toMatch(/^\(\d+\)/);
  await seatB.screenshot({ path: testInfo.outputPath('alarms-seat-b-acknowledged.png') });

  // The history says who, when and why.
  await onB.dblclick();
  const detail = seatB.getByTestId('alarm-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByTestId('alarm-history')).toContainText('Generator starting, facilities on site');

  // Shift handover: A hands over with notes, B takes the shift.
  await seatA.keyboard.press('Escape');
  await seatA.getByTestId('open-handover').click();
  await expect(seatA.getByTestId('handover-digest')).toBeVisible();
  await seatA.getByTestId('handover-notes').fill('Zone A on generator; facilities call back at 16:00.');
  await seatA.getByTestId('handover-submit').click();
  await expect(seatA.getByTestId('handover-submitted')).toBeVisible();
  await expect(seatB.getByTestId('handover-pending')).toBeVisible({ timeout: 10_000 });
  await seatB.getByTestId('handover-pending').getByRole('button').click();
  await seatB.getByTestId('handover-take-submit').click();
  await expect(seatB.getByTestId('handover-taken').first()).toBeVisible();
  const handovers = await engineCall(estate.url, estate.token, 'handover.list', {});
  expect(handovers.handovers[0]).toMatchObject({
    notes: 'Zone A on generator; facilities call back at 16:00.',
  });
  expect(handovers.handovers[0]!.acknowledgedAt).not.toBeNull();
  expect(handovers.handovers[0]!.digest.acknowledged.some((a) => a.id === problem.id)).toBe(true);
  await seatB.screenshot({ path: testInfo.outputPath('handover-seat-b.png') });
});
