#!/usr/bin/env python3
"""Writes fuzz seeds for the `parse` target from the real queries in shared/corpus.

The queries are found as the conformance harness finds them (crates/palisade-kql/tests/support/
corpus.rs): top-level `query`/`Query`/`ParserQuery`/`FunctionQuery` strings of YAML files,
standalone .kql/.kusto/.csl/.txt files, `query` strings in ARM JSON, and the markdown blocks
of _derived/kql-blocks-from-markdown.jsonl; the parser's fixture files
(crates/palisade-kql/tests/parse/{ok,err}/*.kql) are always added.

    fuzz/seed_corpus.py                 # every distinct query -> fuzz/corpus/parse/ (not committed)
    fuzz/seed_corpus.py --committed     # a small, diverse selection -> fuzz/seeds/parse/ (committed)

The shared directory is $PALISADE_SHARED, else <repo>/../shared.
Reading YAML needs PyYAML; without it the YAML queries are left out, with a warning.
"""

import argparse
import hashlib
import json
import os
import re
import sys
from pathlib import Path

SKIPPED_DIRS = {"SigmaHQ__sigma", "arm-pairs", "arm-pairs-bulk", "_derived", "oshezaf__sentinelninja"}
QUERY_KEYS = ("query", "Query", "ParserQuery", "FunctionQuery")
QUERY_EXTENSIONS = {".kql", ".kusto", ".csl", ".txt"}
MARKDOWN_BLOCKS = "_derived/kql-blocks-from-markdown.jsonl"

REPO = Path(__file__).resolve().parent.parent


def shared_dir():
    env = os.environ.get("PALISADE_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def yaml_queries(text, warn):
    try:
        import yaml
    except ImportError:
        warn("PyYAML is not installed: YAML queries are left out")
        return []
    out = []
    try:
        for document in yaml.safe_load_all(text):
            if isinstance(document, dict):
                out += [v for k, v in document.items() if k in QUERY_KEYS and isinstance(v, str)]
    except yaml.YAMLError:
        pass
    return out


def json_queries(value, out):
    if isinstance(value, dict):
        for key, child in value.items():
            if key in ("query", "Query") and isinstance(child, str):
                if not child.lstrip().startswith("["):
                    out.append(child)
            else:
                json_queries(child, out)
    elif isinstance(value, list):
        for child in value:
            json_queries(child, out)


def corpus_queries(corpus):
    warned = set()

    def warn(message):
        if message not in warned:
            warned.add(message)
            print(f"warning: {message}", file=sys.stderr)

    for top in sorted(p for p in corpus.iterdir() if p.is_dir() and p.name not in SKIPPED_DIRS):
        for path in sorted(p for p in top.rglob("*") if p.is_file()):
            ext = path.suffix.lower()
            try:
                text = path.read_text(encoding="utf-8").lstrip("\ufeff")
            except (UnicodeDecodeError, OSError):
                continue
            if ext in (".yaml", ".yml"):
                yield from yaml_queries(text, warn)
            elif ext == ".json":
                found = []
                try:
                    json_queries(json.loads(text), found)
                except ValueError:
                    pass
                yield from found
            elif ext in QUERY_EXTENSIONS:
                yield text
    blocks = corpus / MARKDOWN_BLOCKS
    if blocks.is_file():
        for line in blocks.read_text(encoding="utf-8").splitlines():
            if line.strip():
                query = json.loads(line).get("query")
                if isinstance(query, str):
                    yield query


OPERATOR = re.compile(r"\|\s*([A-Za-z][A-Za-z0-9_-]*)")


def features(query):
    """Operators, literal forms and statement kinds a query shows, to pick a diverse selection."""
    found = {"op:" + m.group(1).lower() for m in OPERATOR.finditer(query)}
    for name, pattern in [
        ("let", r"^\s*let\b"), ("set", r"^\s*set\b"), ("declare", r"\bdeclare\b"),
        ("verbatim", r"@['\"]"), ("obfuscated", r"\b[hH]['\"]"), ("fence", r"```|~~~"),
        ("dynamic", r"\bdynamic\s*\("), ("datetime", r"\bdatetime\s*\("), ("bracket", r"\[\s*['\"]"),
        ("timespan", r"\b\d+(\.\d+)?(d|h|m|s|ms|tick|microsecond)\b"), ("materialize", r"materialize\s*\("),
        ("toscalar", r"toscalar\s*\("), ("lambda", r"=\s*\([^)]*\)\s*\{"), ("comment", r"//"),
        ("non-ascii", r"[^\x00-\x7f]"), ("crlf", r"\r\n"), ("regex", r"matches\s+regex"),
    ]:
        if re.search(pattern, query, re.MULTILINE):
            found.add(name)
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--committed", action="store_true", help="write the small committed selection")
    parser.add_argument("--max-len", type=int, default=8192, help="leave out longer queries (bytes)")
    parser.add_argument("--budget", type=int, default=250_000, help="byte budget of --committed")
    parser.add_argument("--out", type=Path, help="output directory")
    args = parser.parse_args()

    corpus = shared_dir() / "corpus"
    if not corpus.is_dir():
        sys.exit(f"error: {corpus} not found (set PALISADE_SHARED)")
    out = args.out or REPO / "fuzz" / ("seeds" if args.committed else "corpus") / "parse"
    out.mkdir(parents=True, exist_ok=True)

    unique = {}
    for query in corpus_queries(corpus):
        data = query.encode("utf-8")
        if query.strip() and len(data) <= args.max_len:
            unique.setdefault(hashlib.sha1(data).hexdigest(), data)

    chosen = unique
    if args.committed:
        # Greedy: shortest queries first, keep one when it shows a feature not seen yet.
        chosen, seen, size = {}, set(), 0
        for digest, data in sorted(unique.items(), key=lambda item: (len(item[1]), item[0])):
            new = features(data.decode("utf-8")) - seen
            if new and size + len(data) <= args.budget:
                chosen[digest] = data
                seen |= new
                size += len(data)
    # The parser's own fixtures show every operator and literal form, the rare ones the corpus
    # lacks (graph operators, macro-expand, ...) included; they are always seeds.
    fixtures = REPO / "crates" / "palisade-kql" / "tests" / "parse"
    for path in sorted(fixtures.glob("*/*.kql")):
        data = path.read_bytes()
        if len(data) <= args.max_len:
            chosen.setdefault(hashlib.sha1(data).hexdigest(), data)
    for digest, data in chosen.items():
        (out / digest).write_bytes(data)
    total = sum(len(d) for d in chosen.values())
    print(f"{len(chosen)} seeds ({total / 1000:.0f} KB) of {len(unique)} distinct queries -> {out}")


if __name__ == "__main__":
    main()
