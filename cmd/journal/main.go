// Command journal is an encrypted, append-only incident journal for people
// who are harassed or stalked by those they care for: record an incident in
// a minute, see the whole story before a meeting, and hand over a report
// that can be checked.
package main

import "os"

func main() {
	os.Exit(run(os.Args[1:], newStreams()))
}
