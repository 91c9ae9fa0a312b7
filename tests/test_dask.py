"""Shards on a Dask cluster: the datasets equal those of a local run."""

import pytest
from test_flow import _tables

from corpusprep.store import DATASETS
from flows.cli import main

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


def test_dask_run_equals_local_run(prefect_server, cluster, raw_corpus, tmp_path):
    import shutil

    from flows.prepare import prepare_corpus

    shutil.copy(raw_corpus / "page.html", raw_corpus / "copy.html")  # a duplicate cluster
    local = prepare_corpus(str(raw_corpus), str(tmp_path / "local"), workers=2)
    on_dask = prepare_corpus(
        str(raw_corpus), str(tmp_path / "dask"), dask_address=cluster.scheduler_address
    )
    assert on_dask["workers"] == 2
    assert on_dask["duplicates"]["clusters"] == local["duplicates"]["clusters"] == 1
    assert on_dask["files"] == local["files"] and on_dask["sentences"] == local["sentences"]
    one, two = _tables(tmp_path / "local"), _tables(tmp_path / "dask")
    for name in DATASETS:
        assert one[name].equals(two[name]), name

    # Through the CLI, a rerun on the cluster leaves the same datasets.
    args = ["run", str(raw_corpus), "--out", str(tmp_path / "dask")]
    assert main([*args, "--dask-address", cluster.scheduler_address]) == 0
    again = _tables(tmp_path / "dask")
    for name in DATASETS:
        assert again[name].equals(one[name]), name


def test_unreachable_scheduler_is_one_line_error():
    from flows import dask_runner

    with pytest.raises(dask_runner.DaskError) as err:
        dask_runner.connect("tcp://127.0.0.1:9", timeout=1)
    assert "cannot reach the Dask scheduler" in str(err.value) and "\n" not in str(err.value)


def test_dask_address_without_scheme_is_one_line_error(raw_corpus, tmp_path, capsys):
    args = ["run", str(raw_corpus), "--out", str(tmp_path / "o"), "--dask-address", "host:8786"]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "tcp://HOST:8786" in err


def test_time_limit_holds_on_dask_workers(prefect_server, cluster, raw_corpus, tmp_path):
    """Dask runs tasks in threads, where SIGALRM cannot reach: the limit still applies."""
    import pyarrow.dataset as ds

    from flows.prepare import prepare_corpus

    out = tmp_path / "dask"
    prepare_corpus(
        str(raw_corpus),
        str(out),
        config={"doc_timeout_s": 0.001},
        dask_address=cluster.scheduler_address,
    )
    files = {f["source_path"]: f for f in ds.dataset(out / "files").to_table().to_pylist()}
    assert files["page.html"]["status"] == "failed"
    assert "longer than 0.001 s" in files["page.html"]["error"]
