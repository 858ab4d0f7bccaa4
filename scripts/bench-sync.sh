#!/bin/sh
# Times a computer bringing in the records another computer wrote, through
# a sync folder, and says how large the folder grows.
#
#   scripts/bench-sync.sh [N]
#
# A laptop makes a journal and a sync folder; a PC joins it; the laptop then
# records N incidents (default 10,000, made up by scripts/benchjournal)
# through 'journal import' (one segment) and, separately, 100 incidents one 'journal add' at a time (one
# segment each). With ADDS=1 the laptop records the N incidents one
# 'journal add' at a time instead (one segment each; slow: a process each),
# reads its journal once, as its user would, and adds one more. On the PC it
# times, RUNS times (default 3) on a fresh copy:
#   sync        'journal sync': every record's signature and chain checked,
#               and stored (no key needed)
#   first read  the first 'journal timeline --format json' after it, unlocked
#               with the key file (--identity): every new record decrypted
# It prints the median wall-clock and processor (user + system) time of
# each, in milliseconds, and the folder's size per incident, for the import
# and for single adds.
set -eu

n=${1:-10000}
runs=${RUNS:-3}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
go build -o "$dir/journal" "$root/cmd/journal"
J=$dir/journal
export JOURNAL_PASSPHRASE='bench sync passphrase'
as() { # as HOME command...
	h=$1
	shift
	HOME=$dir/$h XDG_CONFIG_HOME=$dir/$h/.config XDG_DATA_HOME=$dir/$h/.local \
		JOURNAL_FILE=$dir/$h/journal.db "$@"
}
mkdir -p "$dir/laptop" "$dir/pc"
as laptop "$J" init --name laptop 2>/dev/null
as laptop "$J" key export -o "$dir/key.txt" 2>/dev/null
as laptop "$J" sync init "$dir/sync" 2>/dev/null
as pc "$J" join "$dir/sync" --name pc 2>/dev/null

if [ "${ADDS:-0}" = 1 ]; then
	# N incidents, one 'journal add' each.
	for i in $(seq "$n"); do
		as laptop "$J" add --summary "Add $i" --where 'Reception' --who 'John Smith (patient)' >/dev/null 2>&1
	done
	as laptop "$J" timeline --identity "$dir/key.txt" >/dev/null 2>&1
	as laptop "$J" add --summary "Add after the read" --where Reception --who "John Smith (patient)" >/dev/null 2>&1
	n=$((n + 1))
else
	# N incidents in one import.
	go run "$root/scripts/benchjournal" -json "$n" >"$dir/incidents.json"
	as laptop "$J" import "$dir/incidents.json" >/dev/null 2>&1
fi
seg=$(du -sb "$dir/sync/devices" | cut -f1)

cp -r "$dir/pc" "$dir/pc.clean"
ms() { # ms VAR command...: run, keep wall and cpu milliseconds
	/usr/bin/time -f '%e %U %S' -o "$dir/t" "$@" >/dev/null 2>&1
	awk '{ printf "%d %d\n", $1 * 1000, ($2 + $3) * 1000 }' "$dir/t"
}
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
: >"$dir/sync.txt"
: >"$dir/read.txt"
for _ in $(seq "$runs"); do
	rm -rf "$dir/pc"
	cp -r "$dir/pc.clean" "$dir/pc"
	as pc ms "$J" sync >>"$dir/sync.txt"
	as pc ms "$J" timeline --format json --identity "$dir/key.txt" >>"$dir/read.txt"
done
echo "pull of $n records written by another computer ($runs runs, ms):"
echo "  sync        wall $(cut -d' ' -f1 "$dir/sync.txt" | median)  cpu $(cut -d' ' -f2 "$dir/sync.txt" | median)"
echo "  first read  wall $(cut -d' ' -f1 "$dir/read.txt" | median)  cpu $(cut -d' ' -f2 "$dir/read.txt" | median)"
echo "sync folder per incident, $n in $([ "${ADDS:-0}" = 1 ] && echo "single adds" || echo "one import"): $((seg / n)) bytes"

# 100 single adds, one segment each.
before=$(du -sb "$dir/sync/devices" | cut -f1)
files_before=$(find "$dir/sync/devices" -type f | wc -l)
for i in $(seq 100); do
	as laptop "$J" add --summary "Single add $i" --where 'Reception' --who 'John Smith (patient)' >/dev/null 2>&1
done
after=$(du -sb "$dir/sync/devices" | cut -f1)
disk=$(du -sk "$dir/sync/devices" | cut -f1)
files=$(find "$dir/sync/devices" -type f | wc -l)
echo "sync folder per incident, single adds: $(((after - before) / 100)) bytes ($((files - files_before)) files; on disk the folder takes ${disk} KiB in all)"
