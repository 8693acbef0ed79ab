export { formatBytes } from "@/lib/format-bytes";
