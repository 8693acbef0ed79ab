/**
 * User data: a shell script the console runs once in a new instance, when it first runs, through
 * the guest agent (docs/guest-agent.md): `sh` in /root, stdout and stderr kept as the instance's
 * user-data output. A server it starts must go to the background and close its output (busybox
 * `httpd` does), or the agent waits for it until the timeout.
 */

export const USER_DATA_TIMEOUT_S = 60;

export type UserDataStatus = "none" | "waiting" | "running" | "done" | "failed";

export interface UserDataRun {
  status: UserDataStatus;
  output: string;
  exitCode?: number;
}

/** A run for a script: nothing to do when it is blank. */
export function userDataRun(script: string): UserDataRun {
  return { status: script.trim() === "" ? "none" : "waiting", output: "" };
}

/** The run's end, from the agent's answer. */
export function finishedRun(status: number, output: string, truncated: boolean): UserDataRun {
  return {
    status: status === 0 ? "done" : "failed",
    output: truncated ? `${output}\n[output cut at the agent's limit]` : output,
    exitCode: status,
  };
}

/** An example for the Launch form: a page naming the instance, served on port 80. */
export const EXAMPLE_USER_DATA = `mkdir -p /www
echo "served by $(hostname)" > /www/index.html
httpd -h /www
echo started httpd`;

/**
 * An example for a scaling group's members: each one's page names it (an image's page names the
 * instance it was made of), served on port 80 whether or not the image already runs httpd.
 */
export const MEMBER_USER_DATA = `mkdir -p /www
echo "served by $INSTANCE_NAME" > /www/index.html
pidof httpd >/dev/null || httpd -h /www
echo "serving as $INSTANCE_NAME"`;

/**
 * The script as the agent runs it: with the instance's id and name in `INSTANCE_ID` and
 * `INSTANCE_NAME` (what EC2's instance metadata tells a script), set before it, since a guest
 * started from an image may not carry its new hostname yet when user data starts.
 */
export function userDataScript(instance: { id: string; name: string }, script: string): string {
  return `export INSTANCE_ID=${instance.id} INSTANCE_NAME=${instance.name}\n${script}`;
}

/**
 * Waits (5 s at most) for the host to have set the instance's address in the guest, then sends
 * unsolicited ARP for it: a neighbour that cached another MAC for that address (a terminated
 * instance that had it) takes the new one at once instead of after its cache times out.
 */
export function announceCommand(address: string): string {
  const inet = `inet ${address}/`;
  return `for i in 1 2 3 4 5; do ip -4 -o addr show dev eth0 | grep -q '${inet}' && break; sleep 1; done; arping -U -c 2 -I eth0 ${address} >/dev/null`;
}
