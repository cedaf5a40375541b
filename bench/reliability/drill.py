#!/usr/bin/env python3
"""Reliability drills for issue 16 ("acknowledged means stored"), run by hand, not in CI.

Each drill starts the real `xinqiao` binary, pushes it into trouble from outside and checks
that nothing acknowledged was lost and nothing is left inconsistent:

  disk-full   a 48 MB tmpfs filled up under live intake: 503 with Retry-After (never 201 for
              what was not stored, never 500), /readyz 503, recovery without a restart once
              space returns, then kill -9 and a restart: every acknowledged case is there
  read-only   the data directory loses write permission for 6 s under load (the server runs
              as nobody): searches keep answering, nothing acknowledged is lost, readiness
              and the index recover by themselves; a start on it says the directory is not
              writable
  crash       kill -9 under load, restart: every acknowledged case is there, check and audit hold
  secrets     secrets.toml removed or replaced by another installation's: the server refuses
              to start and says what to restore; the right file starts it
  import      `xinqiao import cases` killed with -9 midway, then rerun: every row once, every
              closed case with its outcome, `xinqiao check` clean
  two-nodes   (PostgreSQL) two servers on one database, an import in 2,000-row batches during
              live intake on both: afterwards `xinqiao check` is clean on both nodes

Usage: bench/reliability/drill.py [DRILL ...] [--bin PATH] [--pg URL]
  --bin   the xinqiao binary (default: target/release/xinqiao, else target/debug/xinqiao)
  --pg    an admin URL of a PostgreSQL server for two-nodes (a database is created and dropped)
disk-full and read-only need root (a tmpfs mount; runuser to run the server as nobody). Exit status 0 when every drill held.
Uses only python3's standard library and the sqlite3 module; nothing is downloaded.
"""

import argparse
import http.client
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FAILURES = []


def say(msg):
    print(msg, flush=True)


def expect(cond, what):
    say(("  ok   " if cond else "  FAIL ") + what)
    if not cond:
        FAILURES.append(what)
    return cond


class Server:
    """`xinqiao serve` on a port of its own; stdout/stderr go to a log file."""

    def __init__(self, binary, data_dir, database_url=None, log=None, prefix=()):
        args = [*prefix, binary, "serve", "--data-dir", data_dir, "--addr", "127.0.0.1:0"]
        if database_url:
            args += ["--database-url", database_url]
        self.log = open(log or os.path.join(os.path.dirname(data_dir), "server.log"), "ab")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self.log, env=clean_env())
        self.port = None
        deadline = time.time() + 60
        while time.time() < deadline:
            line = self.proc.stdout.readline().decode("utf-8", "replace")
            if not line:
                break
            if "http://127.0.0.1:" in line:
                self.port = int(line.split("http://127.0.0.1:")[1].split()[0].strip("/"))
                break
        if self.port is None:
            self.proc.kill()
            raise RuntimeError("the server did not start (see the log)")
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def request(self, method, path, body=None, timeout=30):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"content-type": "application/json"} if body is not None else {}
        conn.request(method, path, json.dumps(body) if body is not None else None, headers)
        res = conn.getresponse()
        data = res.read()
        conn.close()
        return res.status, dict(res.getheaders()), data

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=60)


def clean_env():
    env = dict(os.environ)
    env.pop("XINQIAO_DATABASE_URL", None)
    env.pop("XINQIAO_DATA_DIR", None)
    return env


def complaint(n):
    return {
        "kind": "complaint", "enterprise_name": "苏州姑苏示例健身管理有限公司", "uscc": "91110000600037341L",
        "industry": "R", "region_code": "320508", "amount": "5000", "event_date": "2026-03-15",
        "consent_publish": False, "also_report": False,
        "narrative": f"第{n}次投诉：健身房办了5000元的卡，现在关门了，老板不接电话，要求退还卡内余额。",
        "demand": "退还卡内余额", "name": "李秀英", "mobile": "138 1234 5678", "address": "苏州市姑苏区人民路88号",
    }


class Load:
    """Submissions from `threads` threads until stopped; remembers what was acknowledged."""

    def __init__(self, server, threads=4):
        self.server, self.stop_flag = server, threading.Event()
        self.acked, self.statuses, self.lock = [], {}, threading.Lock()
        self.retry_after_missing = 0
        self.threads = [threading.Thread(target=self.run, args=(i,), daemon=True) for i in range(threads)]
        for t in self.threads:
            t.start()

    def run(self, i):
        n = i * 10_000_000
        while not self.stop_flag.is_set():
            n += 1
            try:
                status, headers, body = self.server.request("POST", "/api/v1/cases", complaint(n), timeout=30)
            except Exception:
                status, headers, body = 0, {}, b""
            with self.lock:
                self.statuses[status] = self.statuses.get(status, 0) + 1
                if status == 201:
                    code = json.loads(body)["cases"][0]["tracking_code"].replace("-", "")
                    self.acked.append(code)
                elif status == 503 and "retry-after" not in {k.lower() for k in headers}:
                    self.retry_after_missing += 1
            if status != 201:
                time.sleep(0.05)

    def finish(self):
        self.stop_flag.set()
        for t in self.threads:
            t.join(timeout=60)


def stored_codes(db_path):
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=30)
    codes = {r[0] for r in con.execute("SELECT tracking_code FROM cases")}
    con.close()
    return codes


def run_cli(binary, *args):
    return subprocess.run([binary, *args], capture_output=True, text=True, env=clean_env())


def check_clean(binary, data_dir, label, *extra):
    r = run_cli(binary, "check", "--data-dir", data_dir, *extra)
    expect(r.returncode == 0, f"{label}: xinqiao check clean" + ("" if r.returncode == 0 else "\n" + r.stdout + r.stderr))
    a = run_cli(binary, "audit", "verify", "--data-dir", data_dir, *extra)
    expect(a.returncode == 0, f"{label}: xinqiao audit verify holds")


def wait_ready(server, want, seconds):
    started = time.time()
    while time.time() - started < seconds:
        try:
            if server.request("GET", "/readyz", timeout=10)[0] == want:
                return time.time() - started
        except Exception:
            pass
        time.sleep(0.2)
    return None


def mount_tmpfs(where, size):
    os.makedirs(where, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", where], check=True)


def umount(where):
    subprocess.run(["umount", "-l", where], check=False)


def fill(where):
    """Writes a filler file until the filesystem is full; returns its path."""
    path = os.path.join(where, "filler")
    with open(path, "wb") as f:
        block = b"\0" * (1 << 20)
        try:
            while True:
                f.write(block)
                f.flush()
        except OSError:
            pass
    return path


def drill_disk_full(binary, work):
    say("disk-full: a 48 MB tmpfs fills up under live intake")
    mnt = os.path.join(work, "disk-full")
    mount_tmpfs(mnt, "48m")
    try:
        data = os.path.join(mnt, "data")
        server = Server(binary, data, log=os.path.join(work, "disk-full.log"))
        load = Load(server)
        time.sleep(3)
        filler = fill(mnt)
        time.sleep(6)
        status, _, body = server.request("GET", "/readyz")
        expect(status == 503, f"/readyz 503 while full ({body.decode('utf-8', 'replace').strip()[:80]})")
        os.remove(filler)
        took = wait_ready(server, 200, 60)
        expect(took is not None, f"ready again without a restart ({took and round(took, 1)} s after space returned)")
        time.sleep(3)
        load.finish()
        say(f"  answers: {load.statuses}")
        expect(load.statuses.get(500, 0) == 0, "no 500 answered")
        expect(load.statuses.get(503, 0) > 0, "503 answered while full")
        expect(load.retry_after_missing == 0, "every 503 carries Retry-After")
        server.kill9()
        server = Server(binary, data, log=os.path.join(work, "disk-full.log"))
        server.stop()
        missing = set(load.acked) - stored_codes(os.path.join(data, "xinqiao.db"))
        expect(not missing, f"{len(load.acked)} acknowledged, {len(missing)} missing after kill -9 and restart")
        check_clean(binary, data, "disk-full")
    finally:
        umount(mnt)


def drill_read_only(binary, work):
    say("read-only: the data directory loses write permission for 6 s under load (server as nobody)")
    base = os.path.join(work, "read-only")
    data = os.path.join(base, "data")
    os.makedirs(data)
    for d in (work, base, data):
        os.chmod(d, 0o755)
    shutil.chown(base, "nobody", "nogroup")
    shutil.chown(data, "nobody", "nogroup")
    as_nobody = ["runuser", "-u", "nobody", "--"]
    server = Server(binary, data, log=os.path.join(work, "read-only.log"), prefix=as_nobody)
    load = Load(server)
    time.sleep(3)
    subprocess.run(["chmod", "-R", "a-w", data], check=True)
    searches = []
    for _ in range(6):
        searches.append(server.request("GET", "/qa?q=%E9%80%80%E6%AC%BE")[0])
        time.sleep(1)
    status, _, body = server.request("GET", "/readyz")
    say(f"  /readyz {status}: {body.decode('utf-8', 'replace').strip()[:120]}")
    expect(all(s != 500 for s in searches), f"searches answer while writes fail: {searches}")
    subprocess.run(["chmod", "-R", "u+w", data], check=True)
    took = wait_ready(server, 200, 60)
    expect(took is not None, f"ready again without a restart ({took and round(took, 1)} s after)")
    time.sleep(3)
    expect(server.request("GET", "/qa?q=%E9%80%80%E6%AC%BE")[0] == 200, "search answers 200 afterwards")
    load.finish()
    say(f"  answers: {load.statuses}")
    expect(load.statuses.get(500, 0) == 0, "no 500 answered")
    server.stop()
    missing = set(load.acked) - stored_codes(os.path.join(data, "xinqiao.db"))
    expect(not missing, f"{len(load.acked)} acknowledged, {len(missing)} missing")
    subprocess.run(["chmod", "-R", "a-w", data], check=True)
    r = subprocess.run(as_nobody + [binary, "serve", "--data-dir", data, "--addr", "127.0.0.1:0"],
                       capture_output=True, text=True, timeout=60, env=clean_env())
    expect(r.returncode != 0 and ("只读" in r.stderr or "不可写" in r.stderr) and "pool timed out" not in r.stderr,
           f"a start on the read-only directory says so: {r.stderr.strip().splitlines()[-1][:160] if r.stderr else ''}")
    subprocess.run(["chmod", "-R", "u+w", data], check=True)
    check_clean(binary, data, "read-only")


def drill_crash(binary, work):
    say("crash: kill -9 under load, three times")
    data = os.path.join(work, "crash", "data")
    acked = []
    for round_ in range(3):
        server = Server(binary, data, log=os.path.join(work, "crash.log"))
        load = Load(server, threads=6)
        time.sleep(random.uniform(2, 5))
        server.kill9()
        load.finish()
        acked += load.acked
    server = Server(binary, data, log=os.path.join(work, "crash.log"))
    server.stop()
    missing = set(acked) - stored_codes(os.path.join(data, "xinqiao.db"))
    expect(not missing, f"{len(acked)} acknowledged, {len(missing)} missing")
    check_clean(binary, data, "crash")
    return data


def drill_secrets(binary, work, data):
    say("secrets: a missing or foreign secrets.toml")
    secrets = os.path.join(data, "secrets.toml")
    kept = os.path.join(work, "secrets.kept")
    shutil.move(secrets, kept)

    def start_refused(label):
        r = subprocess.run([binary, "serve", "--data-dir", data, "--addr", "127.0.0.1:0"], capture_output=True,
                           text=True, timeout=60, env=clean_env())
        expect(r.returncode != 0 and "secrets.toml" in r.stderr, f"{label}: refused ({r.stderr.strip()[:140]})")
        return r

    start_refused("missing")
    expect(not os.path.exists(secrets), "no new key was made")
    other = os.path.join(work, "other", "data")
    Server(binary, other, log=os.path.join(work, "secrets.log")).stop()
    shutil.copy(os.path.join(other, "secrets.toml"), secrets)
    os.chmod(secrets, 0o600)
    start_refused("foreign")
    shutil.move(kept, secrets)
    server = Server(binary, data, log=os.path.join(work, "secrets.log"))
    expect(server.request("GET", "/readyz")[0] == 200, "the right file starts it")
    server.stop()


def drill_import(binary, work):
    say("import: killed with -9 midway, then rerun")
    out = os.path.join(work, "import-gen")
    subprocess.run([binary, "gen", "--cases", "20000", "--enterprises", "500", "--out", out], check=True,
                   capture_output=True, env=clean_env())
    csv_path = os.path.join(out, "cases.csv")
    data = os.path.join(work, "import", "data")
    db = os.path.join(data, "xinqiao.db")
    proc = subprocess.Popen([binary, "import", "cases", csv_path, "--data-dir", data],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=clean_env())
    deadline = time.time() + 600
    while time.time() < deadline and proc.poll() is None:
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5)
            n = con.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
            con.close()
            if n >= 6000:
                break
        except sqlite3.Error:
            pass
        time.sleep(0.2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    partial = con.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    con.close()
    say(f"  killed with {partial} cases stored")
    r = run_cli(binary, "import", "cases", csv_path, "--data-dir", data)
    expect(r.returncode == 0, "the rerun completes")
    expect("跳过此前已导入的" in r.stdout or partial == 0, "the rerun reports what it skipped: " +
           next((l for l in r.stdout.splitlines() if "跳过" in l), "(nothing)"))
    with open(csv_path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split(",")
        rows = sum(1 for _ in f)
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    n = con.execute("SELECT COUNT(*) FROM cases").fetchone()[0]
    closed = con.execute("SELECT COUNT(*) FROM cases WHERE closed_at IS NOT NULL").fetchone()[0]
    con.close()
    import csv
    with open(csv_path, encoding="utf-8") as f:
        want_closed = sum(1 for r in csv.DictReader(f) if r.get("closed") in ("1", "true", "是", "yes"))
    expect(n == rows, f"{rows} rows in the file, {n} cases stored")
    expect(closed == want_closed, f"{want_closed} closed in the file, {closed} closed in the database")
    check_clean(binary, data, "import")


def drill_two_nodes(binary, work, pg):
    say("two-nodes: two servers on one PostgreSQL, an import during live intake")
    name = f"xq_drill_{int(time.time())}"
    base, _, _ = pg.rpartition("/")
    url = f"{base}/{name}"
    admin = subprocess.run(["psql", pg, "-qc", f"CREATE DATABASE {name}"], capture_output=True, text=True)
    if admin.returncode != 0:
        expect(False, f"create the drill database: {admin.stderr.strip()}")
        return
    try:
        a_dir, b_dir = os.path.join(work, "node-a", "data"), os.path.join(work, "node-b", "data")
        a = Server(binary, a_dir, url, log=os.path.join(work, "node-a.log"))
        os.makedirs(b_dir, exist_ok=True)
        shutil.copy(os.path.join(a_dir, "secrets.toml"), os.path.join(b_dir, "secrets.toml"))
        os.chmod(os.path.join(b_dir, "secrets.toml"), 0o600)
        b = Server(binary, b_dir, url, log=os.path.join(work, "node-b.log"))
        loads = [Load(a, 3), Load(b, 3)]
        out = os.path.join(work, "two-nodes-gen")
        subprocess.run([binary, "gen", "--cases", "10000", "--enterprises", "300", "--out", out], check=True,
                       capture_output=True, env=clean_env())
        imp_dir = os.path.join(work, "importer", "data")
        os.makedirs(imp_dir, exist_ok=True)
        shutil.copy(os.path.join(a_dir, "secrets.toml"), os.path.join(imp_dir, "secrets.toml"))
        os.chmod(os.path.join(imp_dir, "secrets.toml"), 0o600)
        r = run_cli(binary, "import", "cases", os.path.join(out, "cases.csv"), "--data-dir", imp_dir,
                    "--database-url", url, "--batch", "2000")
        expect(r.returncode == 0, "the import completes during intake")
        time.sleep(3)
        for l in loads:
            l.finish()
        say(f"  answers: node A {loads[0].statuses}, node B {loads[1].statuses}")
        time.sleep(15)  # both followers take their next steps
        a.stop()
        b.stop()
        check_clean(binary, a_dir, "node A", "--database-url", url)
        check_clean(binary, b_dir, "node B", "--database-url", url)
    finally:
        subprocess.run(["psql", pg, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("drills", nargs="*", default=["disk-full", "read-only", "crash", "secrets", "import", "two-nodes"])
    p.add_argument("--bin")
    p.add_argument("--pg", default=os.environ.get("XINQIAO_TEST_PG"))
    p.add_argument("--keep", action="store_true", help="keep the work directory")
    args = p.parse_args()
    binary = args.bin or next((b for b in (os.path.join(ROOT, "target/release/xinqiao"),
                                           os.path.join(ROOT, "target/debug/xinqiao")) if os.path.exists(b)), None)
    if not binary:
        sys.exit("build xinqiao first (cargo build --release -p xinqiao) or give --bin")
    work = tempfile.mkdtemp(prefix="xinqiao-drill-")
    say(f"binary {binary}; work directory {work}")
    crash_data = None
    try:
        for d in args.drills:
            if d in ("disk-full", "read-only") and os.geteuid() != 0:
                say(f"{d}: skipped (needs root for tmpfs mounts)")
            elif d == "disk-full":
                drill_disk_full(binary, work)
            elif d == "read-only":
                drill_read_only(binary, work)
            elif d == "crash":
                crash_data = drill_crash(binary, work)
            elif d == "secrets":
                drill_secrets(binary, work, crash_data or drill_crash(binary, work))
            elif d == "import":
                drill_import(binary, work)
            elif d == "two-nodes":
                if args.pg:
                    drill_two_nodes(binary, work, args.pg)
                else:
                    say("two-nodes: skipped (give --pg or set XINQIAO_TEST_PG)")
            else:
                sys.exit(f"unknown drill {d}")
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    say("all drills held" if not FAILURES else f"{len(FAILURES)} check(s) failed")
    sys.exit(1 if FAILURES else 0)


if __name__ == "__main__":
    main()
