import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, shoot } from './support/browser.ts';
import { EMAIL, loginThroughUi, openFromNav, PASSWORD } from './support/flows.ts';
import { studioSession } from './support/session.ts';

const BOB = 'bob@example.com';
const BOB_PASSWORD = 'bobs first password';
const BOB_NEW_PASSWORD = 'bobs second password';

/** Browsers log every answered-with-an-error fetch; the ones a step provokes on purpose are left out. */
const answered = (...statuses: number[]) => new RegExp(`status of (${statuses.join('|')})`);

describe.skipIf(!chromiumAvailable())('Settings → Users: an admin runs the team’s accounts', () => {
  // The admin's page; Bob signs in from a browser context of his own.
  const session = studioSession();
  let admin: Page;
  let bob: Page;

  const row = (email: string) => admin.getByRole('row').filter({ hasText: email });
  const act = async (email: string, action: string) => {
    await admin.getByRole('button', { name: `Actions for ${email}` }).click();
    await admin.getByRole('menuitem', { name: action, exact: true }).click();
    // The menu fades out; the next action must not find this one's items still there.
    await admin.getByRole('menu').first().waitFor({ state: 'detached' });
  };
  const bobSignsIn = async (password: string) => {
    await bob.goto('/login');
    await loginThroughUi(bob, BOB, password);
  };

  beforeAll(async () => {
    admin = session.page;
    bob = (await session.newPage()).page;
  });

  it('the app is served with its security headers', async () => {
    const res = await admin.goto('/');
    const headers = res?.headers() ?? {};
    expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('same-origin');
  });

  it('the admin opens Settings → Users and creates a user with a plan', async () => {
    await openFromNav(admin, 'Settings');
    await admin.getByRole('tab', { name: 'Users' }).click();
    await row(EMAIL).getByText('Admin', { exact: true }).waitFor();
    await row(EMAIL).getByText('You', { exact: true }).waitFor();

    await admin.getByRole('button', { name: 'New user' }).click();
    const dialog = admin.getByRole('dialog', { name: 'New user' });
    await dialog.getByLabel(/^Email/).fill(BOB);
    await dialog.getByLabel(/^Password/).fill(BOB_PASSWORD);
    await dialog.getByLabel('Plan', { exact: true }).click();
    await admin.getByRole('option', { name: 'Pro' }).click();
    await dialog.getByRole('button', { name: 'Create user' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row(BOB).getByText('pro', { exact: true }).waitFor();
    expect(await row(BOB).getByText('User', { exact: true }).count()).toBe(1);
    await shoot(admin, 'settings-users');
    session.expectNoErrors();
  });

  it('the new user signs in and sees no Users tab', async () => {
    await bobSignsIn(BOB_PASSWORD);
    await bob.getByRole('heading', { name: 'Studios' }).waitFor();
    await bob.goto('/settings?tab=users');
    // The address asks for Users; a non-admin gets the first tab instead.
    await bob.getByRole('tab', { name: 'API tokens', selected: true }).waitFor();
    expect(await bob.getByRole('tab', { name: 'Users' }).count()).toBe(0);
    await bob.getByRole('tab', { name: 'Account' }).click();
    await bob.getByText('This browser').waitFor();
  });

  it('disabling signs the user out at once and refuses their sign-in; enabling lets them back', async () => {
    await act(BOB, 'Disable');
    await row(BOB).getByText('Disabled', { exact: true }).waitFor();

    await bob.reload();
    await bob.waitForURL('**/login');
    await loginThroughUi(bob, BOB, BOB_PASSWORD);
    await bob.getByRole('alert').getByText('This account is disabled').waitFor();

    await act(BOB, 'Enable');
    await row(BOB).getByText('Disabled', { exact: true }).waitFor({ state: 'hidden' });
    session.expectNoErrors();
  });

  it('a password reset takes effect: the old one fails, the new one signs in', async () => {
    await act(BOB, 'Reset password');
    const dialog = admin.getByRole('dialog', { name: 'Reset password' });
    await dialog.getByLabel(/^New password/).fill(BOB_NEW_PASSWORD);
    await dialog.getByRole('button', { name: 'Set password' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await bobSignsIn(BOB_PASSWORD);
    await bob.getByRole('alert').getByText('Email or password is incorrect').waitFor();
    await bobSignsIn(BOB_NEW_PASSWORD);
    await bob.getByRole('heading', { name: 'Studios' }).waitFor();
    session.expectNoErrors();
  });

  it('grants credits and changes the role', async () => {
    const before = Number(
      ((await row(BOB).getByRole('cell').nth(3).textContent()) ?? '').replace(/[^\d]/g, ''),
    );
    await act(BOB, 'Grant credits');
    const dialog = admin.getByRole('dialog', { name: 'Grant credits' });
    await dialog.getByLabel(/^Credits/).fill('250');
    await dialog.getByLabel(/^Reason/).fill('welcome bonus');
    await dialog.getByRole('button', { name: 'Grant credits' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await row(BOB)
      .getByRole('cell', { name: (before + 250).toLocaleString('en-US'), exact: true })
      .or(row(BOB).getByRole('cell', { name: String(before + 250), exact: true }))
      .first()
      .waitFor();

    await act(BOB, 'Make admin');
    await row(BOB).getByText('Admin', { exact: true }).waitFor();
    await act(BOB, 'Make user');
    await row(BOB).getByText('User', { exact: true }).waitFor();
    session.expectNoErrors();
  });

  it('refuses to disable the last admin with the reason', async () => {
    await act(EMAIL, 'Disable');
    await admin.getByText('This is the last active admin').waitFor();
    expect(await row(EMAIL).getByText('Disabled', { exact: true }).count()).toBe(0);
    session.expectNoErrors(answered(409));
  });

  it('deletes a user only after their email is typed; their session ends', async () => {
    await act(BOB, 'Delete');
    const dialog = admin.getByRole('dialog', { name: 'Delete user?' });
    const confirm = dialog.getByRole('button', { name: 'Delete user' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/^Type their email/).fill('someone@example.com');
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/^Type their email/).fill(BOB);
    await confirm.click();
    await dialog.waitFor({ state: 'hidden' });
    await row(BOB).waitFor({ state: 'detached' });

    await bob.reload();
    await bob.waitForURL('**/login');
    session.expectNoErrors(answered(409));
  });

  it('the admin changes their own password in Settings → Account', async () => {
    await admin.getByRole('tab', { name: 'Account' }).click();
    await admin.getByText('This browser').waitFor();
    await admin.getByLabel(/^Current password/).fill('not my password');
    await admin.getByLabel(/^New password/).fill('a brand new password');
    await admin.getByLabel(/^Repeat new password/).fill('a brand new password');
    await admin.getByRole('button', { name: 'Change password' }).click();
    await admin.getByText('The current password is incorrect').waitFor();

    await admin.getByLabel(/^Current password/).fill(PASSWORD);
    await admin.getByRole('button', { name: 'Change password' }).click();
    await admin.getByText('Password changed').waitFor();
    // This browser stays signed in.
    await admin.reload();
    await admin.getByText('This browser').waitFor();
    await shoot(admin, 'settings-account');
    session.expectNoErrors(answered(409, 422));
  });
});
