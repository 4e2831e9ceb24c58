import { connectedApp } from './tests/support/app';
import { openUi } from './tests/support/browser';
const app = await connectedApp({ socketPath: '/tmp/i3p/podman.sock', args: [], env: {}, dir: '/tmp/i3p', busybox: '' } as never);
const ui = await openUi(app, { path: process.argv[2] ?? '/containers' });
const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
await wait(2500);
for (const [i, step] of (process.argv.slice(3)).entries()) {
  if (step.startsWith('goto:')) await ui.page.evaluate((p) => (window.location.hash = p), step.slice(5));
  else if (step.startsWith('click:')) await ui.page.getByText(step.slice(6), { exact: true }).first().click();
  else if (step.startsWith('testid:')) await ui.page.getByTestId(step.slice(7)).first().click();
  else if (step.startsWith('label:')) await ui.page.getByLabel(step.slice(6)).first().click();
  else if (step.startsWith('option:')) await ui.page.getByRole('option', { name: step.slice(7) }).first().click();
  else if (step.startsWith('tab:')) await ui.page.getByRole('tab', { name: step.slice(4) }).first().click();
  else if (step.startsWith('button:')) await ui.page.getByRole('button', { name: step.slice(7) }).first().click();
  else if (step.startsWith('fill:')) { const [l, v] = step.slice(5).split('='); await ui.page.getByLabel(l!).first().fill(v!); }
  else if (step.startsWith('filltid:')) { const [l, v] = step.slice(8).split('='); await ui.page.getByTestId(l!).first().fill(v!); }
  else if (step.startsWith('wait:')) await wait(Number(step.slice(5)));
  else if (step.startsWith('type:')) await ui.page.keyboard.type(step.slice(5));
  else if (step.startsWith('shot:')) { await wait(1500); await ui.screenshot(step.slice(5)); }
  else if (step.startsWith('view:')) { await wait(1500); await ui.page.screenshot({ path: `test-results/screenshots/${step.slice(5)}.png` }); }
  else if (step.startsWith('scroll:')) { await ui.page.getByText(step.slice(7)).first().scrollIntoViewIfNeeded(); }
  await wait(600);
}
console.log('errors', ui.errors);
await ui.close(); await app.close();
