import { buildSearchDocuments } from "@/lib/content/search-documents";

export const dynamic = "force-static";

/** The lessons' text for the search page; a static file in the export, no server needed. */
export function GET() {
  return Response.json(buildSearchDocuments());
}
