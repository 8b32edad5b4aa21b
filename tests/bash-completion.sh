#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The bash completion of bounce-explain: it loads, offers every long option
# that bounce-explain --help lists, and completes file names, both on its
# own and on top of the bash-completion package when that is installed.
#
#   bash-completion.sh COMPLETION-FILE BOUNCE-EXPLAIN
#
# Prints TAP.
set -u

completion=${1:?usage: bash-completion.sh COMPLETION-FILE BOUNCE-EXPLAIN}
program=${2:?usage: bash-completion.sh COMPLETION-FILE BOUNCE-EXPLAIN}
completion=$(realpath "$completion")
program=$(realpath "$program")
library=/usr/share/bash-completion/bash_completion

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
touch "$tmp/bounce one.eml" "$tmp/bounce-two.mbox" "$tmp/-odd.txt" "$tmp/notes.txt"
mkdir "$tmp/saved"

# The options bounce-explain itself lists.
mapfile -t options < <(LANGUAGE=C "$program" --help | grep -oE '^ +(-[A-Za-z], )?--[a-z][a-z-]*' |
                         grep -oE -- '--[a-z][a-z-]*')

# complete WITH_LIBRARY WORD... : what the completion offers for the last
# word of "bounce-explain WORD...", one candidate per line, sorted.
complete_words () {
  local with_library=$1
  shift
  bash --norc --noprofile -c '
    with_library=$1 library=$2 completion=$3
    shift 3
    if [ "$with_library" = yes ]; then
      # shellcheck disable=SC1090
      . "$library" || exit 3
    fi
    # shellcheck disable=SC1090
    . "$completion" || exit 3
    spec=$(complete -p bounce-explain) || exit 4
    # As typed: bash hands the words over with their quoting.
    COMP_WORDS=(bounce-explain)
    for word in "$@"; do
      COMP_WORDS+=("$(printf "%q" "$word")")
    done
    COMP_CWORD=$#
    COMP_LINE="${COMP_WORDS[*]}"
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    func=${spec#*-F }
    func=${func%% *}
    "$func" bounce-explain "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
    printf "%s\n" "${COMPREPLY[@]}" | sort
  ' bash "$with_library" "$library" "$completion" "$@"
}

# interactive WITH_LIBRARY TEXT: the command line after typing TEXT and Tab
# in an interactive bash on a terminal.
interactive () {
  /usr/bin/python3 - "$1" "$library" "$completion" "$2" <<'PY'
import os
import pty
import re
import select
import signal
import sys
import time

with_library, library, completion, text = sys.argv[1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp("bash", ["bash", "--norc", "--noprofile", "-i"])


def read_until(pattern, timeout=10):
    out = b""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
            if re.search(pattern, out):
                break
    return out


os.write(fd, b"PS1='READY$ '\n")
read_until(rb"READY\$ ")
if with_library == "yes":
    os.write(fd, b". %s\n" % library.encode())
    read_until(rb"READY\$ ")
os.write(fd, b". %s\n" % completion.encode())
read_until(rb"READY\$ ")
os.write(fd, text.encode() + b"\t")
out = read_until(rb"\.eml ", timeout=5)
# The last line, without terminal control sequences and the prompt.
line = out.decode(errors="replace").replace("\r", "").split("\n")[-1]
line = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", line)
print(line.split("READY$ ")[-1].rstrip())
# Hang up, as closing the terminal does.
os.close(fd)
os.kill(pid, signal.SIGHUP)
os.waitpid(pid, 0)
PY
}

n=0
failed=0
check () {
  local what=$1 expected=$2 actual=$3
  n=$((n + 1))
  if [ "$expected" = "$actual" ]; then
    echo "ok $n $what"
  else
    echo "not ok $n $what"
    echo "# expected: $(echo "$expected" | tr '\n' ' ')"
    echo "# got:      $(echo "$actual" | tr '\n' ' ')"
    failed=1
  fi
}

modes=(no)
if [ -f "$library" ]; then
  modes+=(yes)
else
  echo "# $library is missing: only the completion on its own is checked"
fi

echo "1..$((8 * ${#modes[@]} + 1))"
n=1
if [ "${#options[@]}" -ge 4 ]; then
  echo "ok 1 bounce-explain --help lists ${#options[@]} options: ${options[*]}"
else
  echo "not ok 1 bounce-explain --help lists options (found: ${options[*]})"
  failed=1
fi

cd "$tmp" || exit 1
for lib in "${modes[@]}"; do
  label="(bash-completion: $lib)"
  check "loads and registers for bounce-explain $label" "" \
    "$(complete_words "$lib" x >/dev/null 2>&1; echo "${?/#0/}")"
  check "offers every option for -- $label" "$(printf '%s\n' "${options[@]}" | sort)" \
    "$(complete_words "$lib" --)"
  check "completes --j to --json $label" "--json" "$(complete_words "$lib" --j)"
  check "completes --pr after a file $label" "--pretty" "$(complete_words "$lib" notes.txt --pr)"
  check "completes a file name $label" "notes.txt" "$(complete_words "$lib" "no")"
  # A name with a space, typed as "bounce\ o" and completed by readline in
  # an interactive shell (readline's quoting cannot be simulated above).
  check "completes bounce\\ o<Tab> interactively $label" "bounce-explain bounce\\ one.eml" \
    "$(interactive "$lib" 'bounce-explain bounce\ o')"
  check "offers files and folders $label" "$(printf '%s\n' bounce-two.mbox saved | sort)" \
    "$(complete_words "$lib" --json "bounce-t"; complete_words "$lib" --json "sa" | sed 's|/$||')"
  check "after -- a dash starts a file name $label" "-odd.txt" \
    "$(complete_words "$lib" -- "-o")"
done

exit "$failed"
