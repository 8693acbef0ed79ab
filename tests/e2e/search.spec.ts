import { buildSearchDocuments } from "../../lib/content/search-documents";
import { search, tokenize } from "../../lib/search/search";
import { expect, test } from "./fixtures";

const documents = buildSearchDocuments();

/** A word of one lesson's body, not in its title, that finds that lesson only (typos included). */
function distinctiveWord(): { word: string; title: string } {
  for (const document of documents) {
    const word = tokenize(document.text).find(
      (token) =>
        token.length >= 8 &&
        /^[a-z]+$/.test(token) &&
        !document.title.toLowerCase().includes(token) &&
        search(documents, token).length === 1 &&
        search(documents, typo(token)).length === 1,
    );
    if (word) return { word, title: document.title };
  }
  throw new Error("no lesson has a word of its own");
}

/** The word with two letters in the middle swapped: one slip of the fingers. */
function typo(word: string): string {
  const at = Math.floor(word.length / 2);
  return `${word.slice(0, at)}${word[at + 1]}${word[at]}${word.slice(at + 2)}`;
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

test("search matches the start of a word and a misspelt word, and marks the word in the snippet", async ({
  page,
}) => {
  const { word, title } = distinctiveWord();
  const results = page.getByRole("list", { name: "Search results" });
  for (const query of [word.slice(0, 6), typo(word)]) {
    await page.goto(`/search?q=${encodeURIComponent(query)}`);
    await expect(results.getByRole("listitem").filter({ hasText: title })).toHaveCount(1);
  }
  // The snippet shows the lesson's own spelling, marked, whatever the query's was.
  await expect(results.locator("mark").first()).toHaveText(new RegExp(`^${word}$`, "i"));
});

test("a search link with a query shows results, and a query with no match says so", async ({
  page,
}) => {
  await page.goto(`/search?q=${encodeURIComponent("zzzzqqqq")}`);
  await expect(page.getByText("No lesson matches.")).toBeVisible();
});
