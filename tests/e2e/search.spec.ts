import { buildSearchDocuments } from "../../lib/content/search-documents";
import { tokenize } from "../../lib/search/search";
import { expect, test } from "./fixtures";

const documents = buildSearchDocuments();

/** A word that appears in one lesson's body only, and not in its title. */
function distinctiveWord(): { word: string; title: string } {
  for (const document of documents) {
    const others = documents
      .filter((other) => other !== document)
      .map((other) => `${other.title} ${other.text}`.toLowerCase());
    const word = tokenize(document.text).find(
      (token) =>
        token.length >= 8 &&
        !document.title.toLowerCase().includes(token) &&
        others.every((text) => !text.includes(token)),
    );
    if (word) return { word, title: document.title };
  }
  throw new Error("no lesson has a word of its own");
}

test("search finds a lesson by a word in its body", async ({ page }) => {
  const { word, title } = distinctiveWord();
  await page.goto("/");
  await page
    .getByRole("navigation", { name: "Site" })
    .getByRole("link", { name: "Search" })
    .click();
  await page.getByLabel("Words to find").fill(word);
  const results = page.getByRole("list", { name: "Search results" });
  await expect(results.getByRole("listitem")).toHaveCount(1);
  await expect(results).toContainText(title);
  await expect(results).toContainText(new RegExp(word, "i"));
  await results.getByRole("link").first().click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
});

test("a search link with a query shows results, and a query with no match says so", async ({
  page,
}) => {
  await page.goto(`/search?q=${encodeURIComponent("zzzzqqqq")}`);
  await expect(page.getByText("No lesson matches.")).toBeVisible();
});
