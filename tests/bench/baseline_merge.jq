# SPDX-License-Identifier: MIT
# The naive merge of baseline_merge.py, in jq, for the sync benchmark:
#
#   jq -n --slurpfile l LOCAL --slurpfile s SERVER -f baseline_merge.jq > OUT
#
# Every list merged by id (the server's items first, in order; a local item replaces the
# server's with the same id, in place, or is appended), the local preferences if present else
# the server's, written indented. No conflict detection, no validation.

def merge($server; $local):
  reduce (($server // [])[], ($local // [])[]) as $item ({}; .[$item.id] = $item) | [.[]];

$l[0] as $local | $s[0] as $server
| {last_sync: ($local.last_sync // $server.last_sync),
   decks: merge($server.decks; $local.decks),
   achievements: merge($server.achievements; $local.achievements),
   progress: merge($server.progress; $local.progress),
   starred: merge($server.starred; $local.starred),
   preferences: ($local.preferences // $server.preferences)}
