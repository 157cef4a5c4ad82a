"""Load a backstop run with pandas: the per-path dataset, the bands and the provenance
stored in the Parquet footer; print per-policy means; plot the median basis by policy.

Needs pandas, pyarrow, matplotlib and PyYAML. Columns are described in docs/outputs.md.

    python3 examples/load_pandas.py [RUN_DIR] [OUT_PNG]   # outputs/baseline, basis_median.png
"""

import csv
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # write a file, no window
import matplotlib.pyplot as plt
import pandas as pd
import pyarrow.parquet as pq
import yaml

run = Path(sys.argv[1] if len(sys.argv) > 1 else "outputs/baseline")
out = Path(sys.argv[2] if len(sys.argv) > 2 else "basis_median.png")

# paths/ is one dataset: pandas reads every part-NNNNN.parquet into one DataFrame.
# policy and series come back as pandas categories (unordered): policy's categories are
# the run's policies in run order, series' are the five series in the order of
# docs/outputs.md (basis_bp, sales_bn, cb_holdings_bn, dealer_utilization, hf_equity_bn);
# groupby(..., observed=True) lists groups in that order.
paths = pd.read_parquet(run / "paths")
bands = pd.read_parquet(run / "bands.parquet")

# Provenance: every Parquet file carries it as footer key-value metadata (bytes).
footer = pq.read_metadata(run / "bands.parquet").metadata
meta = {k.decode(): v.decode() for k, v in footer.items() if k.startswith(b"backstop.")}
config = yaml.safe_load(meta["backstop.config"])

print(
    f"{config['scenario']}: {meta['backstop.paths']} paths, seed {meta['backstop.seed']}, "
    f"backstop {meta['backstop.version']}, created {meta['backstop.created']}, "
    f"schema v{meta['backstop.schema_version']}"
)
print(f"{len(paths)} rows x {paths.shape[1]} columns; policies {list(paths['policy'].cat.categories)}\n")

by_policy = paths.groupby("policy", observed=True).agg(
    peak_basis_bp=("peak_basis_bp", "mean"),
    peak_basis_p95=("peak_basis_bp", lambda s: s.quantile(0.95)),
    forced_sales_bn=("forced_sales_bn", "mean"),
    funds_defaulted=("funds_defaulted", "mean"),
)
print(by_policy.round(2).to_string())

# Median basis over the horizon with its 25-75% band, each policy in the color and with
# the legend label of backstop's own figures (Okabe-Ito colors; policy_styles.csv, beside
# this script, lists all six policies), and the dysfunction threshold from the config.
with open(Path(__file__).with_name("policy_styles.csv"), newline="") as f:
    styles = {row["policy"]: row for row in csv.DictReader(f)}
basis = bands[bands["series"] == "basis_bp"]
fig, ax = plt.subplots(figsize=(5, 3.2))
for policy, g in basis.groupby("policy", observed=True):
    style = styles.get(policy, {})
    color = style.get("color")  # None (matplotlib's next color) for a policy not listed
    ax.fill_between(g["day"], g["p25"], g["p75"], color=color, alpha=0.2, linewidth=0)
    ax.plot(g["day"], g["p50"], color=color, label=style.get("label", policy))
b_dys = config["market"]["b_dys"]
ax.axhline(b_dys, color="grey", linestyle="--", linewidth=0.8, label=f"b_dys = {b_dys:g} bp")
ax.set_xlabel("day")
ax.set_ylabel("basis (bp)")
ax.set_title(f"Median basis, 25-75% band ({config['scenario']}, {meta['backstop.paths']} paths)", fontsize=9)
ax.legend(frameon=False)
fig.tight_layout()
fig.savefig(out, dpi=300)
print(f"\nwrote {out}")
