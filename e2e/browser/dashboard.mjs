// Drives the Bonfire dashboard in Debian's Chromium (headless) through
// playwright-core: submits the digits sweep from the Submit page, watches
// the task grid reach done live (no reload), opens the ranking and checks
// that a provider's earnings show. e2e/dashboard_browser_test.go runs it
// against a real `bonfire up`; it never downloads a browser.
//
// Environment: DASHBOARD_URL (ending in /dashboard/), BONFIRE_TOKEN,
// SPEC, MODULE, DATA (the sweep's files), ARTIFACTS (screenshot directory),
// CHROMIUM (default /usr/bin/chromium). Exits non-zero on any failure.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const env = (k, d) => {
  const v = process.env[k] ?? d;
  if (v === undefined) {
    throw new Error(`set ${k}`);
  }
  return v;
};
const dash = env("DASHBOARD_URL");
const token = env("BONFIRE_TOKEN");
const artifacts = env("ARTIFACTS");
const shots = [];
const step = (msg) => console.log(`[browser] ${msg}`);

const profile = mkdtempSync(join(tmpdir(), "bonfire-chromium-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: env("CHROMIUM", "/usr/bin/chromium"),
  headless: true,
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  viewport: { width: 1280, height: 900 },
});
const page = context.pages()[0] ?? (await context.newPage());
page.setDefaultTimeout(60_000);
page.on("pageerror", (e) => console.log(`[page error] ${e.message}`));

async function shot(name) {
  const path = join(artifacts, name);
  await page.screenshot({ path, fullPage: true });
  shots.push(path);
}

function assert(cond, msg) {
  if (!cond) {
    throw new Error(msg);
  }
}

try {
  // A form missing the module is refused with the problem at the files field.
  await page.goto(dash + "submit");
  await page.fill('input[name="token"]', token);
  await page.setInputFiles('input[name="spec"]', env("SPEC"));
  await page.setInputFiles('input[name="files"]', [env("DATA")]);
  await Promise.all([page.waitForLoadState("load"), page.click("#submit button")]);
  const filesProblem = await page.locator("#field-files .field-error").textContent();
  assert(/sweep\.wasm/.test(filesProblem) && /module/.test(filesProblem), `files field says ${filesProblem}`);
  assert(await page.locator("#field-spec .field-error").count() === 0, "the spec field shows a problem for a good spec");
  step(`missing module shown at the files field: ${filesProblem.trim()}`);
  await shot("0-submit-problem.png");

  // Submit the sweep: its spec and the two files it names.
  await page.goto(dash + "submit");
  await page.fill('input[name="token"]', token);
  await page.setInputFiles('input[name="spec"]', env("SPEC"));
  await page.setInputFiles('input[name="files"]', [env("MODULE"), env("DATA")]);
  await shot("1-submit.png");
  await Promise.all([page.waitForURL(/\/dashboard\/jobs\/[^/?]+$/), page.click("#submit button")]);
  const jobURL = page.url();
  step(`submitted: ${jobURL}`);

  // The job page: mark the window and count navigations from here on.
  let navigations = 0;
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) {
      navigations++;
    }
  });
  const startedLive = await page.evaluate(() => {
    window.bonfireMarker = "kept";
    window.bonfireCellChanges = 0;
    new MutationObserver((ms) => { window.bonfireCellChanges += ms.length; })
      .observe(document.getElementById("grid"), { subtree: true, attributes: true, attributeFilter: ["class"] });
    return document.getElementById("grid").getAttribute("data-terminal") !== "true";
  });
  const cells = await page.locator("#grid .c").count();
  assert(cells === 6, `the grid has ${cells} cells, want the sweep's 6`);
  await shot("2-job-running.png");

  // Wait, without reloading, until every cell is done.
  await page.waitForFunction(() => {
    const cs = [...document.querySelectorAll("#grid .c")];
    return document.getElementById("job-state").textContent === "succeeded" &&
      cs.length > 0 && cs.every((c) => c.classList.contains("s-done"));
  }, null, { timeout: 300_000 });
  const live = await page.evaluate(() => ({ marker: window.bonfireMarker, changes: window.bonfireCellChanges,
    stream: document.getElementById("grid").getAttribute("data-live") }));
  assert(navigations === 0 && page.url() === jobURL, `the page navigated ${navigations} times while the job ran`);
  assert(live.marker === "kept", "the window marker is gone: the page was reloaded");
  if (startedLive) {
    assert(live.changes > 0, "no grid cell changed in place, yet the job was live when the page loaded");
    assert(live.stream === "ended", `the event stream is ${live.stream}, want ended`);
  } else {
    step("WARNING: the job had already ended when its page loaded; the live update was not exercised");
  }
  step(`grid reached done live (${live.changes} cell updates, stream ${live.stream})`);
  const charged = await page.locator("#job-charged").textContent();
  assert(/[1-9]/.test(charged), `the job page shows ${charged} charged, want its charges`);
  await shot("3-job-done.png");

  // The jobs list finds it by name and by state.
  await page.goto(dash + "jobs?state=succeeded&q=digits");
  assert(await page.locator("#jobs tbody tr", { hasText: "digits-sweep" }).count() === 1, "the jobs list does not find the sweep");
  await page.goto(jobURL);

  // The ranking: six configurations, best first, with its bar chart.
  await Promise.all([page.waitForURL(/\/ranking$/), page.click("#ranking-link")]);
  const rows = await page.locator("#ranking tbody tr").count();
  assert(rows === 6, `the ranking has ${rows} rows, want 6`);
  const metrics = (await page.locator("#ranking td.metric").allTextContents()).map(Number);
  assert(metrics.every((m, i) => i === 0 || metrics[i - 1] >= m), `ranking not best first: ${metrics}`);
  assert(metrics[0] > 0.5, `best accuracy ${metrics[0]}`);
  assert(await page.locator("#ranking-chart svg rect.bar").count() === 6, "the ranking chart lacks its bars");
  step(`ranking: best accuracy ${metrics[0]}`);
  await shot("4-ranking.png");

  // The best configuration's task: its outputs download, its logs show.
  await Promise.all([page.waitForURL(/\/dashboard\/tasks\//), page.locator("#ranking tbody tr a").first().click()]);
  const outputs = await page.locator("#outputs a").allTextContents();
  assert(outputs.includes("metrics.json"), `the task's outputs are ${outputs}, want metrics.json`);
  const href = await page.locator("#outputs a", { hasText: "metrics.json" }).getAttribute("href");
  const got = await page.evaluate(async (u) => (await fetch(u)).json(), href);
  assert(typeof got.accuracy === "number" && got.accuracy === metrics[0], `downloaded metrics.json ${JSON.stringify(got)}`);
  assert(await page.locator("pre.logs").count() === 1 || await page.getByText("No output logged").count() === 1, "the task page shows no logs section");
  await shot("4b-task.png");

  // A provider's earnings appear once its vouchers arrive.
  await page.goto(dash + "providers");
  await page.waitForFunction(async (url) => {
    const html = await (await fetch(url)).text();
    const doc = new DOMParser().parseFromString(html, "text/html");
    return [...doc.querySelectorAll("td.earned")].some((td) => /[1-9]/.test(td.textContent));
  }, dash + "providers", { timeout: 120_000, polling: 200 });
  await page.reload();
  const earned = (await page.locator("td.earned").allTextContents()).filter((s) => /[1-9]/.test(s));
  assert(earned.length > 0, "no provider shows earnings");
  step(`provider earnings: ${earned.join(", ")}`);
  await shot("5-providers.png");
  await page.goto(dash + "money");
  assert((await page.locator("#earnings td.earned").allTextContents()).some((s) => /[1-9]/.test(s)), "the money page shows no earnings");
  await shot("6-money.png");
  await page.goto(dash);
  await shot("7-overview.png");
  step("all checks passed");
} catch (e) {
  console.log(`[browser] FAILED: ${e.stack || e}`);
  try {
    await shot("failure.png");
  } catch {}
  process.exitCode = 1;
} finally {
  for (const s of shots) {
    console.log(`[browser] screenshot ${s}`);
  }
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
