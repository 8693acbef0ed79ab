/**
 * The load balancer: an instance of its own whose user data (below) serves port 80 with busybox
 * `httpd` and a CGI program that passes each request to the next target in turn (round robin),
 * fetching the page with `wget` and answering with it (its header `X-Backend` names the target).
 * The console keeps its list of targets (the healthy members of an auto scaling group) in
 * /lb/targets through the guest agent, and reads how many requests each target served or failed
 * from /lb/served and /lb/failed.
 */

const CGI = `#!/bin/sh
set -- $(cat /lb/targets 2>/dev/null)
if [ $# -eq 0 ]; then
  printf 'Status: 503 No targets\\r\\nContent-Type: text/plain\\r\\n\\r\\nno healthy targets\\n'
  exit 0
fi
n=$(cat /lb/next 2>/dev/null || echo 0)
echo $((n + 1)) > /lb/next
shift $((n % $#))
target=$1
if body=$(timeout 3 wget -q -O - "http://$target\${REQUEST_URI:-/}"); then
  echo "$target" >> /lb/served
  printf 'Content-Type: text/html\\r\\nX-Backend: %s\\r\\n\\r\\n%s\\n' "$target" "$body"
else
  echo "$target" >> /lb/failed
  printf 'Status: 502 Bad Gateway\\r\\nContent-Type: text/plain\\r\\n\\r\\n%s did not answer\\n' "$target"
fi`;

/** The balancer instance's user data: the CGI program, no targets yet, httpd on port 80. */
export const LOAD_BALANCER_USER_DATA = `mkdir -p /lb/www/cgi-bin
cat > /lb/www/cgi-bin/index.cgi <<'CGI_END'
${CGI}
CGI_END
chmod +x /lb/www/cgi-bin/index.cgi
: > /lb/targets
httpd -p 80 -h /lb/www
echo load balancer listening on port 80`;

const ADDRESS = /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** The agent command that sets the balancer's targets (addresses only: nothing else is written). */
export function setTargetsCommand(addresses: readonly string[]): string {
  const safe = addresses.filter((a) => ADDRESS.test(a));
  return `echo '${safe.join(" ")}' > /lb/targets`;
}

export const READ_COUNTS_COMMAND =
  'for f in served failed; do test -f /lb/$f && sed "s/^/$f /" /lb/$f; done; true';

export interface TargetCounts {
  served: number;
  failed: number;
}

/** Counts per target address from READ_COUNTS_COMMAND's output. */
export function parseCounts(output: string): Record<string, TargetCounts> {
  const counts: Record<string, TargetCounts> = {};
  for (const line of output.split("\n")) {
    const [kind, address] = line.trim().split(" ");
    if ((kind !== "served" && kind !== "failed") || !address || !ADDRESS.test(address)) continue;
    counts[address] ??= { served: 0, failed: 0 };
    counts[address][kind]++;
  }
  return counts;
}
