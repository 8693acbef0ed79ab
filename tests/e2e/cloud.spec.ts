import type { Locator, Page } from "@playwright/test";
import { expect, expectNoSeriousAxeViolations, test, trackForeignRequests } from "./fixtures";
import { typeInConsole } from "./vm-helpers";

test.describe.configure({ timeout: 360_000 });

const WEB_USER_DATA = `mkdir -p /www
echo "served by $(hostname)" > /www/index.html
httpd -h /www
echo httpd-started`;

async function launch(
  page: Page,
  fields: { name: string; image?: string; group: string; userData?: string },
): Promise<Locator> {
  const form = page.getByRole("form", { name: "Launch instance" });
  await form.getByLabel("Name").fill(fields.name);
  if (fields.image) await form.getByLabel("Image").selectOption({ label: fields.image });
  await form.getByRole("radio", { name: /^t\.small/ }).check();
  const group = form.getByLabel("Security group");
  const option = group.locator("option", { hasText: new RegExp(`^${fields.group} \\(`) });
  await group.selectOption((await option.getAttribute("value"))!);
  await form.getByLabel(/^User data/).fill(fields.userData ?? "");
  await form.getByRole("button", { name: "Launch instance" }).click();
  await expect(form.getByRole("status")).toContainText(`Launched ${fields.name}`);
  // The wide layout's row (the page is desktop-sized).
  return page.locator(`tbody[data-instance="${fields.name}"]`);
}

let fetches = 0;

/**
 * wget from the client's console; resolves once it printed the page or failed, as expected. Not
 * `wget -T`: the live guest's busybox wget crashes (SIGSEGV) with it when nothing answers.
 */
async function fetchFrom(page: Page, client: Locator, address: string, served: string | null) {
  const n = 1000 + ++fetches;
  await typeInConsole(
    page,
    client,
    `timeout 5 wget -q -O - http://${address}/ && echo "ok $((${n}-1000+1000))" || echo "no $((${n}-1000+1000))"`,
    served === null ? `no ${n}` : new RegExp(`${served}\\s*ok ${n}`),
  );
}

test("a cloud in the page: user data serves a page, a security group blocks then allows it, images, stop, start, terminate, a scaling group behind a load balancer replaces an instance", async ({
  page,
  baseURL,
}) => {
  const foreign = await trackForeignRequests(page, baseURL!);
  await page.goto("/cloud");
  await expect(page.getByRole("heading", { name: "Launch instance" })).toBeVisible();

  // A group with no inbound rules for the web server.
  const newGroup = page.getByRole("form", { name: "Create security group" });
  await newGroup.getByLabel("New group name").fill("web");
  await newGroup.getByRole("button", { name: "Create group" }).click();
  const webGroup = page.getByRole("region", { name: "Security group web" });
  await expect(webGroup).toContainText("No inbound rules");

  const web = await launch(page, { name: "web-1", group: "web", userData: WEB_USER_DATA });
  const client = await launch(page, { name: "client", group: "default" });
  await expect(web).toHaveAttribute("data-state", /pending|running/);
  await expect(web).toHaveAttribute("data-state", "running", { timeout: 120_000 });
  await expect(client).toHaveAttribute("data-state", "running", { timeout: 120_000 });
  // User data ran through the agent at first boot; its output is kept.
  await expect(web.locator("[data-user-data]")).toHaveText("done", { timeout: 60_000 });
  await web.getByText(/^User data/).click();
  await expect(web.locator("pre")).toContainText("httpd-started");
  const webAddress = (await web.locator("[data-address]").textContent())!.trim();
  expect(webAddress).toMatch(/^10\.0\.0\.\d+$/);

  // Connect opens the client's console; its fetch is dropped at the switch.
  await client.getByRole("button", { name: "Connect to client" }).click();
  const console_ = page.getByRole("region", { name: "VM client" });
  await console_.scrollIntoViewIfNeeded();
  await fetchFrom(page, console_, webAddress, null);
  // The switch counted what it refused at web-1's port (its counters come a few times a second).
  await expect(web.locator("[data-blocked]")).toHaveText(/^[1-9]\d*$/);

  // A rule for port 80 from the page network lets it in, on the running instance at once.
  const ruleForm = webGroup.getByRole("form", { name: "Add inbound rule to web" });
  await ruleForm.getByLabel("Port", { exact: true }).fill("80");
  await ruleForm.getByLabel(/^Source/).fill("10.0.0.0/24");
  await ruleForm.getByRole("button", { name: "Add rule" }).click();
  await expect(webGroup).toContainText("tcp 80 from 10.0.0.0/24");
  await fetchFrom(page, console_, webAddress, "served by web-1");

  // An image of web-1, and an instance launched from it serves the same page at once.
  await web.getByRole("button", { name: "Create image of web-1" }).click();
  const imageForm = web.getByRole("form", { name: "Create image of web-1" });
  await imageForm.getByLabel("Image name").fill("web image");
  await imageForm.getByRole("button", { name: "Save image" }).click();
  await expect(page.locator('[data-image="web image"]')).toBeVisible({ timeout: 30_000 });
  const web2 = await launch(page, { name: "web-2", image: "web image (128 MiB)", group: "web" });
  await expect(web2).toHaveAttribute("data-state", "running", { timeout: 120_000 });
  const web2Address = (await web2.locator("[data-address]").textContent())!.trim();
  expect(web2Address).not.toBe(webAddress);
  await fetchFrom(page, console_, web2Address, "served by web-1");

  // Stop keeps the machine; Start brings it back serving.
  await web2.getByRole("button", { name: "Stop web-2" }).click();
  await expect(web2).toHaveAttribute("data-state", "stopping");
  await expect(web2).toHaveAttribute("data-state", "stopped", { timeout: 60_000 });
  await fetchFrom(page, console_, web2Address, null);
  await web2.getByRole("button", { name: "Start web-2" }).click();
  await expect(web2).toHaveAttribute("data-state", "running", { timeout: 120_000 });
  await expect(web2.locator("[data-cost]")).toHaveText(/^\$0\.\d{5}$/);

  // Terminate asks first, then the VM is gone and the row says so.
  await web2.getByRole("button", { name: "Terminate web-2" }).click();
  await web2.getByRole("button", { name: "Terminate it" }).click();
  await expect(web2).toHaveAttribute("data-state", "terminated", { timeout: 30_000 });
  await expect(web2.locator("[data-address]")).toBeVisible();

  // An auto scaling group of two, each member serving a page that names it, behind a
  // round-robin load balancer; a terminated member is replaced and the balancer keeps answering.
  const asgForm = page.getByRole("form", { name: "Create auto scaling group" });
  await asgForm
    .getByLabel("Launch from image")
    .selectOption({ label: "Live Linux (course image)" });
  await asgForm.getByLabel("Its security group").selectOption({ label: "web" });
  await asgForm.getByLabel("User data for each new member").fill(WEB_USER_DATA);
  await asgForm.getByRole("button", { name: "Create auto scaling group" }).click();
  const asg = page.getByRole("region", { name: "Auto scaling group web-asg" });
  const member = (n: number) => page.locator(`tbody[data-instance="web-asg-${n}"]`);
  for (const n of [1, 2])
    await expect(member(n)).toHaveAttribute("data-state", "running", { timeout: 120_000 });

  const lbForm = page.getByRole("form", { name: "Create load balancer" });
  await lbForm.getByLabel("Balancer's security group").selectOption({ label: "web" });
  await lbForm.getByRole("button", { name: "Create load balancer" }).click();
  const balancer = page.getByRole("region", { name: "Load balancer lb-1" });
  const address = async (n: number) =>
    (await member(n).locator("[data-address]").textContent())!.trim();
  await expect(balancer).toHaveAttribute(
    "data-targets",
    `${await address(1)} ${await address(2)}`,
    {
      timeout: 120_000,
    },
  );
  const lbAddress = (await balancer.locator("[data-balancer-address]").textContent())!.trim();
  await typeInConsole(
    page,
    console_,
    `for i in 1 2; do timeout 10 wget -q -O - http://${lbAddress}/; done; echo "lb $((500+1))"`,
    /(served by web-asg-1\s*served by web-asg-2|served by web-asg-2\s*served by web-asg-1)\s*lb 501/,
  );
  await expect(balancer.locator("tr[data-target] [data-served]")).toHaveText(["1", "1"], {
    timeout: 10_000,
  });

  await member(1).getByRole("button", { name: "Terminate web-asg-1" }).click();
  await member(1).getByRole("button", { name: "Terminate it" }).click();
  await expect(asg.getByRole("list", { name: "Activity of web-asg" })).toContainText(
    "web-asg-1 is terminated: replacing it",
    { timeout: 30_000 },
  );
  await expect(member(3)).toHaveAttribute("data-state", "running", { timeout: 120_000 });
  await expect(asg.locator("[data-members]")).toHaveText(
    /web-asg-2 \(running\), web-asg-3 \(running\)/,
  );
  await expect(balancer.locator("tr[data-target]")).toHaveCount(2);
  await expect(balancer).toHaveAttribute(
    "data-targets",
    `${await address(2)} ${await address(3)}`,
    {
      timeout: 60_000,
    },
  );
  await typeInConsole(
    page,
    console_,
    `for i in 1 2; do timeout 10 wget -q -O - http://${lbAddress}/; done; echo "lb $((500+2))"`,
    /(served by web-asg-3\s*served by web-asg-2|served by web-asg-2\s*served by web-asg-3)\s*lb 502/,
  );

  await expectNoSeriousAxeViolations(page);
  expect(foreign).toEqual([]);
});

/** Rewrites one kept record of /cloud's console in this browser's IndexedDB (the page not open). */
async function damageKeptRecord(page: Page, kind: string, name: string) {
  await page.goto("/");
  const damaged = await page.evaluate(
    ({ kind, name }) =>
      new Promise<string>((resolve, reject) => {
        const open = indexedDB.open("vlabs-cloud");
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction("records", "readwrite");
          let found = "none";
          // Resolved once committed: leaving the page would abort the transaction.
          tx.oncomplete = () => resolve(found);
          const all = tx.objectStore("records").openCursor();
          all.onsuccess = () => {
            const cursor = all.result;
            if (!cursor) return;
            const [scope, k] = cursor.key as string[];
            const value = cursor.value as { name?: string };
            if (scope === "cloud-page" && k === kind && value.name === name) {
              cursor.update({ ...value, typeName: 7 });
              found = name;
            }
            cursor.continue();
          };
        };
      }),
    { kind, name },
  );
  expect(damaged).toBe(name);
}

test("the console's cloud survives a reload, and a damaged record is set aside with a message", async ({
  page,
}) => {
  await page.goto("/cloud");
  const newGroup = page.getByRole("form", { name: "Create security group" });
  await newGroup.getByLabel("New group name").fill("web");
  await newGroup.getByRole("button", { name: "Create group" }).click();
  const webGroup = page.getByRole("region", { name: "Security group web" });
  const ruleForm = webGroup.getByRole("form", { name: "Add inbound rule to web" });
  await ruleForm.getByLabel("Port", { exact: true }).fill("80");
  await ruleForm.getByLabel(/^Source/).fill("10.0.0.0/24");
  await ruleForm.getByRole("button", { name: "Add rule" }).click();

  const web = await launch(page, { name: "web-1", group: "web", userData: WEB_USER_DATA });
  await expect(web.locator("[data-user-data]")).toHaveText("done", { timeout: 120_000 });
  await web.getByRole("button", { name: "Create image of web-1" }).click();
  const imageForm = web.getByRole("form", { name: "Create image of web-1" });
  await imageForm.getByLabel("Image name").fill("web image");
  await imageForm.getByRole("button", { name: "Save image" }).click();
  await expect(page.locator('[data-image="web image"]')).toBeVisible({ timeout: 30_000 });
  const id = await web.getAttribute("data-instance-id");
  const address = (await web.locator("[data-address]").textContent())!.trim();
  await expect(page.locator("[data-cloud-kept]")).toHaveAttribute("data-cloud-kept", "saved");

  await page.reload();
  const kept = page.locator('tbody[data-instance="web-1"]');
  await expect(kept).toHaveAttribute("data-state", "stopped");
  await expect(kept).toHaveAttribute("data-instance-id", id!);
  await expect(kept.locator("[data-address]")).toHaveText(address);
  await expect(page.getByRole("region", { name: "Security group web" })).toContainText(
    "tcp 80 from 10.0.0.0/24",
  );
  // The image kept its snapshot: an instance launched from it runs.
  const web2 = await launch(page, { name: "web-2", image: "web image (128 MiB)", group: "web" });
  await expect(web2).toHaveAttribute("data-state", "running", { timeout: 120_000 });
  // A stopped instance keeps its private address: the new one gets another.
  await expect(web2.locator("[data-address]")).not.toHaveText(address);
  // What a Stop saved is kept too: a file web-2 wrote is there after the next reload.
  await web2.getByRole("button", { name: "Connect to web-2" }).click();
  const web2Console = page.getByRole("region", { name: "VM web-2" });
  await web2Console.scrollIntoViewIfNeeded();
  await typeInConsole(page, web2Console, "echo kept-$((40+2)) > /root/mark; echo $((60+3))", "63");
  await web2.getByRole("button", { name: "Stop web-2" }).click();
  await expect(web2).toHaveAttribute("data-state", "stopped", { timeout: 60_000 });
  await expect(page.locator("[data-cloud-kept]")).toHaveAttribute("data-cloud-kept", "saved");

  // web-1's record damaged: set aside with a message naming it; the rest comes back.
  await damageKeptRecord(page, "instance", "web-1");
  await page.goto("/cloud");
  await expect(page.locator("[data-cloud-set-aside]")).toContainText(
    "instance web-1: typeName is number, not valid",
  );
  await expect(page.locator('tbody[data-instance="web-2"]')).toHaveAttribute(
    "data-state",
    "stopped",
  );
  await expect(page.locator('tbody[data-instance="web-1"]')).toHaveCount(0);
  await expect(page.locator('[data-image="web image"]')).toBeVisible();
  await expect(page.getByRole("region", { name: "Security group web" })).toContainText(
    "tcp 80 from 10.0.0.0/24",
  );
  await expectNoSeriousAxeViolations(page);
  const stopped = page.locator('tbody[data-instance="web-2"]');
  await stopped.getByRole("button", { name: "Start web-2" }).click();
  await expect(stopped).toHaveAttribute("data-state", "running", { timeout: 120_000 });
  await stopped.getByRole("button", { name: "Connect to web-2" }).click();
  const resumed = page.getByRole("region", { name: "VM web-2" });
  await resumed.scrollIntoViewIfNeeded();
  await typeInConsole(page, resumed, "cat /root/mark", "kept-42");
});

test("the cloud lab's Reset terminates its instances and forgets its images and groups", async ({
  page,
}) => {
  await page.goto("/labs/cloud-computing");
  const lab = page.locator('[data-lab-id="cloud-in-a-page"]');
  await lab.evaluate((element) => element.scrollIntoView({ block: "start" }));
  const web = await launch(page, { name: "web-1", group: "default" });
  await expect(web).toHaveAttribute("data-state", "running", { timeout: 120_000 });
  await expect(web.locator("[data-address]")).toHaveText("10.0.0.1");
  await web.getByRole("button", { name: "Create image of web-1" }).click();
  const imageForm = web.getByRole("form", { name: "Create image of web-1" });
  await imageForm.getByRole("button", { name: "Save image" }).click();
  await expect(page.locator('[data-image="web-1-image"]')).toBeVisible({ timeout: 30_000 });
  const newGroup = page.getByRole("form", { name: "Create security group" });
  await newGroup.getByLabel("New group name").fill("web");
  await newGroup.getByRole("button", { name: "Create group" }).click();
  await expect(page.getByRole("region", { name: "Security group web" })).toBeVisible();

  await lab.getByRole("button", { name: "Reset lab" }).click();
  await expect(lab.getByRole("button", { name: "Reset lab" })).toBeEnabled({ timeout: 60_000 });
  await expect(page.locator("tbody[data-instance]")).toHaveCount(0);
  await expect(page.locator("[data-image]")).toHaveCount(1);
  await expect(page.getByRole("region", { name: "Security group web" })).toHaveCount(0);
  await expect(page.locator("[data-cloud-kept]")).toHaveAttribute("data-cloud-kept", "saved");
  // web-1's VM is gone: a new web-1 gets its name and its address back.
  const launchForm = page.getByRole("form", { name: "Launch instance" });
  await expect(launchForm.getByLabel("Name")).toHaveValue("web-1");
  const again = await launch(page, { name: "web-1", group: "default" });
  await expect(again.locator("[data-address]")).toHaveText("10.0.0.1");
  // Nothing of before comes back with a reload either.
  await expect(page.locator("[data-cloud-kept]")).toHaveAttribute("data-cloud-kept", "saved");
  await page.reload();
  await lab.evaluate((element) => element.scrollIntoView({ block: "start" }));
  await expect(page.locator('tbody[data-instance="web-1"]')).toHaveCount(1);
  await expect(page.locator("[data-image]")).toHaveCount(1);
});

test.describe("at phone width", () => {
  test.use({ viewport: { width: 390, height: 800 }, hasTouch: true });

  test("instances are cards with their actions, and the page does not scroll sideways", async ({
    page,
  }) => {
    await page.goto("/cloud");
    await page
      .getByRole("form", { name: "Launch instance" })
      .getByRole("button", { name: "Launch instance" })
      .click();
    const card = page.locator('li[data-instance="web-1"]');
    await expect(card).toHaveAttribute("data-state", "running", { timeout: 120_000 });
    await expect(page.locator('tbody[data-instance="web-1"]')).toBeHidden();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      390,
    );
    await card.getByRole("button", { name: "Stop web-1" }).click();
    await expect(card).toHaveAttribute("data-state", "stopped", { timeout: 60_000 });
    await expectNoSeriousAxeViolations(page);
  });
});
