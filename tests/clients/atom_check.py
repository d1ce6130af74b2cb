"""Parses an Atom document from standard input with feedparser (what many feed readers use) and
prints what it understood as JSON: bozo (1 when the feed is not well-formed or not valid enough),
the feed title and the entries (id, title, link, updated). Run by tests/atom.rs."""
import json
import sys

import feedparser

parsed = feedparser.parse(sys.stdin.buffer.read())
print(
    json.dumps(
        {
            "bozo": int(parsed.bozo),
            "bozo_exception": str(parsed.get("bozo_exception", "")),
            "version": parsed.version,
            "title": parsed.feed.get("title"),
            "entries": [
                {
                    "id": entry.get("id"),
                    "title": entry.get("title"),
                    "link": entry.get("link"),
                    "updated": entry.get("updated"),
                }
                for entry in parsed.entries
            ],
        }
    )
)
