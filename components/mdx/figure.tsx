import { withBasePath } from "@/lib/site";

interface FigureProps {
  src: string;
  alt: string;
  caption: string;
  width?: number;
  height?: number;
}

/** An illustration from public/images with its caption; alt text is required. */
export function Figure({ src, alt, caption, width, height }: FigureProps) {
  return (
    <figure className="my-8">
      {/* eslint-disable-next-line @next/next/no-img-element -- static SVG illustrations need no optimisation */}
      <img
        src={withBasePath(src)}
        alt={alt}
        width={width}
        height={height}
        className="mx-auto h-auto max-w-full rounded-lg"
      />
      <figcaption className="mt-3 text-center text-sm text-slate-600 dark:text-slate-400">
        {caption}
      </figcaption>
    </figure>
  );
}
