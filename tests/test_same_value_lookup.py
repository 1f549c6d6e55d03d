"""The same-value lookup of record_article (store.recording.live_match, schema 10): a value meets a
known figure rounded more coarsely or more finely than itself, both ways, and on random stores the
lookup returns what reading every figure with store.sameness.same_value returns."""

from __future__ import annotations

import random

import pytest
from test_store_support import article, figure

from store import Store
from store.recording import live_match
from store.sameness import ValueKey, same_value

BASE = "https://www.liputan6.com/bisnis/read/{}/titik-internet"


def record(store, serial, text, surface, value, *, day):
    url = BASE.format(5_100_000 + serial)
    result = store.record_article(article(url, text, published_at=f"2025-{day[:2]}-{day[3:]}T10:00:00+07:00"),
                                  [figure(text, surface, value, metric="internet_access_points", unit="titik")],
                                  fetched_at=f"2025-{day[:2]}-{day[3:]}T04:00:00Z")
    row = store.db.execute("select id, first_figure_id from figures where article_id = ? and withdrawn_at is null",
                           [result.article_id]).fetchone()
    return row, result


def stored_then_new(store, first, then):
    """``first`` (surface, value) in January, another value (the series' latest) in February, then
    ``then`` in March: the March figure's match can only come from the lookup, not from the
    previous latest value."""
    (first_id, _), _ = record(store, 1, f"Pemerintah membangun {first[0]} gratis.", first[0], first[1], day="01-10")
    record(store, 2, "Kini tercatat 9.900 titik internet gratis.", "9.900 titik", 9_900, day="02-10")
    (_, new_first), result = record(store, 3, f"Sebanyak {then[0]} gratis sudah aktif.", then[0], then[1],
                                    day="03-10")
    return first_id, new_first, result


@pytest.fixture()
def store(tmp_path):
    with Store.open(tmp_path / "pantau.db") as s:
        yield s


def test_coarse_stored_figure_matches_a_precise_new_one(store):
    # "2,3 ribu" stands for 2 250 … 2 350: 2.341 is the same value
    first_id, new_first, _ = stored_then_new(store, ("2,3 ribu titik", 2_300), ("2.341 titik", 2_341))
    assert new_first == first_id


def test_precise_stored_figure_matches_a_coarse_new_one(store):
    first_id, new_first, _ = stored_then_new(store, ("2.341 titik", 2_341), ("2,3 ribu titik", 2_300))
    assert new_first == first_id


def test_a_coarse_figure_far_outside_the_new_values_own_window(store):
    # "7 ribu" stands for 6 500 … 7 500; 6.612 is precise to one and still the same value
    first_id, new_first, result = stored_then_new(store, ("7 ribu titik", 7_000), ("6.612 titik", 6_612))
    assert new_first == first_id
    assert [f.kind for f in result.findings] == ["new_value"]  # not the series' latest (9.900)


@pytest.mark.parametrize(("first", "then"), [
    (("7 ribu titik", 7_000), ("7.512 titik", 7_512)),        # beyond the coarse rounding
    (("2,3 ribu titik", 2_300), ("2.351 titik", 2_351)),
    (("2.341 titik", 2_341), ("2,4 ribu titik", 2_400)),
])
def test_values_beyond_the_coarser_rounding_are_not_the_same(store, first, then):
    first_id, new_first, _ = stored_then_new(store, first, then)
    assert new_first != first_id


# -- the lookup against a full read, on random stores --------------------------------------

# Rounding levels of the random figures: precise, and rounded to tens … tens of thousands.
LEVELS = [0.0, 0.5, 5.0, 50.0, 500.0, 5_000.0]


def _random_store(store, rng, figures):
    with store.transaction() as conn:
        for a in range(1, 41):
            conn.execute("insert into articles (id, url, site, first_seen_at, last_fetched_at, content_hash, version)"
                         " values (?, ?, 'detik', '2025-01-01', '2025-01-01', 'h', 1)", [a, BASE.format(a)])
        for fid in range(1, figures + 1):
            level = rng.choice(LEVELS)
            value = 10_000 + rng.randrange(-40, 41) * rng.choice((0.5, 5.0, 50.0, 500.0))
            conn.execute(
                "insert into figures (id, article_id, version, value, value_max, unit, metric, is_target, year,"
                " first_seen_at, tolerance, scope, withdrawn_at, first_figure_id)"
                " values (?, ?, 1, ?, ?, 'titik', ?, 0, ?, '2025-01-01', ?, ?, ?, ?)",
                [fid, rng.randint(1, 40), value, rng.choice((None, None, value + level)),
                 rng.choice(("internet_access_points", "bts_towers")), rng.choice((None, None, 2024, 2025)),
                 None if rng.random() < 0.03 else level, rng.choice((None, None, "Jawa Barat")),
                 "2025-02-01" if rng.random() < 0.1 else None, fid])


def _all_figures(store):
    cursor = store.db.conn.execute("select * from figures")
    return [dict(zip([d[0] for d in cursor.description], row, strict=True)) for row in cursor.fetchall()]


def _full_read(rows, key, scope, article_id):
    """Of every figure, the live ones same_value calls the same (a figure without a tolerance
    never is: the lookup's SQL has always read null there), first in the lookup's order."""
    matches = [r for r in rows if r["withdrawn_at"] is None and r["article_id"] != article_id
               and r["metric"] == key.metric and r["unit"] == key.unit and bool(r["is_target"]) == key.is_target
               and r["scope"] == scope and r["tolerance"] is not None
               and same_value(key, ValueKey(r["metric"], r["unit"], bool(r["is_target"]), r["year"], r["value"],
                                            r["value_max"], r["tolerance"]))]

    def order(r):
        return (r["value"], r["tolerance"], r["year"] is not None, r["year"] or 0,
                r["value_max"] is not None, r["value_max"] or 0.0, r["article_id"], r["id"])
    return min(matches, key=order)["id"] if matches else None


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_lookup_returns_what_a_full_read_returns(store, seed):
    rng = random.Random(seed)
    _random_store(store, rng, 600)
    rows = _all_figures(store)
    checked = found = 0
    for _ in range(400):
        level = rng.choice(LEVELS)
        value = 10_000 + rng.randrange(-40, 41) * rng.choice((0.5, 5.0, 50.0, 500.0))
        key = ValueKey(rng.choice(("internet_access_points", "bts_towers")), "titik", False,
                       rng.choice((None, 2024, 2025)), value, rng.choice((None, value + level)), level)
        scope = rng.choice((None, "Jawa Barat"))
        article_id = rng.randint(1, 40)
        match = live_match(store.db.conn, key, scope, article_id)
        expected = _full_read(rows, key, scope, article_id)
        assert (match["id"] if match else None) == expected, (key, scope, article_id)
        checked += 1
        found += expected is not None
    assert found > checked // 4  # the random stores give the lookup matches to find, and misses
