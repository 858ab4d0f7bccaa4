#!/bin/sh
# Measures journal at 2,000, 20,000 and 100,000 incidents, and jrnl beside
# it when jrnl is installed: the figures of the README's performance table.
#
#   scripts/bench.sh [SIZE...]
#
# Each journal is made with 'journal init' (the default post-quantum key)
# and filled with 'journal import' of made-up incidents
# (scripts/benchjournal). journal unlocks with its key file (--identity),
# so that the passphrase's scrypt (about 1 s, by design) is not what is
# measured; jrnl reads its password from a keyring that answers at once.
# jrnl gets the same incidents, as an encrypted jrnl journal.
#
# Printed, in milliseconds, the median, fastest and slowest wall-clock
# time of RUNS runs (default 5; jrnl at 100,000: JRNL_RUNS, default 1) and
# the median processor time:
#   start-up     journal --version and journal add --help, beside a Go
#                hello-world built here
#   import       the import (one run), then the first read after it
#   list         the text timeline (jrnl: every entry)
#   filter       a word and a date: timeline --search W --from D
#                (jrnl: -contains W -from D)
#   json         timeline --format json (jrnl: --format json)
#   export json  export --json to a file, recorded as a disclosure
#   markdown     timeline --format markdown
#   add          journal add with flags
#   verify       journal verify
#   unlocked     the text timeline through 'journal unlock', no key given
# and the peak memory of export --json (with /usr/bin/time).
#
# jrnl: put it on PATH, or name it with JRNL=/path/to/jrnl. It needs
# Python's keyring module (jrnl depends on it). BENCH_DIR keeps the
# journals between runs (default: a temporary folder, removed at the end).
set -eu

sizes=${*:-2000 20000 100000}
runs=${RUNS:-5}
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${BENCH_DIR:-}
if [ -z "$dir" ]; then
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' EXIT
fi
mkdir -p "$dir/bin" "$dir/hello" "$dir/run" "$dir/config"
chmod 700 "$dir/run"
# journal and the hello-world are built the way scripts/release builds a
# release (no cgo, no symbol table), so that what is timed is what people
# run. A plain 'go build' on a machine with a C compiler links the C
# library for the network code, which costs about a millisecond at every
# start.
release_build() { CGO_ENABLED=0 go build -trimpath -ldflags "-s -w" "$@"; }
(cd "$root" && release_build -o "$dir/bin/journal" ./cmd/journal && go build -o "$dir/bin/benchjournal" ./scripts/benchjournal)
printf 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello, world") }\n' >"$dir/hello/main.go"
printf 'module hello\n\ngo 1.26\n' >"$dir/hello/go.mod"
(cd "$dir/hello" && release_build -o "$dir/bin/hello" .)
journal=$dir/bin/journal
bench=$dir/bin/benchjournal
time_it() { "$bench" -time "$@"; }
peak() { # peak memory of a command, in MiB, if /usr/bin/time is there
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f MiB", $1/1024}'
	else
		"$@" >/dev/null 2>&1
		echo "-"
	fi
}

export HOME=$dir XDG_CONFIG_HOME=$dir/config XDG_RUNTIME_DIR=$dir/run
export JOURNAL_PASSPHRASE=benchmark-passphrase
unset JOURNAL_IDENTITY JOURNAL_FILE NO_COLOR || true

jrnl=${JRNL:-$(command -v jrnl || true)}
if [ -n "$jrnl" ]; then
	mkdir -p "$dir/keyring"
	cat >"$dir/keyring/benchkeyring.py" <<'PY'
import os
from keyring.backend import KeyringBackend
class Keyring(KeyringBackend):
    priority = 1
    def get_password(self, service, username):
        return os.environ.get("JRNL_BENCH_PASSWORD")
    def set_password(self, service, username, password):
        pass
    def delete_password(self, service, username):
        pass
PY
fi

echo "$(nproc) cores, $(uname -sm), $(go version | cut -d' ' -f3)${jrnl:+, jrnl $("$jrnl" --version 2>/dev/null | head -1 | cut -d' ' -f2)}"
echo "times in ms: median fastest slowest cpu median"
echo
printf '%-26s %s\n' 'hello-world (Go)' "$(time_it "$runs" -- "$dir/bin/hello")"
printf '%-26s %s\n' 'journal --version' "$(time_it "$runs" -- "$journal" --version)"
printf '%-26s %s\n' 'journal add --help' "$(time_it "$runs" -- "$journal" add --help)"

for n in $sizes; do
	db=$dir/journal-$n.db
	key=$dir/journal-$n.key
	echo
	echo "== $n incidents"
	if [ ! -e "$db" ]; then
		"$journal" init --file "$db" 2>/dev/null
		"$journal" key export --file "$db" -o "$key" 2>/dev/null
		"$bench" -json "$n" >"$dir/incidents.json"
		printf '%-26s %s\n' 'import' "$(time_it 1 -- "$journal" import --file "$db" --identity "$key" "$dir/incidents.json")"
		rm -f "$dir/incidents.json"
		printf '%-26s %s\n' 'first read after import' "$(time_it 1 -- "$journal" timeline --file "$db" --identity "$key" --format json)"
	fi
	j="--file $db --identity $key"
	from=$(date -u -d "@$(($(date +%s) - n * 3 * 3600 / 2))" +%F 2>/dev/null || date -u +%F)
	printf '%-26s %s\n' 'list' "$(time_it "$runs" -- "$journal" timeline $j)"
	printf '%-26s %s\n' 'filter (word and date)' "$(time_it "$runs" -- "$journal" timeline $j --search receptionist --from "$from")"
	printf '%-26s %s\n' 'json (timeline)' "$(time_it "$runs" -- "$journal" timeline $j --format json)"
	printf '%-26s %s\n' 'export --json' "$(time_it "$runs" -- "$journal" export $j --json -o "$dir/out.json" --force)"
	printf '%-26s %s\n' 'markdown' "$(time_it "$runs" -- "$journal" timeline $j --format markdown)"
	printf '%-26s %s\n' 'add' "$(time_it "$runs" -- "$journal" add --file "$db" --who 'Benchmark Person' --kind other --summary 'one more')"
	printf '%-26s %s\n' 'verify' "$(time_it "$runs" -- "$journal" verify $j)"
	printf '%-26s %s\n' 'export --json peak memory' "$(peak "$journal" export $j --json -o "$dir/out.json" --force)"
	"$journal" unlock --file "$db" --identity "$key" --for 10m 2>/dev/null
	printf '%-26s %s\n' 'unlocked list' "$(time_it "$runs" -- env -u JOURNAL_PASSPHRASE "$journal" timeline --file "$db")"
	"$journal" lock --file "$db" 2>/dev/null

	if [ -n "$jrnl" ]; then
		mkdir -p "$dir/jrnl-$n/jrnl"
		if [ ! -e "$dir/jrnl-$n.txt" ]; then
			"$bench" -jrnl "$n" -password benchmark-passphrase >"$dir/jrnl-$n.txt"
		fi
		printf 'encrypt: true\ntimeformat: "%%F %%r"\ntagsymbols: "@"\nhighlight: false\nlinewrap: 79\nindent_character: "|"\ntemplate: false\neditor: ""\ndefault_hour: 9\ndefault_minute: 0\ncolors: {body: none, date: none, tags: none, title: none}\njournals:\n  default:\n    journal: %s\nversion: "%s"\n' \
			"$dir/jrnl-$n.txt" "$("$jrnl" --version 2>/dev/null | head -1 | cut -d' ' -f2)" >"$dir/jrnl-$n/jrnl/jrnl.yaml"
		jruns=$runs
		[ "$n" -ge 100000 ] && jruns=${JRNL_RUNS:-1}
		set -- env XDG_CONFIG_HOME="$dir/jrnl-$n" PYTHONPATH="$dir/keyring" PYTHON_KEYRING_BACKEND=benchkeyring.Keyring \
			JRNL_BENCH_PASSWORD=benchmark-passphrase "$jrnl"
		printf '%-26s %s\n' 'jrnl list' "$(time_it "$jruns" -- "$@" -n "$n")"
		printf '%-26s %s\n' 'jrnl filter' "$(time_it "$jruns" -- "$@" -contains receptionist -from "$from")"
		printf '%-26s %s\n' 'jrnl json' "$(time_it "$jruns" -- "$@" --format json)"
	fi
done
