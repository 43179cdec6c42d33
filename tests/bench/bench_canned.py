"""How fast canned responses rank, and how fast the panel repaints, as a rep types.

    .venv/bin/python -m tests.bench.bench_canned [--responses 10000] [--quick] [--clock cpu]

Builds a seeded library of realistic responses (the starter library plus Faker-made ones with
varied titles, tags, categories and bodies of a few hundred characters, some used lately by the
rep), then times each kind of query a rep types: the ranking alone (``ResponseRanker.rank``) and
the painted list in the real ``CannedPane`` (from the keystroke until the list has repainted).
Prints one Markdown table per measure: query kind | p50 ms | p95 ms | matches.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources

from faker import Faker

from deskapp.domain.enums import CannedScope
from deskapp.services.canned import CannedInfo, ResponseRanker, UsageStat

SEED = 20250503
NOW = datetime(2025, 5, 3, 12, 0, tzinfo=UTC)
_WORD = re.compile(r"[a-z0-9]+")

# What customer-service libraries are about: a topic, then what about it, then a channel or case.
TOPICS = {
    "refunds": ["Refund", "Partial refund", "Refund declined", "Chargeback", "Store credit"],
    "billing": ["Invoice", "Double charge", "Payment failed", "Billing address", "VAT receipt"],
    "shipping": ["Shipping delay", "Parcel lost", "Tracking number", "Customs hold", "Courier"],
    "returns": ["Return label", "Exchange", "Damaged item", "Wrong item", "Return window"],
    "account": ["Password reset", "Two-factor code", "Account locked", "Email change",
                "Close account"],
    "subscription": ["Renewal", "Cancellation", "Upgrade", "Downgrade", "Trial ending"],
    "technical": ["App crash", "Login error", "Sync issue", "Firmware update", "Outage"],
    "orders": ["Order status", "Order cancelled", "Backorder", "Pre-order", "Address change"],
    "warranty": ["Warranty claim", "Repair booking", "Replacement", "Proof of purchase",
                 "Extended warranty"],
    "greeting": ["Greeting", "Welcome back", "First reply", "Holding message", "Thank you"],
    "closing": ["Closing", "Follow-up", "Survey request", "Case resolved", "Anything else"],
    "escalation": ["Escalation", "Supervisor callback", "Complaint", "Goodwill gesture",
                   "Apology"],
}  # fmt: skip
ASPECTS = ["email", "chat", "phone", "social", "VIP", "first contact", "second contact",
           "international", "EU", "US", "business customer", "under 30 days", "over 30 days",
           "card", "PayPal", "bank transfer", "mobile app", "web shop", "weekend", "holiday",
           "apology", "next steps", "policy", "exception", "reminder", "final notice"]  # fmt: skip
TAGS = ["email", "chat", "phone", "social", "opening", "closing", "empathy", "apology",
        "policy", "legal", "vip", "b2b", "eu", "us", "uk", "card", "paypal", "bank", "app",
        "web", "urgent", "follow-up", "template-v2", "seasonal", "black-friday", "sla",
        "escalation", "goodwill", "refunds", "shipping", "returns", "account access", "billing",
        "security", "privacy", "gdpr", "warranty", "repair", "subscription", "outage"]  # fmt: skip
# Sentences a body is made of, next to Faker's filler, with the words a rep searches bodies for.
BODY_LINES = [
    "I've checked with our warehouse and your parcel left us on {date}.",
    "The courier confirms a delay in your region; they expect delivery within five days.",
    "I've issued the refund to your original payment method; banks take three to five days.",
    "Could you send a photo of the damage and of the packaging, so I can arrange a replacement?",
    "For your security I've sent a reset link to the address on file; it expires in an hour.",
    "Your invoice is attached as a PDF; the VAT number is printed at the top right.",
    "I'm sorry for the trouble this has caused, {{customer.first_name}}.",
    "I've escalated your case {{case.key}} to our specialist team, who will call you back.",
    "Your subscription renews on the first of the month unless you cancel before then.",
    "Our engineers are aware of the outage and are working on a fix right now.",
    "Please reply to this message with your order number and postcode.",
    "As a goodwill gesture I've added a voucher to your account.",
]


@dataclass(frozen=True)
class Row:
    kind: str
    p50_ms: float
    p95_ms: float
    fewest: int  # matches: the fewest and the most of the kind's queries
    most: int


# ---------------------------------------------------------------------------------- the library
def build_library(count: int, seed: int = SEED) -> list[CannedInfo]:
    """The starter library plus Faker-made responses up to ``count``, the same for one seed."""
    faker = Faker("en_US")
    faker.seed_instance(seed)
    rng = random.Random(seed)
    team, owner = uuid.UUID(int=rng.getrandbits(128)), uuid.UUID(int=rng.getrandbits(128))
    library = [_starter(item, rng) for item in _starter_items()][:count]
    shortcuts = {r.shortcut for r in library if r.shortcut}
    categories = list(TOPICS)
    while len(library) < count:
        category = rng.choice(categories)
        title = f"{rng.choice(TOPICS[category])} — {rng.choice(ASPECTS)}"
        if rng.random() < 0.4:  # a product, plan or place name: titles as varied as real ones
            name = rng.choice([faker.last_name, faker.city, faker.color_name, faker.word])()
            title += f" ({name.title()} {rng.choice(['Pro', 'Plus', 'Mini', 'X', '2'])})"
        tags = rng.sample(TAGS, rng.randint(1, 4))
        if rng.random() < 0.2:  # a team's own tag
            tags.append(faker.word())
        shortcut = None
        if rng.random() < 0.6:  # most, not all, have a shortcut; each is unique
            stem = "".join(w[:3] for w in _WORD.findall(title.lower())[:2])
            shortcut = stem
            while shortcut in shortcuts:
                shortcut = f"{stem}{rng.randint(2, 999)}"
            shortcuts.add(shortcut)
        lines = [rng.choice(BODY_LINES).replace("{date}", faker.day_of_week())
                 for _ in range(rng.randint(1, 3))]  # fmt: skip
        filler = faker.paragraph(nb_sentences=rng.randint(2, 5))
        body = " ".join(["Hi {{customer.first_name}},", *lines, filler, "{{cursor}}"])
        scope = rng.choices(list(CannedScope), weights=[1, 4, 5])[0]
        library.append(
            CannedInfo(
                uuid.UUID(int=rng.getrandbits(128)), scope, title, shortcut, category,
                tuple(tags), body, owner if scope == CannedScope.PERSONAL else None,
                team if scope == CannedScope.TEAM else None, rng.randint(1, 5),
            )
        )  # fmt: skip
    return library


def _starter_items() -> list[dict[str, object]]:
    text = resources.files("deskapp.resources").joinpath("starter/canned_responses.json")
    return list(json.loads(text.read_text(encoding="utf-8"))["responses"])


def _starter(item: dict[str, object], rng: random.Random) -> CannedInfo:
    tags = item.get("tags") or []
    assert isinstance(tags, list)
    shortcut = str(item["shortcut"]) if item.get("shortcut") else None
    return CannedInfo(uuid.UUID(int=rng.getrandbits(128)), CannedScope.GLOBAL,
                      str(item["title"]), shortcut, str(item["category"]),
                      tuple(str(t) for t in tags), str(item["body"]))  # fmt: skip


def build_usage(library: Sequence[CannedInfo], seed: int = SEED) -> dict[uuid.UUID, UsageStat]:
    """A rep's own use: a few hundred responses, from today back a couple of months."""
    rng = random.Random(seed + 1)
    used = rng.sample(list(library), min(len(library), 300))
    return {r.id: UsageStat(rng.randint(1, 60), NOW - timedelta(hours=rng.uniform(0, 1500)))
            for r in used}  # fmt: skip


# ---------------------------------------------------------------------------------- the queries
def queries(library: Sequence[CannedInfo], seed: int = SEED) -> dict[str, list[str]]:
    """What a rep types, by kind. Shortcuts are drawn from the library itself."""
    shortcuts = sorted(r.shortcut for r in library if r.shortcut)
    picked = random.Random(seed + 2).sample(shortcuts, min(6, len(shortcuts)))
    return {
        "1 letter (first keystroke)": ["r", "s", "p", "c"],
        "2-letter prefix": ["re", "sh", "pa", "in", "ca", "or"],
        "1 word": ["refund", "invoice", "password", "courier", "warranty", "outage"],
        "2–3 words": ["refund card", "parcel lost international", "password reset app",
                      "invoice vat", "order cancelled paypal", "supervisor callback"],
        "typo": ["refnud", "invocie", "pasword", "cancelation", "warrenty", "shpiping"],
        "shortcut": [f"/{s}" for s in picked],
        "body word": ["warehouse", "voucher", "engineers", "postcode", "photo", "packaging"],
        "no match": ["zqxv", "xylophonist", "qwertyuiop", "blorft zib"],
    }  # fmt: skip


# ---------------------------------------------------------------------------------- measuring
def bench_ranking(
    library: Sequence[CannedInfo],
    usage: dict[uuid.UUID, UsageStat],
    rounds: int,
    clock: Callable[[], float] = time.perf_counter,
) -> list[Row]:
    """``ResponseRanker.rank`` alone, the whole ranked list (no limit), one query per sample."""
    ranker = ResponseRanker(library)
    by_kind = queries(library)
    for kind_queries in by_kind.values():  # warm up: first calls allocate
        for query in kind_queries:
            ranker.rank(query, usage, now=NOW)
    rows = []
    for kind, kind_queries in by_kind.items():
        samples: list[float] = []
        matches: list[int] = []
        for _ in range(rounds):
            for query in kind_queries:
                start = clock()
                found = ranker.rank(query, usage, now=NOW)
                samples.append(clock() - start)
                matches.append(len(found))
        rows.append(_row(kind, samples, matches))
    return rows


@dataclass(frozen=True)
class PanelSetup:
    set_responses_ms: float  # set_responses with the whole library (ranker built, list shown)
    debounce_ms: int | None  # a single-shot timer the keystroke started (excluded), or None


def bench_panel(
    library: Sequence[CannedInfo],
    rounds: int,
    pane: object | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> tuple[list[Row], PanelSetup]:
    """The real ``CannedPane``: from a keystroke (the search text goes from the query less its
    last letter to the query) until the result list has repainted. A debounce timer the
    keystroke starts is fired at once, so its delay is reported, not measured."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from deskapp.gui.panes.canned_pane import CannedPane

    app = QApplication.instance() or QApplication([])
    owned = pane is None
    panel = CannedPane() if pane is None else pane
    assert isinstance(panel, CannedPane)
    panel.resize(480, 760)
    panel.show()
    app.processEvents()
    start = time.perf_counter()
    panel.set_responses(list(library))
    app.processEvents()
    setup_ms = (time.perf_counter() - start) * 1000
    debounce: list[int] = []

    def settle() -> None:
        """Run what the keystroke queued, a debounce timer at once, until the list is painted."""
        waiting = [t for t in panel.findChildren(QTimer) if t.isActive() and t.isSingleShot()]
        while waiting:
            for timer in waiting:
                debounce.append(timer.interval())
                timer.start(0)
            app.processEvents()
            waiting = [t for t in waiting if t.isActive()]
        app.processEvents()
        panel.results.viewport().repaint()

    def type_(text: str) -> None:
        panel.search.setText(text)
        settle()

    by_kind = queries(library)
    rows = []
    for kind, kind_queries in by_kind.items():
        samples: list[float] = []
        matches: list[int] = []
        for _ in range(rounds):
            for query in kind_queries:
                type_(query[:-1])  # the text before the keystroke (not measured)
                start = clock()
                type_(query)
                samples.append(clock() - start)
                matches.append(panel.results.model().rowCount())
        rows.append(_row(kind, samples, matches))
    if owned:
        panel.close()
        panel.deleteLater()
        app.processEvents()
    return rows, PanelSetup(setup_ms, max(debounce) if debounce else None)


def _quiet_offscreen_notice() -> None:
    """The offscreen platform says it "does not support propagateSizeHints()" on every layout
    change; a hundred such lines would bury the tables. Every other message still shows."""
    from PySide6.QtCore import qInstallMessageHandler

    def handler(_mode: object, _context: object, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handler)


def _row(kind: str, samples: list[float], matches: list[int]) -> Row:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Row(kind, statistics.median(ordered) * 1000, p95 * 1000, min(matches), max(matches))


# ---------------------------------------------------------------------------------- reporting
def table(rows: Sequence[Row]) -> str:
    lines = ["| query kind | p50 ms | p95 ms | matches |", "| --- | ---: | ---: | ---: |"]
    for row in rows:
        matches = (f"{row.fewest:,}" if row.fewest == row.most
                   else f"{row.fewest:,}–{row.most:,}")  # fmt: skip
        lines.append(f"| {row.kind} | {row.p50_ms:.2f} | {row.p95_ms:.2f} | {matches} |")
    return "\n".join(lines)


def _timed(build: Callable[[], object], times: int) -> float:
    samples = []
    for _ in range(times):
        start = time.perf_counter()
        build()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1000


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--responses", type=int, default=10_000, help="library size")
    parser.add_argument("--quick", action="store_true", help="fewer rounds: a rough figure")
    parser.add_argument(
        "--clock", choices=("wall", "cpu"), default="wall",
        help="wall: what a rep waits (default); cpu: this thread's CPU time, what the work costs "
        "on an idle core (for a busy, shared machine)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.responses < 1:
        parser.error("--responses must be at least 1")
    clock = time.perf_counter if args.clock == "wall" else time.thread_time
    library = build_library(args.responses)
    usage = build_usage(library)
    words = {w for r in library for w in _WORD.findall(
        f"{r.title} {' '.join(r.tags)} {r.category} {r.shortcut or ''}".lower())}  # fmt: skip
    print(f"{len(library):,} responses (starter library + Faker, seed {SEED}), "
          f"{len(usage)} used lately by the rep, {len(words):,} distinct title, tag and "
          "shortcut words")  # fmt: skip
    print(f"ResponseRanker built in {_timed(lambda: ResponseRanker(library), 3):.0f} ms "
          "(once per list, when it is loaded)")  # fmt: skip
    print(f"Python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.2f} "
          f"on {os.cpu_count()} cores, {args.clock} clock")  # fmt: skip
    if args.clock == "wall" and os.getloadavg()[0] > (os.cpu_count() or 1):
        print("The machine is busy: wall figures include waiting for a core (try --clock cpu).")
    print()
    ranking = bench_ranking(library, usage, rounds=5 if args.quick else 40, clock=clock)
    print("Ranking alone (ResponseRanker.rank, whole list, with the rep's use):\n")
    print(table(ranking))
    _quiet_offscreen_notice()  # only here: under pytest, pytest-qt's own handler stays
    panel, setup = bench_panel(library, rounds=2 if args.quick else 12, clock=clock)
    debounce = ("none" if setup.debounce_ms is None
                else f"{setup.debounce_ms} ms, excluded")  # fmt: skip
    print(f"\nPainted list (CannedPane: keystroke to repainted list; debounce: {debounce}; "
          f"set_responses took {setup.set_responses_ms:.0f} ms):\n")  # fmt: skip
    print(table(panel))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
