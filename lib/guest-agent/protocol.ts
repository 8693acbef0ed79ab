import { decodeBase64, encodeBase64 } from "./base64";

/**
 * Host side of the guest agent protocol (docs/guest-agent.md): line framed ASCII on the
 * guest's second serial port. Pure TypeScript so it runs in the browser, a worker or Node.
 */

export const AGENT_PROTOCOL_VERSION = 1;
/** Bytes of command output the agent returns at most; the rest is cut and flagged. */
export const AGENT_OUTPUT_CAP = 65536;
export const AGENT_DEFAULT_TIMEOUT_S = 10;
/** Longest line the parser keeps: a full-cap result plus its header, with room to spare. */
export const AGENT_MAX_LINE = Math.ceil(AGENT_OUTPUT_CAP / 3) * 4 + 256;

const ID_PATTERN = /^[0-9A-Za-z_-]{1,32}$/;

export interface AgentRequest {
  id: string;
  command: string;
  /** Seconds before the agent kills the command (exit status 137). */
  timeoutS?: number;
}

export type AgentMessage =
  | { type: "hello"; version: number }
  | { type: "result"; id: string; status: number; truncated: boolean; output: Uint8Array }
  | { type: "error"; id: string; reason: string }
  | { type: "pong"; id: string }
  /** A line that is not part of the protocol (noise, or longer than AGENT_MAX_LINE). */
  | { type: "garbage"; line: string };

const encoder = new TextEncoder();

export function isValidRequestId(id: string): boolean {
  return ID_PATTERN.test(id);
}

export function encodeRequest(req: AgentRequest): Uint8Array {
  if (!isValidRequestId(req.id)) throw new Error(`invalid agent request id "${req.id}"`);
  const timeout = Math.max(1, Math.floor(req.timeoutS ?? AGENT_DEFAULT_TIMEOUT_S));
  return encoder.encode(`RUN ${req.id} ${timeout} ${encodeBase64(encoder.encode(req.command))}\n`);
}

export function encodePing(id: string): Uint8Array {
  if (!isValidRequestId(id)) throw new Error(`invalid agent request id "${id}"`);
  return encoder.encode(`PING ${id}\n`);
}

function parseLine(line: string): AgentMessage {
  const parts = line.split(" ");
  const [verb, a, b, c] = parts;
  if (
    verb === "HELLO" &&
    a === "vlabs-agent" &&
    b !== undefined &&
    /^\d+$/.test(b) &&
    parts.length === 3
  ) {
    return { type: "hello", version: Number(b) };
  }
  if (verb === "PONG" && a !== undefined && isValidRequestId(a) && parts.length === 2)
    return { type: "pong", id: a };
  if (verb === "ERR" && a !== undefined && isValidRequestId(a) && parts.length >= 3) {
    return { type: "error", id: a, reason: parts.slice(2).join(" ") };
  }
  if (
    verb === "RES" &&
    a !== undefined &&
    isValidRequestId(a) &&
    b !== undefined &&
    /^\d{1,3}$/.test(b) &&
    (c === "0" || c === "1")
  ) {
    const payload = parts.length === 5 ? parts[4]! : parts.length === 4 ? "" : undefined;
    const output = payload === undefined ? undefined : decodeBase64(payload);
    if (output) return { type: "result", id: a, status: Number(b), truncated: c === "1", output };
  }
  return { type: "garbage", line: line.length > 200 ? `${line.slice(0, 200)}...` : line };
}

function latin1(bytes: readonly number[]): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192)
    text += String.fromCharCode(...bytes.slice(i, i + 8192));
  return text;
}

/**
 * Turns serial bytes, in chunks of any size, into agent messages. Lines end at "\n"; a "\r"
 * before it is ignored. An over-long line is reported once as garbage and skipped.
 */
export class AgentResponseParser {
  private line: number[] = [];
  private overflow = false;

  push(chunk: Uint8Array | number): AgentMessage[] {
    const bytes = typeof chunk === "number" ? [chunk] : chunk;
    const messages: AgentMessage[] = [];
    for (const byte of bytes) {
      if (byte === 10) {
        if (this.overflow)
          messages.push({ type: "garbage", line: "(line longer than AGENT_MAX_LINE dropped)" });
        else {
          const text = latin1(this.line).replace(/\r$/, "");
          if (text.length > 0) messages.push(parseLine(text));
        }
        this.line = [];
        this.overflow = false;
      } else if (!this.overflow) {
        if (this.line.length >= AGENT_MAX_LINE) {
          this.overflow = true;
          this.line = [];
        } else this.line.push(byte);
      }
    }
    return messages;
  }
}

export function outputText(output: Uint8Array): string {
  return new TextDecoder().decode(output);
}
