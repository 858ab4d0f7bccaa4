// Command journal is an encrypted, append-only incident journal for people
// who are harassed or stalked by those they care for: record an incident in
// a minute, see the whole story before a meeting, and hand over a report
// that can be checked.
package main

import "os"

func main() {
	if len(os.Args) < 2 || os.Args[1] != agentCommand {
		// Not the unlock agent, which locks its memory and lives long.
		tuneGC()
	}
	os.Exit(run(os.Args[1:], newStreams()))
}
