"""Bulk writing helpers: the pause of the cycle collector during an import."""

from __future__ import annotations

import gc

from app.services.engagement.bulk import no_cycle_collection


def test_cycle_collection_paused_in_nested_blocks_and_back_as_it_was():
    was = gc.isenabled()
    try:
        gc.enable()
        with no_cycle_collection():
            with no_cycle_collection():  # a preview's trial run inside the plan
                assert not gc.isenabled()
            assert not gc.isenabled()
        assert gc.isenabled()
        gc.disable()  # someone else paused it: it stays paused
        with no_cycle_collection():
            pass
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()
        else:
            gc.disable()


def test_cycle_collection_comes_back_after_an_error():
    gc.enable()
    try:
        with no_cycle_collection():
            raise ValueError("refused")
    except ValueError:
        pass
    assert gc.isenabled()
