#!/usr/bin/env python3
"""Traffic for the deploy test, through the deployed NGINX (standard library only).

  traffic.py smoke BASE_URL            sign up, create a list and tasks, read them back
  traffic.py load BASE_URL STOP_FILE   bounded load until STOP_FILE exists (or --max-seconds);
                                       prints a JSON summary; exits 1 on any failed request
"""
import argparse
import http.client
import json
import os
import re
import secrets
import sys
import threading
import time
import urllib.parse


class Api:
    """One HTTP connection per request, so every request goes through NGINX's balancing anew."""

    def __init__(self, base, token=None):
        url = urllib.parse.urlsplit(base)
        self.host, self.port = url.hostname, url.port or 80
        self.token = token
        self.cookies = {}

    def call(self, method, path, body=None, expect=(200, 201, 204)):
        headers = {"Accept": "application/json"}
        if body is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = "Bearer " + self.token
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if "XSRF-TOKEN" in self.cookies:
                headers["X-XSRF-TOKEN"] = self.cookies["XSRF-TOKEN"]
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request(method, "/api/v1" + path, json.dumps(body) if body is not None else None, headers)
            resp = conn.getresponse()
            data = resp.read()
            for name, value in resp.getheaders():
                if name.lower() == "set-cookie":
                    key, _, rest = value.partition("=")
                    self.cookies[key.strip()] = rest.split(";", 1)[0]
        finally:
            conn.close()
        if resp.status not in expect:
            raise RuntimeError(f"{method} {path} answered {resp.status}: {data[:300]!r}")
        return json.loads(data) if data else None


def get_page(base, path):
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=30)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status, resp.read().decode("utf-8", "replace")
    finally:
        conn.close()


def check_ui(base):
    """NGINX serves the built UI itself: the entry page, one of its hashed assets, a client route."""
    status, page = get_page(base, "/")
    assert status == 200 and "<title>Taskmesh</title>" in page, f"/ answered {status}: {page[:200]!r}"
    asset = re.search(r'(?:src|href)="(/assets/[^"]+)"', page)
    assert asset, f"no /assets/ file named in the entry page: {page[:300]!r}"
    status, _ = get_page(base, asset.group(1))
    assert status == 200, f"{asset.group(1)} answered {status}"
    status, route = get_page(base, "/lists/abc/active")
    assert status == 200 and "<title>Taskmesh</title>" in route, f"a client route answered {status}"


def smoke(base):
    check_ui(base)
    email = f"deploy-test-{secrets.token_hex(4)}@example.com"
    password = secrets.token_urlsafe(16)
    browser = Api(base)
    user = browser.call("POST", "/auth/signup", {"email": email, "password": password, "displayName": "Deploy test"})
    me = browser.call("GET", "/me")  # the session lives in Redis, so any node knows it
    assert me["id"] == user["id"], f"/me answered {me} for {user}"
    token = Api(base).call("POST", "/auth/tokens", {"email": email, "password": password, "name": "deploy-test"})["token"]
    api = Api(base, token)
    lst = api.call("POST", "/lists", {"name": "Deployed"})
    titles = ["provision", "deploy", "verify"]
    for title in titles:
        api.call("POST", f"/lists/{lst['id']}/tasks", {"title": title})
    items = api.call("GET", f"/lists/{lst['id']}/tasks?status=all")["items"]
    got = [t["title"] for t in items]
    assert got == titles, f"tasks read back {got}, wanted {titles}"
    print(json.dumps({"user": email, "list": lst["id"], "tasks": got}))
    return {"email": email, "password": password, "token": token, "list": lst["id"]}


def load(base, stop_file, workers, max_seconds, pause):
    setup = smoke(base)
    counts = {"ok": 0, "failed": 0}
    failures = []
    lock = threading.Lock()
    deadline = time.monotonic() + max_seconds

    def worker(n):
        api = Api(base, setup["token"])
        i = 0
        while not os.path.exists(stop_file) and time.monotonic() < deadline:
            i += 1
            try:
                if i % 3 == 0:
                    api.call("POST", f"/lists/{setup['list']}/tasks", {"title": f"load {n}-{i}"})
                else:
                    api.call("GET", f"/lists/{setup['list']}/tasks?status=active&limit=20")
                with lock:
                    counts["ok"] += 1
            except Exception as e:  # every kind of failure counts: status, reset, timeout
                with lock:
                    counts["failed"] += 1
                    if len(failures) < 20:
                        failures.append(f"{time.strftime('%H:%M:%S')} {e}")
            time.sleep(pause)  # pacing, to keep the load bounded on a shared machine

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    stopped_by_file = os.path.exists(stop_file)
    print(json.dumps({"ok": counts["ok"], "failed": counts["failed"], "stopped_by_file": stopped_by_file,
                      "failures": failures}))
    return counts["failed"] == 0 and counts["ok"] > 0 and stopped_by_file


def main():
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("smoke")
    s.add_argument("base")
    ld = sub.add_parser("load")
    ld.add_argument("base")
    ld.add_argument("stop_file")
    ld.add_argument("--workers", type=int, default=3)
    ld.add_argument("--max-seconds", type=int, default=1800)  # a bound if the test hangs
    ld.add_argument("--pause", type=float, default=0.05)
    args = parser.parse_args()
    if args.command == "smoke":
        smoke(args.base)
        return 0
    return 0 if load(args.base, args.stop_file, args.workers, args.max_seconds, args.pause) else 1


if __name__ == "__main__":
    sys.exit(main())
