#!/usr/bin/python3
"""Vectorized NumPy reference implementation of docs/model.md (spec v1).

A second, independent implementation of the basis-trade fire-sale model, written the way
a researcher would write it in NumPy: the Monte Carlo paths are the vector dimension
(arrays of shape (paths,) or (paths, n_funds)), and a Python loop runs over the days in the
step order of docs/model.md section 6. Every policy (none, qe, spv) runs on the same drawn
shocks (section 2: common random numbers), one pass per policy.

It shares no code and no random stream with the Go simulator in sim/: the shocks come from
numpy.random.default_rng(seed), drawn chunk after chunk, so the two agree in distribution
only. bench/crosscheck_test.go compares the means of the two; bench/compare.sh times them.

Where docs/model.md leaves a choice open, this follows the conventions written down in
docs/model.md ("Readings"), so that both implementations report the same quantities:
  - "the basis" in outputs is the end-of-day basis b_{t+1}; b_{-1} = b_0 (so sb_0 = omega sigma_0);
  - a defaulted fund's equity is frozen and counted as 0 in every total; it pays no
    concession and earns no carry; from the day after default its lenders sell
    min(B_j, B_at_default / L_days) a day, B_at_default being the position after the
    default day's trades;
  - dealer utilization is I_{t+1} / K_t; spv_closed_day is t_exp where the SPV held
    bundles at expiry, else -1; cb_pnl_bn for spv is the central bank's share of the realized
    gain G: (1 - eq) G for a gain, min(0, G + eq M) for a loss (eq M of first-loss equity).

Usage:
  /usr/bin/python3 bench/numpy_ref.py --paths 100000 --seed 1 [--policies none,qe,spv]
      [--json OUT] [--chunk 100000] [--config FILE]

Output: JSON (on stdout, or in OUT with --json) with, for each policy and each per-path
metric of docs/model.md section 7, the mean, sd, n, p05, p50 and p95, plus the wall time.
Quantiles are sample quantiles by the inverted-CDF rule (the ceil(n p)-th smallest value).
A short section-8-style table goes to stderr unless --quiet.
"""

import argparse
import json
import sys
import time

import numpy as np

# Defaults of docs/model.md, mirroring configs/baseline.yaml key for key.
DEFAULTS = {
    "days": 60,  # T
    "paths": 10000,
    "seed": 1,
    "policies": ["none", "qe", "spv"],
    "shocks": {  # section 2
        "sigma_bar": 6.0, "phi": 0.95, "eta": 0.10, "mu_j": 0.4, "s_j": 0.3,
        "rho_f": 0.9, "beta_f": 0.5, "p_f": 0.03, "m_f": 1.0, "omega": 0.05,
    },
    "funds": {  # section 3
        "n_funds": 10, "b0": 1000.0, "u_lo": 0.2, "u_hi": 1.0,
        "h0": 0.005, "kappa_h": 0.005, "m0": 0.015, "gamma_m": 0.7,
        "d_b": 5.0, "alpha": 2.33, "v": 0.25, "theta": 0.2, "theta_up": 0.02,
        "l_days": 3, "carry": 30.0, "spread0": 10.0, "kappa_s": 25.0,
        # Which sales count as forced: "reference" adds a defaulting fund's voluntary
        # sales on its default day (as section 8's table), "literal" does not.
        "forced_sales": "reference",
        "buffer_stress": 0.0,  # extension (docs/model-extensions.md): only 0 here
    },
    "market": {  # section 4
        "k0": 400.0, "kappa_k": 0.5, "lambda0": 0.015, "u_min": 0.05,
        "w_c": 0.6, "w_f": 0.4, "k": 0.10, "b_floor": -10.0, "b_init": 0.0,
        "b_dys": 20.0, "delta": 0.10,
    },
    "qe": {"trigger": 10.0, "weekly": 362.0, "q_max": 1000.0, "d_q": 8.0,  # section 5
           "lag": 0, "announce_theta": 1.0, "source": "sales", "schedule": []},  # extensions: only these values here
    "spv": {"trigger": 10.0, "t_exp": 40, "capacity": 500.0, "discount": 5.0, "equity": 0.10,
            "announce_theta": 1.0},
    # Policies beyond the spec (docs/model-notes.md): read so a scenario file decodes,
    # never simulated here.
    "srf": {"trigger": 10.0, "haircut_cap": 0.01, "spread_cap": 25.0, "announce_theta": 1.0},
    "slr": {"trigger": 10.0, "lag": 10, "k0_relief": 200.0, "announce_theta": 1.0},
    "cap": {"level": 20.0, "penalty": 5.0, "capacity": 500.0, "t_exp": 40, "roll": 63,
            "announce_theta": 1.0},
    # Other sellers (docs/model-extensions.md): read so a scenario file decodes; only the
    # spec's zero (no other sellers) is simulated here.
    "sellers": {"vol": 0.0, "funding": 0.0},
    "repo": {"capacity": 0.0, "kappa": 0.0},  # repo rationing: only unlimited (0) here
    "output": {"band_paths": 200000},  # bands.parquet only: no bearing on per-path metrics
}

# Per-path outputs of docs/model.md section 7 (after the path and policy columns), in order.
METRICS = [
    "stress_jump", "peak_vol_bp", "peak_funding_stress", "peak_basis_bp",
    "basis_auc_bp_days", "days_dysfunction", "forced_sales_bn", "total_sales_bn",
    "hf_equity_min_bn", "hf_loss_bn", "funds_defaulted", "peak_cb_holdings_bn",
    "cb_dv01_peak_bn_per_bp", "cb_pnl_bn", "spv_closed_day", "peak_dealer_utilization",
    "other_sales_bn", "position_cut",
]

POSITION_CUT_DAY = 20  # position_cut compares the end of this day with the start

POLICIES = ("none", "qe", "spv")
QUANTILES = {"p05": 0.05, "p50": 0.50, "p95": 0.95}


# ---------------------------------------------------------------------------------------
# Section 2: shocks, drawn once per path and shared by every policy.
# ---------------------------------------------------------------------------------------
def draw_shocks(rng, n, p):
    """Draw n paths' shocks. Arrays are (T, n): day-major, so each day's slice is contiguous."""
    T = p["days"]
    s = p["shocks"]
    log_bar = np.log(s["sigma_bar"])

    jump = s["mu_j"] + s["s_j"] * rng.standard_normal(n)    # J ~ N(mu_J, s_J)
    e = rng.standard_normal((T - 1, n))                       # log-vol innovations e_{t+1}
    z = rng.standard_normal((T, n))                           # yield shocks z_t
    eb = rng.standard_normal((T, n))                          # basis shocks eb_t
    fires = rng.random((T - 1, n)) < s["p_f"]                 # U_{t+1} ~ Bernoulli(p_F)
    size = rng.exponential(s["m_f"], (T - 1, n))              # G_{t+1} ~ Exp(mean m_F)

    log_sigma = np.empty((T, n))
    F = np.zeros((T, n))                                      # F_0 = 0
    log_sigma[0] = log_bar + jump                             # sigma_0 = sigma_bar exp(J)
    for t in range(T - 1):
        excess = log_sigma[t] - log_bar                       # log(sigma_t / sigma_bar)
        log_sigma[t + 1] = log_bar + s["phi"] * excess + s["eta"] * e[t]
        F[t + 1] = s["rho_f"] * F[t] + s["beta_f"] * np.maximum(0.0, excess) + fires[t] * size[t]
    sigma = np.exp(log_sigma)
    return {
        "jump": jump,
        "sigma": sigma,
        "F": F,
        "dy": sigma * z,                                      # dy_t = sigma_t z_t
        "noise": s["omega"] * sigma * eb,                     # omega sigma_t eb_t
    }


# ---------------------------------------------------------------------------------------
# Sections 3 to 6: one policy over n paths, day by day.
# ---------------------------------------------------------------------------------------
def simulate(sh, p, policy):
    """Run one policy on the shocks sh; return {metric: array of shape (n,)} (section 7)."""
    T = p["days"]
    s, f, mk, qe, spv = p["shocks"], p["funds"], p["market"], p["qe"], p["spv"]
    n = sh["jump"].shape[0]
    nf = f["n_funds"]

    # Section 3: funds start with B_j0 = B0 / n_f and E_j0 = B_j0 r_0 (1 + u_j).
    u = np.linspace(f["u_lo"], f["u_hi"], nf) if nf > 1 else np.array([f["u_lo"]])
    B_start = f["b0"] / nf
    r0 = f["h0"] + f["m0"]
    B = np.full((n, nf), B_start)
    E = np.tile(B_start * r0 * (1 + u), (n, 1))
    alive = np.ones((n, nf), dtype=bool)
    B_at_default = np.zeros((n, nf))
    inv_buffer = 1.0 / (1.0 + u)                              # 1 / (1 + u_j)
    risk_const = 1e4 * f["v"] / (f["d_b"] * f["alpha"])      # VaR: B <= v E 1e4 / (D_b alpha sb)

    # Section 4: market state.
    b = np.full(n, mk["b_init"])                              # b_t
    b_prev = b.copy()                                         # b_{t-1}; b_{-1} = b_0
    inventory = np.zeros(n)                                   # I_t

    # Section 5: central-bank books.
    holdings = np.zeros(n)                                    # Q (qe) or M (spv)
    spv_cost = np.zeros(n)                                    # sum A_t (b_t + d), $bn bp
    cb_pnl = np.zeros(n)
    closed_day = np.full(n, -1.0)

    # Section 7 accumulators.
    equity0 = E.sum(axis=1)
    peak_basis = np.full(n, -np.inf)
    auc = np.zeros(n)
    dys_days = np.zeros(n)
    forced_total = np.zeros(n)
    sales_total = np.zeros(n)
    equity_min = np.full(n, np.inf)
    peak_holdings = np.zeros(n)
    peak_dv01 = np.zeros(n)
    peak_util = np.zeros(n)
    position_cut = np.zeros(n)
    cut_day = min(POSITION_CUT_DAY, T - 1)

    for t in range(T):
        sigma, F, dy, noise = sh["sigma"][t], sh["F"][t], sh["dy"][t], sh["noise"][t]

        # Step 1: h_t, m_t, r_t, sb_t; then Cap_j, B*_j, S_j, R_j (section 3).
        h = f["h0"] + f["kappa_h"] * F
        m = f["m0"] * (sigma / s["sigma_bar"]) ** f["gamma_m"]
        r = h + m
        sb = s["omega"] * sigma + np.abs(b - b_prev)
        E_pos = np.maximum(E, 0.0)
        cap = E_pos / r[:, None]                              # Cap_j = max(E_j, 0) / r_t
        target = np.minimum(np.minimum(cap * inv_buffer,      # B*_j
                                       (risk_const / sb)[:, None] * E_pos),
                            B_start)
        forced_live = np.maximum(0.0, B - cap)
        sales_live = forced_live + f["theta"] * np.maximum(0.0, np.minimum(B, cap) - target)
        reentry_live = np.where((b <= mk["b_dys"])[:, None],
                                f["theta_up"] * np.maximum(0.0, target - B), 0.0)
        # Defaulted funds: lenders liquidate the position held at default over L_days.
        sales_dead = np.minimum(B, B_at_default / f["l_days"])
        S_j = np.where(alive, sales_live, sales_dead)
        R_j = np.where(alive, reentry_live, 0.0)
        forced_j = np.where(alive, forced_live, sales_dead)
        S = S_j.sum(axis=1)
        R = R_j.sum(axis=1)

        # Step 2: the policy's absorption, then X^c_t and X^f_t (section 5).
        P = np.zeros(n)                                       # cash bought outright (qe)
        A = np.zeros(n)                                       # bundles bought (spv)
        if policy == "qe":
            buy = np.minimum(S, np.minimum(qe["weekly"] / 5, qe["q_max"] - holdings))
            P = np.where(b > qe["trigger"], np.maximum(0.0, buy), 0.0)
        elif policy == "spv":
            if t < spv["t_exp"]:
                buy = np.minimum(S, spv["capacity"] - holdings)
                A = np.where(b > spv["trigger"], np.maximum(0.0, buy), 0.0)
        net = S - R
        Xc = net - P - A
        Xf = net - A

        # Step 3: K_t, lambda_t, push_t, b_{t+1}, I_{t+1}, c_t (section 4).
        K = mk["k0"] / (1 + mk["kappa_k"] * F)
        lam = mk["lambda0"] / np.maximum(mk["u_min"], 1 - inventory / K)
        push = lam * (mk["w_c"] * Xc + mk["w_f"] * Xf)
        b_next = np.maximum(mk["b_floor"], (1 - mk["k"]) * b + push + noise)
        inventory_next = np.maximum(0.0, (1 - mk["delta"]) * inventory + Xc)
        concession = np.maximum(push, 0.0) / 2

        # Step 4: trades, mark to market, cost of sales, carry; new defaults.
        to_spv = np.divide(A, S, out=np.zeros(n), where=S > 0)          # A_t / S
        cost_per_sale = f["d_b"] * ((1 - to_spv) * concession + to_spv * spv["discount"]) / 1e4
        carry = (f["carry"] - (f["spread0"] + f["kappa_s"] * F)) / (252 * 1e4)
        B_before = B
        B = np.maximum(0.0, B - S_j + R_j)
        dE = (-(f["d_b"] * (b_next - b) / 1e4)[:, None] * B
              - cost_per_sale[:, None] * S_j
              + carry[:, None] * B_before)
        E = np.where(alive, E + dE, E)                        # a defaulted fund's equity is frozen
        new_default = alive & (E <= 0)
        if f["forced_sales"] == "reference":   # the default day's voluntary sales too
            forced_j = np.where(new_default, sales_live, forced_j)
        B_at_default = np.where(new_default, B, B_at_default)
        alive &= ~new_default

        # Step 5: the central bank's books.
        dv01 = 0.0
        if policy == "qe":
            holdings = holdings + P
            cb_pnl -= qe["d_q"] * holdings * dy / 1e4         # -D_q Q_{t+1} dy_t / 1e4
            dv01 = qe["d_q"] * holdings * 1e-4
        elif policy == "spv":
            holdings = holdings + A
            spv_cost += A * (b + spv["discount"])
            if t == spv["t_exp"]:                             # deliver into the futures, close
                closing = holdings > 0
                gain = f["d_b"] * spv_cost / 1e4              # the vehicle's; the central bank's share:
                eq = spv["equity"]                            # pro rata on a gain, beyond eq M on a loss
                share = np.where(gain >= 0, (1 - eq) * gain, np.minimum(0.0, gain + eq * holdings))
                cb_pnl = np.where(closing, share, cb_pnl)
                closed_day = np.where(closing, float(t), closed_day)
                holdings = np.where(closing, 0.0, holdings)

        # Step 6: record the day (end-of-day basis b_{t+1}).
        equity = np.maximum(E, 0.0).sum(axis=1)               # a defaulted fund counts 0
        np.maximum(peak_basis, b_next, out=peak_basis)
        auc += np.maximum(b_next, 0.0)
        dys_days += b_next > mk["b_dys"]
        forced_total += forced_j.sum(axis=1)
        sales_total += S
        np.minimum(equity_min, equity, out=equity_min)
        np.maximum(peak_holdings, holdings, out=peak_holdings)
        np.maximum(peak_dv01, dv01, out=peak_dv01)
        np.maximum(peak_util, inventory_next / K, out=peak_util)
        if t == cut_day:
            position_cut = 1 - B.sum(axis=1) / (B_start * nf)

        b_prev, b, inventory = b, b_next, inventory_next

    return {
        "stress_jump": sh["jump"],
        "peak_vol_bp": sh["sigma"].max(axis=0),
        "peak_funding_stress": sh["F"].max(axis=0),
        "peak_basis_bp": peak_basis,
        "basis_auc_bp_days": auc,
        "days_dysfunction": dys_days,
        "forced_sales_bn": forced_total,
        "total_sales_bn": sales_total,
        "hf_equity_min_bn": equity_min,
        "hf_loss_bn": equity0 - np.maximum(E, 0.0).sum(axis=1),
        "funds_defaulted": (~alive).sum(axis=1).astype(float),
        "peak_cb_holdings_bn": peak_holdings,
        "cb_dv01_peak_bn_per_bp": peak_dv01,
        "cb_pnl_bn": cb_pnl,
        "spv_closed_day": closed_day,
        "peak_dealer_utilization": peak_util,
        "other_sales_bn": np.zeros(n),                        # no other sellers in the spec
        "position_cut": position_cut,
    }


# ---------------------------------------------------------------------------------------
# Driver: chunks of paths, summary statistics, JSON.
# ---------------------------------------------------------------------------------------
class Moments:
    """Count, mean and sum of squared deviations, merged chunk by chunk (Chan et al.)."""

    def __init__(self):
        self.n, self.mean, self.m2 = 0, 0.0, 0.0

    def add(self, x):
        nb = x.size
        if nb == 0:
            return
        mb = float(x.mean())
        m2b = float(((x - mb) ** 2).sum())
        n = self.n + nb
        d = mb - self.mean
        self.mean += d * nb / n
        self.m2 += m2b + d * d * self.n * nb / n
        self.n = n

    def sd(self):
        return (self.m2 / (self.n - 1)) ** 0.5 if self.n > 1 else 0.0


def run(p, paths, seed, policies, chunk):
    """Simulate paths in chunks; return the summary dict and the wall time in seconds."""
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    moments = {pol: {m: Moments() for m in METRICS} for pol in policies}
    # Per-path values are kept (as float32, 4 bytes a value) only for the quantiles; the
    # simulation itself holds one chunk at a time.
    kept = {pol: {m: [] for m in METRICS} for pol in policies}
    done = 0
    while done < paths:
        n = min(chunk, paths - done)
        sh = draw_shocks(rng, n, p)
        for pol in policies:
            out = simulate(sh, p, pol)
            for m in METRICS:
                moments[pol][m].add(out[m])
                kept[pol][m].append(out[m].astype(np.float32))
        done += n
    summary = {}
    for pol in policies:
        summary[pol] = {}
        for m in METRICS:
            x = np.concatenate(kept[pol][m])
            kept[pol][m] = None
            mo = moments[pol][m]
            row = {"mean": mo.mean, "sd": mo.sd(), "n": mo.n}
            qs = np.quantile(x, list(QUANTILES.values()), method="inverted_cdf")
            for name, q in zip(QUANTILES, qs):
                row[name] = float(q)
            summary[pol][m] = row
    return summary, time.perf_counter() - start


def load_config(path):
    """Read a scenario YAML of the configs/baseline.yaml shape (top-level keys and one
    level of sections, `key: value  # comment`) over DEFAULTS, without PyYAML."""
    p = json.loads(json.dumps(DEFAULTS))  # deep copy
    section = None
    with open(path) as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.split("#", 1)[0].rstrip()
            if not line.strip():
                continue
            indented = line[0] in " \t"
            key, sep, value = line.strip().partition(":")
            key, value = key.strip(), value.strip()
            if not sep:
                raise SystemExit(f"{path}:{lineno}: expected 'key: value'")
            if not indented:
                section = None
                if value == "":
                    if not isinstance(p.get(key), dict):
                        raise SystemExit(f"{path}:{lineno}: unknown section {key!r}")
                    section = key
                    continue
                target = p
            else:
                if section is None:
                    raise SystemExit(f"{path}:{lineno}: indented key outside a section")
                target = p[section]
            if key in ("scenario", "description"):
                continue
            if key not in target:
                raise SystemExit(f"{path}:{lineno}: unknown key {key!r}")
            if key == "policies":
                target[key] = [x.strip() for x in value.strip("[]").split(",") if x.strip()]
            elif isinstance(target[key], list):  # a one-line list of numbers
                target[key] = [float(x) for x in value.strip("[]").split(",") if x.strip()]
            elif isinstance(target[key], str):
                target[key] = value
            elif isinstance(target[key], int):
                target[key] = int(value)
            else:
                target[key] = float(value)
    # This reference implements docs/model.md spec v1 only: refuse the extensions' options.
    for sec, key, neutral in (("qe", "lag", 0), ("qe", "announce_theta", 1.0), ("qe", "source", "sales"),
                              ("spv", "announce_theta", 1.0), ("funds", "buffer_stress", 0.0),
                              ("qe", "schedule", []), ("sellers", "vol", 0.0), ("sellers", "funding", 0.0),
                              ("repo", "capacity", 0.0)):
        if p[sec][key] != neutral:
            raise SystemExit(f"{path}: {sec}.{key} = {p[sec][key]}: numpy_ref implements "
                             f"docs/model.md spec v1 only ({sec}.{key} must be {neutral})")
    if p["funds"]["forced_sales"] not in ("reference", "literal"):
        raise SystemExit(f"{path}: funds.forced_sales = {p['funds']['forced_sales']!r}: "
                         "use reference or literal")
    unknown = [x for x in p["policies"] if x not in POLICIES]
    if unknown:
        raise SystemExit(f"{path}: policies {unknown}: numpy_ref implements {POLICIES} only")
    return p


def print_table(summary, file):
    """Section 8 of docs/model.md, as this run gives it."""
    print("policy  peak basis p5/p50/p95 (bp)   forced sales p50/p95 ($bn)  "
          "defaults (mean)  CB holdings p50/p95 ($bn)", file=file)
    for pol, rows in summary.items():
        pb, fs, fd, h = (rows[m] for m in ("peak_basis_bp", "forced_sales_bn",
                                             "funds_defaulted", "peak_cb_holdings_bn"))
        print(f"{pol:6}  {pb['p05']:6.2f} / {pb['p50']:6.2f} / {pb['p95']:6.1f}    "
              f"{fs['p50']:7.1f} / {fs['p95']:7.1f}          {fd['mean']:6.3f}         "
              f"{h['p50']:6.1f} / {h['p95']:6.1f}", file=file)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--paths", type=int, default=None, help="Monte Carlo paths (default: the config's)")
    ap.add_argument("--seed", type=int, default=None, help="seed of numpy.random.default_rng")
    ap.add_argument("--policies", default=None, help="comma-separated, from none,qe,spv")
    ap.add_argument("--chunk", type=int, default=100_000, help="paths simulated at a time")
    ap.add_argument("--config", default=None, help="scenario YAML (configs/baseline.yaml shape)")
    ap.add_argument("--json", default=None, help="write the JSON here instead of stdout")
    ap.add_argument("--quiet", action="store_true", help="no table on stderr")
    a = ap.parse_args(argv)

    p = load_config(a.config) if a.config else json.loads(json.dumps(DEFAULTS))
    paths = a.paths if a.paths is not None else p["paths"]
    seed = a.seed if a.seed is not None else p["seed"]
    policies = a.policies.split(",") if a.policies else p["policies"]
    for pol in policies:
        if pol not in POLICIES:
            ap.error(f"unknown policy {pol!r} (known: {','.join(POLICIES)})")
    if paths < 1 or a.chunk < 1:
        ap.error("--paths and --chunk must be at least 1")

    summary, wall = run(p, paths, seed, policies, a.chunk)
    doc = {
        "implementation": "bench/numpy_ref.py",
        "numpy": np.__version__,
        "paths": paths,
        "seed": seed,
        "chunk": a.chunk,
        "days": p["days"],
        "policies": policies,
        "wall_seconds": wall,
        "paths_per_second": paths / wall,
        "metrics": summary,
    }
    text = json.dumps(doc, indent=1)
    if a.json:
        with open(a.json, "w") as fh:
            fh.write(text + "\n")
    else:
        print(text)
    if not a.quiet:
        print(f"numpy_ref: {paths} paths x {len(policies)} policies in {wall:.2f} s "
              f"({paths / wall:,.0f} paths/s)", file=sys.stderr)
        print_table(summary, sys.stderr)


if __name__ == "__main__":
    main()
