"""The terminal side: the comparison table, its notes, ``info``, and the progress bar (rich)."""
from __future__ import annotations

import math
import sys

from .runner import ALPHA

MARK = {"pass": "✓", "fail": "✗", "error": "!", "missing": "·"}
STYLE = {"pass": "green", "fail": "bold red", "error": "magenta", "missing": "dim"}


def console(stderr: bool = False):
    """A rich console: colour only on a terminal; wide plain text when piped."""
    from rich.console import Console
    stream = sys.stderr if stderr else sys.stdout
    tty = stream.isatty()
    return Console(file=stream, highlight=False, soft_wrap=False,
                   width=None if tty else 200, no_color=not tty,
                   force_terminal=None if tty else False)


def rate(v) -> str:
    """Samples per second, compact: 41M/s, 850k/s."""
    if v is None or not math.isfinite(v) or v <= 0:
        return "-"
    for unit, scale in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if v >= scale:
            return f"{v / scale:.3g}{unit}/s"
    return f"{v:.3g}/s"


def pvalue(p) -> str:
    if p is None:
        return "-"
    return f"{p:.2f}" if p >= 0.01 else f"{p:.0e}"


def _cell(c):
    from rich.text import Text
    status = c["status"]
    t = Text()
    if status == "missing":
        t.append("missing", style="dim")
        return t
    if status == "error":
        t.append("! error", style=STYLE["error"])
        return t
    t.append(f"{MARK[status]} ", style=STYLE[status])
    if status == "fail" and c.get("pvalue") is not None and c["pvalue"] >= ALPHA:
        z = max((c.get(k) or 0.0 for k in ("mean_z", "var_z")), key=abs)
        t.append(f"{z:+.0f}SE", style=STYLE[status])
    elif status == "fail" and c.get("pvalue") is None:
        t.append("bad", style=STYLE[status])
    else:
        t.append(pvalue(c.get("pvalue")), style=STYLE[status] if status == "fail" else "")
    if c.get("group"):
        t.append(f" {c['group']}", style="bold cyan")
    t.append("\n")
    t.append(rate(c.get("samples_per_s")))
    r = c.get("ratio")
    if r is not None:
        style = "green" if r >= 0.9 else "yellow" if r >= 0.5 else "red"
        t.append(f" ×{r:.0f}" if r >= 10 else f" ×{r:.2g}" if r >= 0.1 else f" ×{r:.1g}",
                 style=style)
    return t


def _header(result) -> list[str]:
    lines = []
    n = result["size"]
    sizes = {t["label"]: t["size"] for t in result["targets"]}
    odd = sorted({(s, l.split(":")[0]) for l, s in sizes.items() if s != n})
    size_text = f"{_power(n)} draws per cell"
    if odd:
        size_text += "".join(f" ({b}: {_power(s)})" for s, b in odd)
    lines.append(f"array-random compare · {size_text} · seed {result['seed']}")
    lines.append("targets: " + ", ".join(
        f"{t['label']} ({t['default_dtypes']['real floating']}/{t['default_dtypes']['integral']})"
        if t.get("default_dtypes") else t["label"] for t in result["targets"]))
    if result.get("jax_cache"):
        lines.append(f"JAX compilation cache: {result['jax_cache']} (--no-cache to go without)")
    if result["skipped"]:
        lines.append("skipped: " + "; ".join(
            f"{s['backend']}{' ' + s['device'] if s['device'] else ''} ({s['reason']})"
            for s in result["skipped"]))
    return lines


def _power(n: int) -> str:
    k = round(math.log10(n)) if n > 0 else 0
    return f"10^{k}" if 10**k == n and k >= 3 else f"{n:,}"


def table(result):
    """The rich Table: one row per distribution, one column per target."""
    from rich import box
    from rich.table import Table
    from rich.text import Text

    tbl = Table(box=box.SIMPLE_HEAD, show_lines=False, pad_edge=False, padding=(0, 1))
    tbl.add_column("distribution", no_wrap=True)
    for t in result["targets"]:
        backend = "strict" if t["backend"] == "array_api_strict" else t["backend"]
        tbl.add_column(f"{backend}\n{t['device']}", no_wrap=True)
    for row in result["distributions"]:
        name = Text(row["method"], style="bold" if row["status"] != "missing" else "dim")
        name.append("\n" + _short_params(row["call"], row["method"]), style="dim")
        tbl.add_row(name, *[_cell(c) for c in row["cells"]])
    return tbl


def _short_params(call: str, method: str) -> str:
    params = call[len(method):]
    return params if len(params) <= 26 else params[:25] + "…"


def notes(result) -> list:
    """Lines under the table: legend, agreement, failures and errors, summary."""
    from rich.text import Text

    out = [Text(f"✓ p: p-value of the fit to scipy.stats (KS or chi-square); ✗ when "
                f"p < {result['alpha']:g} or the mean or variance is {result['max_z']:g}+ "
                f"standard errors off", style="dim"),
           Text("rate: draws/s through array_random; ×r: that over the backend's own routine "
                "(1: as fast; below 1: slower); A, B, ...: identical values in a row",
                style="dim")]
    if result.get("bit_generator", "native") != "native" or result.get("float_dtype"):
        out.append(Text(f"bit generator: {result.get('bit_generator', 'native')}; continuous "
                        f"draws in {result.get('float_dtype') or 'each device default dtype'}",
                        style="dim"))
    groups: dict[tuple, list] = {}
    for row in result["distributions"]:
        for members in row.get("agreement", []):
            groups.setdefault(tuple(members), []).append(row["method"])
    for members, methods in groups.items():
        out.append(Text(f"identical values: {' = '.join(members)}: {', '.join(methods)}"))
    problems: dict[tuple, list] = {}
    for row in result["distributions"]:
        for c in row["cells"]:
            if c["status"] == "fail":
                problems.setdefault(("✗", row["method"], c.get("reason") or ""), []).append(
                    c["target"])
            elif c["status"] == "error":
                problems.setdefault(("!", row["method"], c.get("error") or ""), []).append(
                    c["target"])
    natives: dict[str, list] = {}
    for row in result["distributions"]:
        for c in row["cells"]:
            if "(failed:" in (c.get("native_call") or ""):
                natives.setdefault(c["native_call"], []).append(f"{row['method']} on "
                                                                 f"{c['target']}")
    for call, where in natives.items():
        out.append(Text(f"native routine not timed: {call}: {', '.join(where)}",
                        style="yellow"))
    for (mark, method, why), where in problems.items():
        style = STYLE["fail"] if mark == "✗" else STYLE["error"]
        line = Text(f"{mark} {method} on {', '.join(where)}: ", style=style)
        line.append(why[:160])
        out.append(line)
    s = result["summary"]
    present = [r for r in result["distributions"] if r["status"] != "missing"]
    text = (f"{len(present)} distributions × {len(result['targets'])} targets: "
            f"{s['pass']} pass, {s['fail']} fail, {s['error']} error")
    if s["missing_methods"]:
        text += (f"; not in the Generator yet ({len(s['missing_methods'])}): "
                 + ", ".join(s["missing_methods"]))
    text += f" · {result['wall_s']:.0f} s"
    style = "bold red" if s["fail"] or s["error"] else "bold green"
    out.append(Text(text, style=style))
    return out


def show(result, con=None) -> None:
    con = con or console()
    for line in _header(result):
        con.print(line, markup=False)
    con.print(table(result))
    for line in notes(result):
        con.print(line)


class Progress:
    """A progress bar on stderr (only when stderr is a terminal): ``with Progress(total) as p``."""

    def __init__(self, total: int, enabled: bool = True):
        self.total = total
        self.bar = None
        if enabled and sys.stderr.isatty():
            from rich.progress import (BarColumn, MofNCompleteColumn, Progress as Bar,
                                       TextColumn, TimeElapsedColumn)
            self.bar = Bar(TextColumn("{task.description:<40}"), BarColumn(),
                           MofNCompleteColumn(), TimeElapsedColumn(),
                           console=console(stderr=True), transient=True)

    def __enter__(self):
        if self.bar is not None:
            self.bar.__enter__()
            self.task = self.bar.add_task("starting", total=self.total)
            self.started = False
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def on_cell(self, case, target):
        if self.bar is not None:
            if self.started:
                self.bar.advance(self.task)
            self.started = True
            self.bar.update(self.task, description=f"{case.name} on {target.label}")


def show_info(records, lib, con=None) -> None:
    from rich import box
    from rich.table import Table

    con = con or console()
    con.print(f"array_random {lib['array_random']} · Python {sys.version.split()[0]}",
              markup=False)
    tbl = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("backend", "version", "served by", "device", "default float",
                "default int", "notes"):
        tbl.add_column(col)
    for rec in records:
        if not rec["installed"]:
            tbl.add_row(rec["backend"], "-", "-", "-", "-", "-",
                        "; ".join(rec["skipped"]), style="dim")
            continue
        for i, dev in enumerate(rec["devices"]):
            first = i == 0
            notes_ = "; ".join(filter(None, [rec.get("notes")] + rec["skipped"])) if first else ""
            tbl.add_row(rec["backend"] if first else "", (rec["version"] or "?") if first else "",
                        rec["served_by"] if first else "", dev["device"],
                        dev["default_dtypes"]["real floating"],
                        dev["default_dtypes"]["integral"], notes_)
    con.print(tbl)
