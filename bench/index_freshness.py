"""Measuring client of bench/index_freshness.sh (standard library only).

For each approval on node A: the time from A's answer to the approval until a name search finds the
new person, on B (another process, kept current by the change feed) and on A (the baseline). One
thread per node polls its own keep-alive connection, so the resolution is one search round trip.
"""
import argparse
import http.client
import json
import threading
import time
import urllib.parse

SYLLABLES = ["ba", "da", "fa", "ka", "la", "ma", "na", "ra", "sa", "ta", "za", "bi", "di", "ki", "li", "mi", "ni",
             "ri", "si", "ti", "bo", "do", "ko", "lo", "mo", "no", "ro", "so", "to", "zo"]


def unique_name(i):
    """A pronounceable given name per approval ("Kalomi"): letters only, as names are tokenised."""
    parts = []
    for _ in range(3):
        parts.append(SYLLABLES[i % len(SYLLABLES)])
        i //= len(SYLLABLES)
    return "".join(parts).capitalize()


class Node:
    def __init__(self, base, token):
        u = urllib.parse.urlparse(base)
        self.host, self.port, self.token = u.hostname, u.port, token
        self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)

    def request(self, method, path, body=None):
        headers = {"Authorization": "Bearer " + self.token}
        if body is not None:
            headers["Content-Type"] = "application/json"
            body = json.dumps(body)
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=headers)
                r = self.conn.getresponse()
                return r.status, json.loads(r.read() or b"null")
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=10)
                if attempt:
                    raise

    def finds(self, given, family):
        q = urllib.parse.urlencode({"q": given + " " + family, "limit": 5})
        status, body = self.request("GET", "/api/v1/persons?" + q)
        return status == 200 and any(p.get("given_name_lat") == given for p in body["items"])


def wait_hit(node, given, family, start, out, key, limit_s=10.0):
    while time.perf_counter() - start < limit_s:
        if node.finds(given, family):
            out[key] = time.perf_counter() - start
            return
    out[key] = None


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100.0 * (len(values) - 1))))]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--a", required=True)
    ap.add_argument("--b", required=True)
    ap.add_argument("--agent", required=True)
    ap.add_argument("--coord", required=True)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--rate", type=float, default=10.0)
    args = ap.parse_args()
    agent_a, coord_a = Node(args.a, args.agent), Node(args.a, args.coord)
    search_a, search_b = Node(args.a, args.coord), Node(args.b, args.coord)
    family = "Freshness"
    delays = {"a": [], "b": []}
    missed = {"a": 0, "b": 0}
    t0 = time.perf_counter()
    for i in range(args.count):
        slot = t0 + i / args.rate
        if time.perf_counter() < slot:
            time.sleep(slot - time.perf_counter())
        given = unique_name(i + 1)
        status, cr = agent_a.request("POST", "/api/v1/change-requests", {
            "kind": "create_household",
            "payload": {"household": {"commune_code": "MA-03.231.01.03", "urban": True},
                        "members": [{"relationship": "head", "given_name_lat": given, "family_name_lat": family,
                                     "sex": "F", "birth_date": "1980"}]}})
        if status != 201:
            raise SystemExit("filing answered %s: %s" % (status, cr))
        status, answer = coord_a.request("POST", "/api/v1/change-requests/%d/approve" % cr["id"], {"comment": "bench"})
        start = time.perf_counter()
        if status != 200:
            raise SystemExit("approval answered %s: %s" % (status, answer))
        out = {}
        threads = [threading.Thread(target=wait_hit, args=(n, given, family, start, out, k))
                   for n, k in ((search_a, "a"), (search_b, "b"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        for k in ("a", "b"):
            if out[k] is None:
                missed[k] += 1
            else:
                delays[k].append(out[k] * 1000.0)
    elapsed = time.perf_counter() - t0
    print("%d approvals in %.1f s (%.1f/s)" % (args.count, elapsed, args.count / elapsed))
    print("%-38s %9s %9s %9s %7s" % ("delay approval answer -> search hit", "p50 ms", "p99 ms", "max ms", "missed"))
    for k, label in (("a", "A (same node, baseline)"), ("b", "B (other node, change feed)")):
        d = delays[k]
        if d:
            print("%-38s %9.2f %9.2f %9.2f %7d" % (label, percentile(d, 50), percentile(d, 99), max(d), missed[k]))
        else:
            print("%-38s %9s %9s %9s %7d" % (label, "-", "-", "-", missed[k]))
    if delays["a"] and delays["b"]:
        print("B / A at p50: %.1fx; B's p99 within the 2 s goal: %s"
              % (percentile(delays["b"], 50) / max(percentile(delays["a"], 50), 1e-3),
                 "yes" if percentile(delays["b"], 99) < 2000 and not missed["b"] else "NO"))


if __name__ == "__main__":
    main()
