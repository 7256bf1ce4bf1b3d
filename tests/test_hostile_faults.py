"""Faults around a corpus run (issue 14, items 8-17), with real processes: two runs into one
folder, a changed input on resume, unusable output folders, a full disk, the driver or a
worker killed, SIGTERM, a document stuck in C code, bad numbers of workers, and Dask."""

from __future__ import annotations

import contextlib
import json
import os
import pickle
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq
import pytest
import spacy
from pandas.testing import assert_frame_equal
from spacy.language import Language

from pipeline import pool
from pipeline.build import build_pipeline
from pipeline.consolidate import PROCESS_NAME
from pipeline.corpus import RunConfig, run_corpus
from pipeline.outputs import read_entities, read_events

from .helpers import CONFIGS, GOLD, copy_configs, read_jsonl

ROOT = Path(__file__).resolve().parent.parent


def write_corpus(path: Path, copies: int) -> Path:
    """The gold news, ``copies`` times under new ids, each text a little different."""
    docs = read_jsonl(GOLD / "news.jsonl")
    with open(path, "w", encoding="utf-8") as handle:
        for copy in range(copies):
            for doc in docs:
                handle.write(json.dumps({"id": f"{doc['id']}-{copy}", "published": doc["published"],
                                         "text": f"{doc['text']}\n\n(Copy {copy}.)"}) + "\n")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About 1,000 documents: a few seconds of work for two workers."""
    return write_corpus(tmp_path_factory.mktemp("corpus") / "corpus.jsonl", 40)


@pytest.fixture(scope="module")
def clean(corpus: Path, model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus run once, undisturbed: what every interrupted run must end up with."""
    out = tmp_path_factory.mktemp("clean") / "out"
    run_corpus([corpus], RunConfig(output=out, model=str(model_dir), workers=1, shard_size=20))
    return out


_STARTED: list[subprocess.Popen] = []


@pytest.fixture(autouse=True)
def _no_process_left():
    """Whatever a test leaves running (a paused driver, orphaned workers) is killed after it."""
    yield
    while _STARTED:
        proc = _STARTED.pop()
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # the run's own process group: the driver and its workers
        proc.wait()


def start(inputs: list[Path], out: Path, model: Path, *args: str, prefix: tuple[str, ...] = (),
          **kwargs) -> subprocess.Popen:
    """`crackdown run` as a user starts it, in a process (group) of its own."""
    env = {**os.environ, "CRACKDOWN_MODEL": str(model)}
    proc = subprocess.Popen([*prefix, sys.executable, "-m", "pipeline.cli", "run", *map(str, inputs), "-o", str(out),
                             "-q", *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, **kwargs)
    _STARTED.append(proc)
    return proc


def crackdown(inputs: list[Path], out: Path, model: Path, *args: str, timeout: float = 300,
              **kwargs) -> subprocess.CompletedProcess:
    proc = start(inputs, out, model, *args, **kwargs)
    stdout, stderr = proc.communicate(timeout=timeout)
    return subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr)


def wait_for(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.05)


def children(pid: int, consolidator: bool = True) -> list[int]:
    """The live processes whose parent is ``pid`` (from /proc); without the run's consolidating
    process (``pipeline.consolidate``) unless ``consolidator``."""
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                comm, rest = (entry / "stat").read_text().rsplit(")", 1)
            except OSError:
                continue
            fields = rest.split()
            if int(fields[1]) == pid and fields[0] != "Z" and (consolidator or not comm.endswith(f"({PROCESS_NAME}")):
                out.append(int(entry.name))
    return out


def alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def finished_shards(out: Path) -> int:
    return len(list((out / "shards").glob("part-*.json")))


def pause_after(proc: subprocess.Popen, out: Path, shards: int) -> None:
    """Stop the driver (SIGSTOP) once ``shards`` shards are done, so that it is mid-run."""
    wait_for(lambda: finished_shards(out) >= shards or proc.poll() is not None, 120, f"{shards} finished shard(s)")
    proc.send_signal(signal.SIGSTOP)
    assert proc.poll() is None, "the run ended before it could be stopped"


def assert_stopped_cleanly(done: subprocess.CompletedProcess | tuple[int, str], code: int, *needles: str) -> None:
    returncode, stderr = (done.returncode, done.stderr) if not isinstance(done, tuple) else done
    assert returncode == code, stderr
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in stderr, stderr


def assert_same_as_clean(out: Path, clean: Path) -> None:
    manifest = json.loads((out / "manifest.json").read_text())
    expected = json.loads((clean / "manifest.json").read_text())
    assert manifest["counts"] == expected["counts"]
    assert not list(out.rglob("*.tmp"))
    assert_frame_equal(read_events(out), read_events(clean))
    assert_frame_equal(read_entities(out), read_entities(clean))


# --- 8: two runs into one folder ---------------------------------------------------------------
@pytest.mark.slow
def test_a_second_run_into_the_same_folder_is_refused(corpus: Path, model_dir: Path, tmp_path: Path,
                                                      clean: Path) -> None:
    out = tmp_path / "out"
    first = start([corpus], out, model_dir, "--workers", "2", "--shard-size", "20")
    pause_after(first, out, 1)  # the first run holds the folder, however fast this machine is
    second = crackdown([corpus], out, model_dir, "--workers", "2", "--shard-size", "20", timeout=60)
    assert_stopped_cleanly(second, 1, "[E077]", f"pid {first.pid}")
    first.send_signal(signal.SIGCONT)
    stdout, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    pq.read_table(out / "events.parquet")  # readable: nobody else wrote into it
    assert_same_as_clean(out, clean)


# --- 9: --resume with other inputs ---------------------------------------------------------------
def test_resume_refuses_a_changed_input(model_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Police in Yunnan seized 12 kg of heroin."}) + "\n")
    assert crackdown([src], tmp_path / "out", model_dir, "--workers", "1").returncode == 0
    src.write_text(json.dumps({"id": "a", "text": "Police in Yunnan seized 99 kg of heroin."}) + "\n")
    done = crackdown([src], tmp_path / "out", model_dir, "--workers", "1", "--resume")
    assert_stopped_cleanly(done, 1, "[E078]", f"{src} changed")
    assert crackdown([src], tmp_path / "out", model_dir, "--workers", "1").returncode == 0  # without --resume
    assert read_events(tmp_path / "out")["value"].tolist() == [99.0]


def test_resume_refuses_other_read_options(model_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Police in Yunnan seized 12 kg of heroin."}) + "\n")
    config = RunConfig(output=tmp_path / "out", model=str(model_dir), workers=1)
    run_corpus([src], config)
    from pipeline.errors import InputError
    from pipeline.reader import ReadOptions

    with pytest.raises(InputError, match=r"\[E078\].*max_chars"):
        run_corpus([src], RunConfig(output=tmp_path / "out", model=str(model_dir), workers=1, resume=True,
                                    read=ReadOptions(max_chars=100)))


# --- 10: output folders that cannot be written ------------------------------------------------
def test_output_that_is_a_file(model_dir: Path, tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Police seized 5 kg."}) + "\n")
    (tmp_path / "file").write_text("mine")
    done = crackdown([src], tmp_path / "file", model_dir)
    assert_stopped_cleanly(done, 1, "[E075]")
    assert one_error_and_a_hint(done.stderr) and (tmp_path / "file").read_text() == "mine"


def one_error_and_a_hint(stderr: str) -> bool:
    """A usage error is one line of error and one of hint (issue 15), nothing more."""
    lines = stderr.strip().splitlines()
    return len(lines) == 2 and lines[0].startswith("error: ") and lines[1].startswith("hint: ")


@pytest.fixture
def tmpfs(tmp_path: Path):
    """Mount a small tmpfs (root only); yields a function mount(options) -> its path."""
    mounted: list[Path] = []

    def mount(options: str) -> Path:
        point = tmp_path / f"mnt{len(mounted)}"
        point.mkdir()
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)], capture_output=True)
        if done.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
        mounted.append(point)
        return point

    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    yield mount
    for point in mounted:
        subprocess.run(["umount", "-l", str(point)], capture_output=True)


def test_output_on_a_read_only_filesystem(model_dir: Path, tmp_path: Path, tmpfs) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Police seized 5 kg."}) + "\n")
    readonly = tmpfs("size=1m,ro")
    done = crackdown([src], readonly / "out", model_dir)
    assert_stopped_cleanly(done, 1, "[E076]", "Read-only file system")
    assert one_error_and_a_hint(done.stderr)


def test_output_folder_without_write_permission(model_dir: Path, tmp_path: Path) -> None:
    """A folder the user may not write in (root may write anywhere: its run drops that capability)."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Police seized 5 kg."}) + "\n")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o555)
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root ignores permissions, and there is no setpriv to drop CAP_DAC_OVERRIDE")
        prefix = ("setpriv", "--bounding-set", "-dac_override,-dac_read_search")
    done = crackdown([src], locked / "out", model_dir, prefix=prefix)
    assert_stopped_cleanly(done, 1, "[E076]", "Permission denied")
    assert one_error_and_a_hint(done.stderr)


# --- 11: a full disk ------------------------------------------------------------------------
@pytest.mark.slow
def test_a_full_disk_stops_cleanly_and_resume_finishes(corpus: Path, model_dir: Path, tmp_path: Path, tmpfs,
                                                      clean: Path) -> None:
    disk = tmpfs("size=600k")
    out = disk / "out"
    done = crackdown([corpus], out, model_dir, "--workers", "2", "--shard-size", "20")
    assert_stopped_cleanly(done, 1, "[E072]", "disk is full", "--resume")
    assert len(done.stderr.strip().splitlines()) == 1  # one line: it says what happened and how to go on
    assert not list(out.rglob("*.tmp")) and not (out / "shards" / "seen.sqlite").exists()
    subprocess.run(["mount", "-o", "remount,size=64m", str(disk)], check=True)
    done = crackdown([corpus], out, model_dir, "--workers", "2", "--shard-size", "20", "--resume")
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "manifest.json").read_text())["shards_resumed"] > 0
    assert_same_as_clean(out, clean)


# --- 12: the driver killed, or told to stop -------------------------------------------------------
@pytest.mark.slow
@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGTERM])
def test_workers_die_with_the_driver_and_resume_finishes(corpus: Path, model_dir: Path, tmp_path: Path,
                                                         clean: Path, how: signal.Signals) -> None:
    out = tmp_path / "out"
    proc = start([corpus], out, model_dir, "--workers", "2", "--shard-size", "20")
    pause_after(proc, out, 2)
    workers = children(proc.pid)  # the consolidating process too: it dies with the driver as well
    assert len(workers) >= 3 and len(children(proc.pid, consolidator=False)) >= 2
    proc.send_signal(how)
    proc.send_signal(signal.SIGCONT)
    _, stderr = proc.communicate(timeout=60)
    if how == signal.SIGTERM:
        assert_stopped_cleanly((proc.returncode, stderr), 128 + signal.SIGTERM, "Stopped by SIGTERM", "--resume")
        assert not list(out.rglob("*.tmp")) and not (out / "shards" / "seen.sqlite").exists()
    wait_for(lambda: not any(alive(pid) for pid in workers), 5, f"workers {workers} to die with their parent")
    done = crackdown([corpus], out, model_dir, "--workers", "2", "--shard-size", "20", "--resume")
    assert done.returncode == 0, done.stderr
    assert json.loads((out / "manifest.json").read_text())["shards_resumed"] >= 2
    assert_same_as_clean(out, clean)


# --- 13: a worker killed ---------------------------------------------------------------------
@pytest.mark.slow
def test_a_killed_worker_names_its_shard_and_resume_finishes(corpus: Path, model_dir: Path, tmp_path: Path,
                                                             clean: Path) -> None:
    out = tmp_path / "out"
    proc = start([corpus], out, model_dir, "--workers", "2", "--shard-size", "20")
    pause_after(proc, out, 1)
    workers = children(proc.pid, consolidator=False)
    os.kill(workers[0], signal.SIGKILL)
    proc.send_signal(signal.SIGCONT)
    _, stderr = proc.communicate(timeout=60)
    assert_stopped_cleanly((proc.returncode, stderr), 1, "[E081]", f"pid {workers[0]}", "SIGKILL",
                           "--resume")
    assert "shard " in stderr and "corpus.jsonl line " in stderr
    assert not list(out.rglob("*.tmp"))
    wait_for(lambda: not any(alive(pid) for pid in workers), 5, "the other worker to stop")
    done = crackdown([corpus], out, model_dir, "--workers", "2", "--shard-size", "20", "--resume")
    assert done.returncode == 0, done.stderr
    assert_same_as_clean(out, clean)


# --- 7 (the driver's layer): a document stuck where no signal reaches ---------------------------
@Language.component("crackdown_test_stuck")
def _stuck(doc):
    """Code that holds on without ever running a signal handler, as C code can."""
    if "STUCK" in doc.text:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGPROF, signal.SIGALRM})
        time.sleep(600)
    return doc


@pytest.mark.slow
def test_a_worker_stuck_in_a_document_is_replaced_and_the_document_failed(model_dir: Path, tmp_path: Path) -> None:
    nlp = spacy.load(model_dir)
    nlp.add_pipe("crackdown_test_stuck", after="segmenter")
    stuck_model = tmp_path / "stuck-model"
    nlp.to_disk(stuck_model)
    lines = [json.dumps({"id": f"d{i}", "text": f"Police in Yunnan seized {i + 1} kg of heroin."}) for i in range(12)]
    lines[5] = json.dumps({"id": "stuck", "text": "Police seized 5 kg of heroin. STUCK"})
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    config = RunConfig(output=out, model=str(stuck_model), workers=2, shard_size=4, doc_timeout=0.5)
    started = time.monotonic()
    manifest = run_corpus([src], config)
    assert time.monotonic() - started < 60  # killed after 3 budgets and 10 s, not after 600 s
    assert (manifest["counts"]["docs_processed"], manifest["counts"]["docs_failed"]) == (11, 1)
    [failure] = [json.loads(x) for x in (out / "failures.jsonl").read_text().splitlines()]
    assert failure["error"].startswith("[E071]") and failure["line"] == 6 and failure["record"]["doc_id"] == "stuck"
    assert sorted(read_events(out)["doc_id"].unique()) == sorted(f"d{i}" for i in range(12) if i != 5)


# --- 14: worker and shard numbers -------------------------------------------------------------
@pytest.mark.parametrize("args, option", [(["--workers", "-3"], "--workers"), (["--shard-size", "0"], "--shard-size"),
                                          (["--workers", "100000"], "--workers"),
                                          (["--doc-timeout", "-1"], "--doc-timeout")])
def test_numbers_out_of_range_are_usage_errors(model_dir: Path, tmp_path: Path, args: list[str],
                                               option: str) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Police seized 5 kg."}) + "\n")
    done = crackdown([src], tmp_path / "out", model_dir, *args)
    assert_stopped_cleanly(done, 1, option, "greater than or equal" if "-" in args[1] or args[1] == "0"
                           else "less than or equal")
    assert not (tmp_path / "out").exists()


# --- 15-17: Dask ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory):
    """A LocalCluster whose workers run in a folder of their own (not the tests')."""
    distributed = pytest.importorskip("dask.distributed")
    home = tmp_path_factory.mktemp("dask-workers")
    here = os.getcwd()
    os.chdir(home)
    try:
        local = distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None)
    finally:
        os.chdir(here)
    yield local
    local.close()


def _with_operation(root: Path) -> Path:
    """A copy of configs/ with one more operation, matched anywhere: 'zyxwv'; its English folder."""
    rules = copy_configs(root)
    with open(root / "shared" / "operations.yml", "a", encoding="utf-8") as handle:
        handle.write("  - Zyxwv Sweep\n")
    with open(rules / "operations.yml", "a", encoding="utf-8") as handle:
        handle.write("  - name: Zyxwv Sweep\n    aliases: [zyxwv]\n    match: anywhere\n")
    return rules


@pytest.mark.slow
def test_a_rebuilt_model_is_used_by_a_long_lived_cluster(cluster, tmp_path: Path) -> None:
    model = tmp_path / "model"
    build_pipeline(CONFIGS / "config.cfg", CONFIGS, model)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "In the zyxwv drive police seized 5 kg of heroin."}) + "\n")

    def run(name: str) -> dict:
        config = RunConfig(output=tmp_path / name, model=str(model), engine="dask", workers=1,
                           scheduler=cluster.scheduler_address)
        return run_corpus([src], config)

    before = run("before")
    assert read_events(tmp_path / "before")["operation"].isna().all()
    rules = _with_operation(tmp_path / "rules")
    build_pipeline(rules / "config.cfg", rules, model)
    after = run("after")
    assert after["pipeline"]["rules_hash"] != before["pipeline"]["rules_hash"]
    assert read_events(tmp_path / "after")["operation"].tolist() == ["Zyxwv Sweep"]


def test_a_rebuilt_model_is_used_by_the_next_run_in_the_same_process(model_dir: Path, tmp_path: Path) -> None:
    model = tmp_path / "model"
    shutil.copytree(model_dir, model)
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "In the zyxwv drive police seized 5 kg of heroin."}) + "\n")
    run_corpus([src], RunConfig(output=tmp_path / "before", model=str(model), workers=1))
    rules = _with_operation(tmp_path / "rules")
    build_pipeline(rules / "config.cfg", rules, model)
    run_corpus([src], RunConfig(output=tmp_path / "after", model=str(model), workers=1))
    assert read_events(tmp_path / "after")["operation"].tolist() == ["Zyxwv Sweep"]


@pytest.mark.slow
def test_a_relative_output_works_when_dask_workers_run_elsewhere(cluster, model_dir: Path, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Police in Yunnan seized 5 kg of heroin."}) + "\n")
    monkeypatch.chdir(tmp_path)
    manifest = run_corpus([src], RunConfig(output=Path("out"), model=str(model_dir), engine="dask", workers=1,
                                           scheduler=cluster.scheduler_address))
    assert manifest["counts"]["docs_processed"] == 1
    assert read_events(tmp_path / "out")["value"].tolist() == [5.0]


def test_an_unreachable_scheduler_is_a_clear_error(model_dir: Path, tmp_path: Path) -> None:
    pytest.importorskip("dask.distributed")
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Police seized 5 kg."}) + "\n")
    started = time.monotonic()
    done = crackdown([src], tmp_path / "out", model_dir, "--engine", "dask", "--scheduler",
                     f"tcp://127.0.0.1:{port}", "--connect-timeout", "2")
    assert time.monotonic() - started < 30
    assert_stopped_cleanly(done, 1, "[E080]", f"tcp://127.0.0.1:{port}", "--connect-timeout")


# --- 13 (the pool's layer): a worker killed while it reads its shard ----------------------------
@dataclass
class _BigJob:
    index: int
    records: list[str]
    slot: int | None = None
    failed: dict[int, str] = field(default_factory=dict)


def _count_records(job: _BigJob) -> dict[str, int]:
    return {"index": job.index, "records": len(job.records)}


def test_shards_reach_workers_by_name_so_no_worker_reads_a_task_for_long(monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker holds pebble's pipe lock while it reads a task: a shard of megabytes, read while
    the driver is slow or stopped, would leave it holding the lock if killed then (the other
    workers wait for it). Each task sent is a spool file's name, one atomic pipe write."""
    sent: list[int] = []

    class Recording(pool.ProcessPool):
        def schedule(self, function, args=(), **kwargs):  # type: ignore[no-untyped-def]
            sent.append(len(pickle.dumps((function, args))))
            return super().schedule(function, args=args, **kwargs)

    monkeypatch.setattr(pool, "ProcessPool", Recording)
    jobs = [_BigJob(i, ["x" * 1_000] * (500 + i)) for i in range(6)]  # about 0.5 MB each
    got: list[dict[str, int]] = []
    spools_before = set(Path(tempfile.gettempdir()).glob(f"{pool.SPOOL_PREFIX}*"))
    pool.ShardPool(2, 3, _count_records, lambda job, doc: "").run(iter(jobs), got.append)
    assert sorted((r["index"], r["records"]) for r in got) == [(i, 500 + i) for i in range(6)]
    assert len(sent) == 6 and max(sent) < select.PIPE_BUF
    assert set(Path(tempfile.gettempdir()).glob(f"{pool.SPOOL_PREFIX}*")) == spools_before
