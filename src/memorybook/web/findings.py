"""The consistency findings of `memorybook check` in the page's language.

The library's `Finding.detail` holds what a finding says as keys and numbers; here it is
worded through the message catalogue, with figures, operations and sources named as
everywhere else on the site (`Words`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from markupsafe import Markup, escape

from memorybook.model.history import Figure
from memorybook.reference.intervals import qualifier
from memorybook.web.words import Words


def figure_value(fig: Figure, w: Words) -> str:
    """A figure's number as its source hedges it: "over 1,500,000", "около 1 000 000",
    "950,000–1,200,000", "85%"."""
    percent = fig.unit == "percent"

    def one(x: float) -> str:
        return w.pct(x / 100, 0 if float(x).is_integer() else 1) if percent else w.num(x)

    if fig.value is not None:
        text = one(fig.value)
    else:
        assert fig.low is not None and fig.high is not None
        text = f"{one(fig.low)}–{one(fig.high)}"
    words = [w.label("qualifier", q) for q in (qualifier(fig),) if q]
    if fig.about:
        words.append(w.label("qualifier", "about"))
    return " ".join([*words, text])


def _thing(fig: Figure, w: Words) -> str:
    """What a figure counts and for whom: "shot (The German operation)"."""
    scope = [w.operation(fig.operation)] if fig.operation else []
    scope += [w.scope(s) for s in (fig.nationality, fig.region) if s]
    measure = w.label("measure", fig.measure)
    return f"{measure} ({', '.join(scope)})" if scope else measure


def _figure(fig: Figure, w: Words) -> str:
    return f"{w.label('measure', fig.measure)} {figure_value(fig, w)}"


def _source(key: str | None, w: Words) -> Markup:
    """A cited document's short form, marked as the (English) bibliographic data it is."""
    from memorybook.reference.bibliography import works

    if key is None:
        return Markup("")
    work = works(w.reference).get(key)
    return w.data(work.short if work else key, "en")


def _range(low: float | None, high: float | None, w: Words) -> str:
    if low is None:
        return ""
    if high is None or low == high:
        return w.num(low)
    return f"{w.num(low)}–{w.num(high)}"


def _order(key: str | None, w: Words) -> str:
    order = w.reference.orders.get(key or "")
    if order is None:
        return key or ""
    return w.ref("orders", order.key, "title", order.title) or order.title


def finding_text(kind: str, detail: Mapping[str, Any], w: Words) -> Markup | None:
    """The finding in words (markup: the documents it names are marked as English data), or
    None when its detail is not one this page knows."""
    figs = w.reference.figures

    def _(message: str) -> Markup:
        return Markup(escape(w._(message)))

    d = detail
    if kind in ("part_exceeds_whole", "total_mismatch") and "decision" in d:
        msg = (
            _(
                "The limits set by %(decision)s (%(region)s): the categories add up to %(sum)s,"
                " above the total %(total)s."
            )
            if kind == "part_exceeds_whole"
            else _(
                "The limits set by %(decision)s (%(region)s): the categories add up to %(sum)s,"
                " not to the total %(total)s."
            )
        )
        return msg % {
            "decision": _order(d["decision"], w),
            "region": w.scope(d["region"]),
            "sum": w.num(d["sum"]),
            "total": w.num(d["total"]),
        }
    if kind == "part_exceeds_whole":
        whole = figs[d["whole"]]
        parts = [figs[k] for k in d["parts"]]
        return _("%(source)s, %(scope)s: %(parts)s is more than %(whole)s.") % {
            "source": _source(whole.citation.source_key, w),
            "scope": w.operation(whole.operation)
            if whole.operation
            else w.scope(whole.nationality),
            "parts": " + ".join(_figure(p, w) for p in parts),
            "whole": _figure(whole, w),
        }
    if kind in ("parts_exceed_whole", "total_mismatch", "total_reproduced"):
        whole = figs[d["whole"]]
        values = {
            "group": w.operation(d["group"]),
            "whole": _figure(whole, w),
            "source": _source(whole.citation.source_key, w),
            "within": _source(d.get("within"), w),
        }
        if kind == "parts_exceed_whole":
            values["sum"] = w.num(d["at_least"])
            msg = (
                _(
                    "Within %(within)s: the parts of %(group)s add up to at least %(sum)s, more"
                    " than its %(whole)s."
                )
                if d.get("within")
                else _(
                    "Taking each part from any source: the parts of %(group)s add up to at least"
                    " %(sum)s, more than its %(whole)s (%(source)s)."
                )
            )
            text = msg % values
            if d.get("missing"):
                names = ", ".join(w.operation(k) for k in d["missing"])
                text += " " + _("Not counted, for want of a figure: %(names)s.") % {"names": names}
            return text
        if kind == "total_mismatch":
            values["range"] = _range(d.get("low"), d.get("high"), w)
            return (
                _("The parts of %(group)s add up to %(range)s, not to its %(whole)s (%(source)s).")
                % values
            )
        picks = Markup("; ").join(
            Markup("{} — {} ({})").format(
                w.operation(op), figure_value(figs[k], w), _source(figs[k].citation.source_key, w)
            )
            for op, k in d.get("picks", [])
        )
        text = _("%(group)s, %(whole)s (%(source)s), is reached only by taking: %(picks)s.") % {
            **values,
            "picks": picks,
        }
        if d.get("others_low") is not None:
            text += " " + _("Other choices give %(range)s.") % {
                "range": _range(d.get("others_low"), d.get("others_high"), w)
            }
        return text
    if kind in ("same_value_twice", "same_value_across"):
        a, b = figs[d["a"]], figs[d["b"]]
        values = {
            "value": w.num(d["value"]),
            "a": _thing(a, w),
            "b": _thing(b, w),
            "sa": _source(a.citation.source_key, w),
            "sb": _source(b.citation.source_key, w),
        }
        if kind == "same_value_twice":
            return _("%(sa)s gives %(value)s both for %(a)s and for %(b)s.") % values
        return _("%(value)s is %(a)s in %(sa)s but %(b)s in %(sb)s.") % values
    if kind.startswith("table_"):
        table = w.reference.tables.get(d.get("table", ""))
        title = w.ref("tables", table.key, "title", table.title) if table else d.get("table")
        cells: dict[str, Any] = {"table": title or "", "row": w.scope(d.get("row"))}
        if kind == "table_sum":
            column = d.get("column", "")
            is_share = column != "arrested"
            return _("%(table)s: the column “%(column)s” adds up to %(sum)s, not %(expected)s.") % {
                **cells,
                "column": w.label("measure", column if is_share else "arrested"),
                "sum": w.pct(d["sum"] / 100, 2) if is_share else w.num(d["sum"]),
                "expected": w.pct(d["expected"] / 100) if is_share else w.num(d["expected"]),
            }
        if kind == "table_share":
            return _(
                "%(table)s, %(row)s: %(arrested)s of %(total)s is %(exact)s, printed %(printed)s."
            ) % {
                **cells,
                "arrested": w.num(d["arrested"]),
                "total": w.num(d["total"]),
                "exact": w.pct(d["exact"] / 100, 3),
                "printed": w.pct(float(d["printed"]) / 100, 2),
            }
        if kind == "table_overrep":
            return _(
                "%(table)s, %(row)s: the shares %(share)s and %(population)s allow %(range)s,"
                " printed %(printed)s."
            ) % {
                **cells,
                "share": w.pct(float(d["share"]) / 100, 2),
                "population": w.pct(float(d["population_share"]) / 100, 2),
                "range": _range(d.get("low"), d.get("high"), w),
                "printed": w.num(float(d["printed"])),
            }
    return None
