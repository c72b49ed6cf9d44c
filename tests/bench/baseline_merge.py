#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Naive baseline for the sync benchmark: the merge a plain Python script would do.

    baseline_merge.py LOCAL SERVER OUT

Loads both documents with json.load, merges every list by id (server items are the base, in
order; a local item replaces the server item with the same id or is appended), keeps the local
preferences if present else the server's, and writes the result with json.dump(indent=2).
No conflict detection, no validation: it is the honest naive baseline, nothing clever.
"""

import json
import sys

LIST_TYPES = ("decks", "achievements", "progress", "starred")


def merge_lists(server_items, local_items):
    merged = {}
    for item in server_items or []:
        merged[item["id"]] = item
    for item in local_items or []:
        merged[item["id"]] = item  # replaces in place, or appends a new id
    return list(merged.values())


def main(argv):
    if len(argv) != 4:
        print("usage: baseline_merge.py LOCAL SERVER OUT", file=sys.stderr)
        return 2
    local_path, server_path, out_path = argv[1:]
    with open(local_path, encoding="utf-8") as f:
        local = json.load(f)
    with open(server_path, encoding="utf-8") as f:
        server = json.load(f)

    result = {}
    last_sync = local.get("last_sync")
    result["last_sync"] = last_sync if last_sync is not None else server.get("last_sync")
    for key in LIST_TYPES:
        result[key] = merge_lists(server.get(key), local.get(key))
    prefs = local.get("preferences")
    result["preferences"] = prefs if prefs is not None else server.get("preferences")

    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f, indent=2, ensure_ascii=False)
        f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
