/** Reads a server-sent events body (as the class streams send it) into its events. */
export interface StreamEvent {
  event: string;
  data: string;
  id?: string;
}

export async function* readEventStream(
  body: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>,
): AsyncGenerator<StreamEvent> {
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of body as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = /^data: ?(.*)$/m.exec(block)?.[1];
      if (data === undefined) continue; // a comment (": ping") or the retry line
      const event = /^event: ?(.*)$/m.exec(block)?.[1] ?? "message";
      const id = /^id: ?(.*)$/m.exec(block)?.[1];
      yield id === undefined ? { event, data } : { event, data, id };
    }
  }
}
