"""Charts for Word and PDF (matplotlib with Noto Sans CJK, rendered to PNG bytes)."""
from __future__ import annotations

import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

_CJK = [f.name for f in font_manager.fontManager.ttflist if "CJK" in f.name and "Sans" in f.name]
plt.rcParams["font.sans-serif"] = (_CJK[:1] or []) + ["DejaVu Sans"]
plt.rcParams["axes.unicode_minus"] = False


def png(chart: dict, width: float = 6.0, height: float = 3.2) -> bytes:
    fig, ax = plt.subplots(figsize=(width, height), dpi=160)
    labels = chart["labels"]
    series = chart["series"]
    if chart.get("kind", "bar") == "bar":
        n = len(series)
        w = 0.8 / max(n, 1)
        for k, (name, values) in enumerate(series.items()):
            xs = [i + (k - (n - 1) / 2) * w for i in range(len(labels))]
            bars = ax.bar(xs, [v or 0 for v in values], width=w, label=name, color=["#2f6fb3", "#9bb8d9", "#c9d7e8"][k % 3])
            ax.bar_label(bars, labels=[f"{v:,.0f}" if v is not None else "" for v in values], fontsize=7, padding=2)
        ax.set_xticks(range(len(labels)), labels)
    else:
        for name, values in series.items():
            ax.plot(labels, values, marker="o", label=name)
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=9)
    if len(series) > 1:
        ax.legend(fontsize=8, frameon=False)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png")
    plt.close(fig)
    return buf.getvalue()
