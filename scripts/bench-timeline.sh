#!/bin/sh
# Times 'journal timeline --format json' and one 'journal add' on journals
# of 1,000, 10,000 and 100,000 incidents.
#
#   scripts/bench-timeline.sh [SIZE...]
#
# Each journal is made with 'journal init' (the default post-quantum key),
# its key written with 'journal key export', and filled through
# 'journal import' with made-up incidents (scripts/benchjournal), or by
# appending them directly where this build has no import. Reading unlocks
# with the key file (--identity), so that the scrypt of the passphrase is
# not what is measured.
#
# For each size it prints, in milliseconds, the median, fastest and slowest
# wall-clock time of RUNS runs (default 5), then the median processor time
# (user and system; on a shared machine it says more than the wall clock):
#   first read      the first timeline, which replays the whole log and
#                   writes the cache (one run)
#   timeline        'journal timeline --format json', read from the cache
#   add             'journal add' of one incident (no passphrase needed)
#   after adds      the timeline again, the cache now a few records behind
#
# BENCH_DIR keeps the journals (default: a new temporary folder, removed at
# the end); journals already there are reused. The 100,000 journal takes a
# few minutes to make: every record is sealed with a post-quantum key.
set -eu

sizes=${*:-1000 10000 100000}
runs=${RUNS:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${BENCH_DIR:-}
if [ -z "$dir" ]; then
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' EXIT
fi
mkdir -p "$dir/bin"
(cd "$root" && go build -o "$dir/bin/journal" ./cmd/journal && go build -o "$dir/bin/benchjournal" ./scripts/benchjournal)
journal=$dir/bin/journal
bench=$dir/bin/benchjournal

export JOURNAL_PASSPHRASE=benchmark-passphrase
unset JOURNAL_IDENTITY NO_COLOR || true
echo "$(nproc) cores, $(uname -sm), $(go version | cut -d' ' -f3)"
printf '%-10s %-22s %-22s %-22s %-22s\n' incidents 'first read' timeline add 'after adds'
for n in $sizes; do
	db=$dir/journal-$n.db
	key=$dir/journal-$n.key
	if [ ! -e "$db" ]; then
		"$journal" init --file "$db" 2>/dev/null
		"$journal" key export --file "$db" -o "$key" 2>/dev/null
		if "$journal" import --help >/dev/null 2>&1; then
			"$bench" -json "$n" >"$dir/incidents-$n.json"
			"$journal" import --file "$db" "$dir/incidents-$n.json" >/dev/null 2>&1
			rm -f "$dir/incidents-$n.json"
		else
			"$bench" -append "$n" -file "$db"
		fi
	fi
	read_json="$journal timeline --format json --file $db --identity $key"
	first=$("$bench" -time 1 -- $read_json | cut -d' ' -f1,4,5)
	timeline=$("$bench" -time "$runs" -- $read_json)
	add=$("$bench" -time "$runs" -- "$journal" add --file "$db" --who 'Benchmark Person' --kind other --summary 'one more')
	after=$("$bench" -time "$runs" -- $read_json)
	printf '%-10s %-22s %-22s %-22s %-22s\n' "$n" "$first" "$timeline" "$add" "$after"
done
