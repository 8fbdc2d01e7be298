#!/usr/bin/env python3
"""Helpers of bench/run.sh (Python 3 standard library only).

  bench.py validate PORT QUERIES OUT_JSONL   one request per query line to searchd on
        127.0.0.1:PORT (also the warm-up); fails unless every answer is HTTP 200 JSON with
        "total" and "facets". Writes {"query", "total", "ms"} per line.
  bench.py time-v FILE                       prints {"seconds", "max_rss_kb"} of a
        `/usr/bin/time -v` report as JSON.
  bench.py median-round WORK_DIR SYSTEM ROUNDS  writes WORK_DIR/index-SYSTEM.json: the
        round (index-SYSTEM.rK.json) with the median wall time (of an even count, the
        faster middle one), with every round's times under "rounds".
  bench.py report RUN_DIR OUT_JSON [--smoke] merges the stage files of RUN_DIR into
        OUT_JSON, prints the table (figure | ours | peer | ratio), the targets and the
        growth per 10x, writes RUN_DIR/RESULTS.md; with --smoke, exits 1 if any number is
        missing or zero.
"""
import json
import os
import re
import sys
import time
import urllib.parse
import urllib.request


def parse_query_lines(path):
    lines = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def encode_query(line):
    parts = []
    for pair in line.split("&"):
        name, _, value = pair.partition("=")
        parts.append(name + "=" + urllib.parse.quote(value, safe="-._~"))
    return "&".join(parts)


def validate(port, queries, out_path):
    failures = 0
    with open(out_path, "w", encoding="utf-8") as out:
        for line in parse_query_lines(queries):
            url = "http://127.0.0.1:%d/api/search?%s" % (int(port), encode_query(line))
            started = time.monotonic()
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    body = response.read()
                    status = response.status
            except Exception as error:  # HTTPError, timeouts, refused
                print("bench.py validate: %s: %s" % (line, error), file=sys.stderr)
                failures += 1
                continue
            ms = (time.monotonic() - started) * 1000
            try:
                data = json.loads(body)
                ok = status == 200 and "total" in data and isinstance(data.get("facets"), dict)
            except ValueError:
                ok = False
            if not ok:
                print("bench.py validate: %s: bad answer (HTTP %s) %r" % (line, status, body[:200]), file=sys.stderr)
                failures += 1
                continue
            out.write(json.dumps({"query": line, "total": data["total"], "ms": round(ms, 3)}, ensure_ascii=False) + "\n")
    return 1 if failures else 0


def parse_time_v(path):
    text = open(path, encoding="utf-8", errors="replace").read()
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", text)
    user = re.search(r"User time \(seconds\): ([\d.]+)", text)
    system = re.search(r"System time \(seconds\): ([\d.]+)", text)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", text)
    seconds = None
    if wall:
        seconds = 0.0
        for part in wall.group(1).split(":"):
            seconds = seconds * 60 + float(part)
    cpu = float(user.group(1)) + float(system.group(1)) if user and system else None
    return {"seconds": seconds, "cpu_seconds": cpu, "max_rss_kb": int(rss.group(1)) if rss else None}


# ------------------------------------------------------------------------- report

def load_json(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (OSError, ValueError):
        return None


def load_jsonl(path):
    rows = []
    try:
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    rows.append(json.loads(line))
    except (OSError, ValueError):
        pass
    return rows


def median_round(work_dir, system, rounds):
    """The median round stands for the system: one slow or fast minute of a shared machine
    moves it less than a mean, and its figures (time, CPU, RSS, size) stay one real run."""
    runs = []
    for k in range(1, rounds + 1):
        data = load_json(os.path.join(work_dir, "index-%s.r%d.json" % (system, k)))
        if data and data.get("seconds"):
            runs.append((k, data))
    if not runs:
        return 1
    by_time = sorted(runs, key=lambda kd: kd[1]["seconds"])
    k, chosen = by_time[(len(by_time) - 1) // 2]
    chosen = dict(chosen)
    chosen["median_of_round"] = k
    chosen["rounds"] = [{"round": r, "seconds": d["seconds"], "cpu_seconds": d.get("cpu_seconds")} for r, d in runs]
    with open(os.path.join(work_dir, "index-%s.json" % system), "w", encoding="utf-8") as handle:
        json.dump(chosen, handle)
    return 0


def paired_round_ratios(ours, peer):
    """Peer's wall time ÷ ours in each round both finished: the throughput ratio of runs
    made minutes apart at most, as the systems alternate within a round."""
    peer_by_round = {r["round"]: r["seconds"] for r in (peer or {}).get("rounds", [])}
    return [peer_by_round[r["round"]] / r["seconds"] for r in (ours or {}).get("rounds", [])
            if r["round"] in peer_by_round and r["seconds"]]


def rounds_line(entry):
    idx = entry["index"]
    parts = []
    for system in ("ours", "omindex", "fts5"):
        rounds = (idx.get(system) or {}).get("rounds") or []
        if len(rounds) > 1:
            parts.append("%s %s s" % (system, " / ".join(fmt(r["seconds"]) for r in rounds)))
    if not parts:
        return ""
    line = "Indexing rounds (wall time, round 1 first; the table shows each system's median round): " + " · ".join(parts)
    paired = paired_round_ratios(idx.get("ours"), idx.get("omindex"))
    if len(paired) > 1:
        line += "; throughput ours ÷ omindex per round: " + " / ".join("×" + fmt(r, 2) for r in paired)
    return line + "."


def collect(run_dir):
    meta = load_json(os.path.join(run_dir, "meta.json")) or {}
    corpora = []
    for name in meta.get("corpora", []):
        d = os.path.join(run_dir, name)
        entry = {"name": name, "corpus": load_json(os.path.join(d, "corpus.json")) or {}, "index": {}, "query": {}}
        # A system left out on purpose (--no-omindex) has no entry at all; one that was
        # run and failed has None, so its missing numbers are reported.
        for system in ("ours", "omindex", "fts5") if meta.get("omindex", 1) else ("ours", "fts5"):
            entry["index"][system] = load_json(os.path.join(d, "index-%s.json" % system))
        if os.path.exists(os.path.join(d, "query-expected")):
            for system in ("ours", "fts5"):
                entry["query"][system] = load_json(os.path.join(d, "query-%s.json" % system))
            # searchd with its count cache, warmed (runs before this one had no such stage).
            if os.path.exists(os.path.join(d, "query-cached-expected")):
                entry["query"]["ours_cached"] = load_json(os.path.join(d, "query-ours-cached.json"))
            ours = {r["query"]: r["total"] for r in load_jsonl(os.path.join(d, "totals-ours.jsonl"))}
            fts5 = {r["query"]: r["total"] for r in load_jsonl(os.path.join(d, "totals-fts5.jsonl"))}
            single = {r["query"]: r["ms"] for r in load_jsonl(os.path.join(d, "totals-ours.jsonl"))}
            single_fts5 = {r["query"]: r["ms"] for r in load_jsonl(os.path.join(d, "totals-fts5.jsonl"))}
            entry["parity"] = {
                "queries": len(ours),
                "same_total": sum(1 for q in ours if q in fts5 and fts5[q] == ours[q]),
                "per_query": [{"query": q, "ours_total": ours[q], "fts5_total": fts5.get(q),
                               "ours_single_ms": single.get(q), "fts5_single_ms": single_fts5.get(q)} for q in ours],
            }
        corpora.append(entry)
    return meta, corpora


def fmt(value, digits=None):
    if value is None:
        return "—"
    if isinstance(value, str):
        return value
    if digits is None:
        digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return "{:,.{}f}".format(value, digits)


def ratio(a, b):
    if a is None or b in (None, 0):
        return None
    return a / b


def searchd_runs(q):
    """(label, figures) of each searchd query run: "every query counted" (count cache off,
    the engine's cost per query) and, when measured, "caches on, repeated queries" (count and ranking caches on and
    warm, the 40 queries of the file repeating)."""
    runs = [("every query counted", q.get("ours") or {})]
    if "ours_cached" in q:
        runs.append(("caches on, repeated queries", q.get("ours_cached") or {}))
    return runs


def rows_for(entry):
    """(figure, ours, peer, ratio) rows of one corpus; each figure names its peer."""
    rows = []
    idx = entry["index"]
    ours = idx.get("ours") or {}
    for peer in ("omindex", "fts5"):
        if peer not in idx:
            continue
        p = idx.get(peer) or {}
        label = "omindex" if peer == "omindex" else "SQLite FTS5"
        for key, name, scale in (("mb_per_s", "index throughput MB/s ↑", 1), ("docs_per_s", "index docs/s ↑", 1),
                                 ("seconds", "index wall time s ↓", 1), ("cpu_seconds", "index CPU time s ↓", 1),
                                 ("mb_per_cpu_s", "index MB per CPU-second ↑", 1), ("max_rss_kb", "indexer peak RSS MB ↓", 1 / 1024),
                                 ("index_bytes", "index size MB ↓", 1 / 1e6)):
            a, b = ours.get(key), p.get(key)
            a = a * scale if a is not None else None
            b = b * scale if b is not None else None
            rows.append(("%s vs %s" % (name, label), a, b, ratio(a, b)))
    q = entry.get("query") or {}
    if q:
        f = q.get("fts5") or {}
        for mode, o in searchd_runs(q):
            for key, name in (("rps", "query throughput req/s ↑"), ("p50_ms", "latency p50 ms ↓"),
                              ("p95_ms", "latency p95 ms ↓"), ("p99_ms", "latency p99 ms ↓"),
                              ("cpu_ms_per_request", "server CPU ms per request ↓")):
                rows.append(("%s (%s) vs SQLite FTS5" % (name, mode), o.get(key), f.get(key), ratio(o.get(key), f.get(key))))
            a = o.get("server_rss_kb")
            b = f.get("max_rss_kb")
            a = a / 1024 if a is not None else None
            b = b / 1024 if b is not None else None
            rows.append(("server peak RSS MB ↓ (%s; searchd VmHWM vs FTS5 driver)" % mode, a, b, ratio(a, b)))
    return rows


def table(entry):
    c = entry["corpus"]
    out = ["### %s — %s documents, %s MB" % (entry["name"], fmt(c.get("docs"), 0), fmt((c.get("bytes") or 0) / 1e6)), "",
           "| figure | ours | peer | ratio ours/peer |", "|---|---:|---:|---:|"]
    for figure, a, b, r in rows_for(entry):
        out.append("| %s | %s | %s | %s |" % (figure, fmt(a), fmt(b), fmt(r, 2) if r is not None else "—"))
    rounds = rounds_line(entry)
    if rounds:
        out += ["", rounds]
    parity = entry.get("parity")
    if parity:
        out.append("")
        out.append("Result counts: %d of %d queries give the same total in searchd and FTS5 "
                   "(tokenisation, stemming and Khmer segmentation differ)." % (parity["same_total"], parity["queries"]))
    return "\n".join(out)


def growth(corpora):
    """Cost ratios between scales 10x apart (generated corpora only)."""
    gen = [e for e in corpora if e["name"].startswith("gen-")]
    lines = []
    for small, big in zip(gen, gen[1:]):
        n1, n2 = small["corpus"].get("docs") or 0, big["corpus"].get("docs") or 0
        if not n1 or abs(n2 / n1 - 10) > 0.5:
            continue
        cells = []
        for system in ("ours", "omindex", "fts5"):
            if system not in small["index"] or system not in big["index"]:
                continue
            s1, s2 = small["index"].get(system) or {}, big["index"].get(system) or {}
            for key, name in (("seconds", "index time"), ("cpu_seconds", "index CPU"), ("index_bytes", "index size"),
                              ("max_rss_kb", "indexer RSS")):
                r = ratio(s2.get(key), s1.get(key))
                cells.append(("%s %s" % (system, name), r))
        for system in ("ours", "fts5"):
            q1, q2 = small["query"].get(system) or {}, big["query"].get(system) or {}
            for key, name in (("p50_ms", "p50"), ("p99_ms", "p99"), ("cpu_ms_per_request", "CPU/query")):
                cells.append(("%s %s" % (system, name), ratio(q2.get(key), q1.get(key))))
            cells.append(("%s cost/query (1/rps)" % system, ratio(q1.get("rps"), q2.get("rps"))))
        rss_key = {"ours": "server_rss_kb", "fts5": "max_rss_kb"}
        for system in ("ours", "fts5"):
            cells.append(("%s server RSS" % system, ratio((big["query"].get(system) or {}).get(rss_key[system]),
                                                          (small["query"].get(system) or {}).get(rss_key[system]))))
        lines.append("| %s → %s | %s |" % (small["name"], big["name"], " · ".join(
            "%s ×%s" % (name, fmt(r, 2)) for name, r in cells if r is not None)))
    if not lines:
        return ""
    return "\n".join(["### Growth per 10× documents (cost at 10N / cost at N)", "", "| scales | ratios |", "|---|---|"] + lines)


def targets(corpora):
    out = []
    def verdict(ok):
        return "—" if ok is None else ("met" if ok else "NOT met")
    for e in corpora:
        ours, om = e["index"].get("ours") or {}, e["index"].get("omindex") or {}
        r = ratio(ours.get("mb_per_s"), om.get("mb_per_s"))
        s = ratio(ours.get("index_bytes"), om.get("index_bytes"))
        rc = ratio(ours.get("mb_per_cpu_s"), om.get("mb_per_cpu_s"))
        if "omindex" in e["index"]:
            paired = paired_round_ratios(ours, om)
            per_round = "; per round ×%s" % " / ×".join(fmt(x, 2) for x in paired) if len(paired) > 1 else ""
            out.append("- %s: indexing ≥ 2× omindex throughput: %s (wall-clock ×%s, median rounds%s; per CPU-second ×%s); "
                       "index size ≤ omindex: %s (×%s)"
                       % (e["name"], verdict(None if r is None else r >= 2), fmt(r, 2), per_round, fmt(rc, 2),
                          verdict(None if s is None else s <= 1), fmt(s, 2)))
        q = e.get("query") or {}
        if q and (e["corpus"].get("docs") or 0) >= 1_000_000:
            f = q.get("fts5") or {}
            for mode, o in searchd_runs(q):
                rr = ratio(o.get("rps"), f.get("rps"))
                out.append("- %s (%s): p99 ≤ 50 ms: %s (%s ms); ≥ 10× FTS5 throughput: %s (×%s); searchd RSS ≤ 200 MB: %s (%s MB)"
                           % (e["name"], mode, verdict(None if o.get("p99_ms") is None else o["p99_ms"] <= 50), fmt(o.get("p99_ms")),
                              verdict(None if rr is None else rr >= 10), fmt(rr, 2),
                              verdict(None if o.get("server_rss_kb") is None else o["server_rss_kb"] <= 200 * 1024),
                              fmt((o.get("server_rss_kb") or 0) / 1024)))
    if not any((e["corpus"].get("docs") or 0) >= 1_000_000 for e in corpora):
        out.append("- query targets are defined at 1M documents, which this run did not include.")
    return "## Targets\n\n" + "\n".join(out)


def missing_numbers(corpora, index_rounds=None):
    missing = []
    for e in corpora:
        for system, data in e["index"].items():
            if index_rounds and data and "rounds" in data and len(data["rounds"]) != index_rounds:
                missing.append("%s index %s: %d of %d rounds" % (e["name"], system, len(data["rounds"]), index_rounds))
            for key in ("seconds", "mb_per_s", "docs_per_s", "cpu_seconds", "mb_per_cpu_s", "max_rss_kb", "index_bytes", "docs"):
                if not data or not data.get(key):
                    missing.append("%s index %s %s" % (e["name"], system, key))
        if e["name"].startswith("gen-"):
            systems = ("ours", "ours_cached", "fts5") if "ours_cached" in (e.get("query") or {}) else ("ours", "fts5")
            for system in systems:
                data = (e.get("query") or {}).get(system)
                keys = ("rps", "requests", "p50_ms", "p95_ms", "p99_ms", "cpu_ms_per_request") + (("max_rss_kb",) if system == "fts5" else ("server_rss_kb",))
                for key in keys:
                    if not data or not data.get(key):
                        missing.append("%s query %s %s" % (e["name"], system, key))
                if data and (data.get("errors") or data.get("non_2xx")):
                    missing.append("%s query %s had %s errors / %s non-2xx" % (e["name"], system, data.get("errors"), data.get("non_2xx")))
        if not e["corpus"].get("docs"):
            missing.append("%s corpus docs" % e["name"])
    return missing


OWN_PROCESSES = {"indexer", "searchd", "omindex", "bench_fts5", "bench_gen_corp", "wrk", "ps", "timeout", "time"}


def concurrent_summary(run_dir):
    """Other commands seen using > 5% CPU in the samples of concurrent.log, most frequent first."""
    seen, samples = {}, 0
    try:
        with open(os.path.join(run_dir, "concurrent.log"), encoding="utf-8", errors="replace") as handle:
            for line in handle:
                if line.startswith("=="):
                    samples += 1
                    continue
                parts = line.split(None, 1)
                if len(parts) == 2 and parts[1].strip() not in OWN_PROCESSES:
                    seen[parts[1].strip()] = seen.get(parts[1].strip(), 0) + 1
    except OSError:
        return None
    top = sorted(seen.items(), key=lambda kv: -kv[1])[:8]
    return {"samples": samples, "other_processes": [{"command": c, "samples_seen": n} for c, n in top]}


def report(run_dir, out_json, smoke):
    meta, corpora = collect(run_dir)
    meta["concurrent"] = concurrent_summary(run_dir)
    result = {"meta": meta, "corpora": corpora}
    os.makedirs(os.path.dirname(os.path.abspath(out_json)), exist_ok=True)
    with open(out_json, "w", encoding="utf-8") as handle:
        json.dump(result, handle, indent=2, ensure_ascii=False)
    m = meta.get("machine", {})
    lines = ["# Benchmark results — %s" % meta.get("date", "?"), "",
             "Machine: %s cores, %s, %s GB RAM. Command: `%s`." % (m.get("nproc"), m.get("cpu"), m.get("ram_gb"), meta.get("command")),
             "Load: %s concurrent connections (searchd --threads %s, FTS5 driver threads %s), %s s per query run; "
             "load average at start %s, at end %s." % (meta.get("concurrency"), meta.get("concurrency"), meta.get("concurrency"),
                                                      meta.get("duration"), meta.get("loadavg_start"), meta.get("loadavg_end")),
             "Other processes using CPU at start: %s." % (meta.get("busy_start") or "none seen")]
    c = meta.get("concurrent")
    if c and c["samples"]:
        lines.append("Other processes seen using > 5%% CPU during the run (in how many of %d samples, every 30 s): %s."
                     % (c["samples"], ", ".join("%s (%d)" % (p["command"], p["samples_seen"]) for p in c["other_processes"]) or "none"))
    lines.append("")
    for e in corpora:
        lines.append(table(e))
        lines.append("")
    g = growth(corpora)
    if g:
        lines += [g, ""]
    lines.append(targets(corpora))
    text = "\n".join(lines) + "\n"
    with open(os.path.join(run_dir, "RESULTS.md"), "w", encoding="utf-8") as handle:
        handle.write(text)
    print(text)
    print("raw numbers: %s" % out_json)
    rounds = str(meta.get("index_rounds", ""))
    missing = missing_numbers(corpora, int(rounds) if rounds.isdigit() else None)
    if missing:
        print("MISSING OR ZERO: " + "; ".join(missing), file=sys.stderr)
        if smoke:
            return 1
    return 0


def main(argv):
    if len(argv) == 5 and argv[1] == "validate":
        return validate(argv[2], argv[3], argv[4])
    if len(argv) == 3 and argv[1] == "time-v":
        print(json.dumps(parse_time_v(argv[2])))
        return 0
    if len(argv) == 5 and argv[1] == "median-round" and argv[4].isdigit():
        return median_round(argv[2], argv[3], int(argv[4]))
    if len(argv) in (4, 5) and argv[1] == "report":
        return report(argv[2], argv[3], len(argv) == 5 and argv[4] == "--smoke")
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv))
