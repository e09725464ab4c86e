"""The local runner's choice of where the gateway keeps its limits' counts: never in
each process's memory when it runs more than one (pustaka/local.py)."""

from pustaka.local import limits_storage

CONFIG = {"GATEWAY_LIMITS_STORAGE": "memory://", "LOCAL_REDIS_URL": "redis://127.0.0.1:6379/0"}


def test_one_gateway_process_counts_in_its_memory():
    assert limits_storage(CONFIG, 1) == "memory://"


def test_more_than_one_share_the_local_redis():
    assert limits_storage(CONFIG, 2) == "redis://127.0.0.1:6379/0"


def test_a_shared_store_configured_is_kept():
    shared = {**CONFIG, "GATEWAY_LIMITS_STORAGE": "redis://limits.internal:6379/2"}
    assert (
        limits_storage(shared, 4) == limits_storage(shared, 1) == shared["GATEWAY_LIMITS_STORAGE"]
    )
