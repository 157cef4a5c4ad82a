#!/usr/bin/python3
"""Numba reference implementation of docs/model.md (spec v1): the compiled speed peer.

A third implementation of the basis-trade fire-sale model, written the way a researcher
who cares about speed writes it in Python: one compiled kernel (@numba.njit(parallel=True))
that runs the Monte Carlo paths in parallel with numba.prange, each path scalar, day by
day in the step order of docs/model.md section 6, every policy from day 0 on the path's shocks
(section 2: common random numbers). It writes per-path outputs only (the section 7
metrics, one array per policy and metric); no bands, files or figures. The summary
(mean, sd, quantiles) is computed afterwards with NumPy and timed separately.

It shares no code and no random stream with the Go simulator in sim/ or with
bench/numpy_ref.py (only the config reader, load_config, and the defaults come from
numpy_ref.py): path i draws from its own SplitMix64 stream seeded by (seed, i), with
normal variates by Marsaglia's polar method, so the draws do not depend on the number of
threads, and a run is reproducible from its seed. bench/crosscheck_test.go compares its
means with the Go simulator's; bench/compare.sh times it against the Go binary and NumPy.

Where the spec leaves a choice open it follows the readings of docs/model.md, like
numpy_ref.py (end-of-day basis in outputs, b_{-1} = b_0, a defaulted fund's equity frozen
and counted as 0, liquidation of min(B_j, B_at_default / L_days) a day, funds.forced_sales,
cb_pnl_bn for spv the central bank's share after the first-loss equity).

Usage:
  /usr/bin/python3 bench/numba_ref.py --paths 100000 --seed 1 [--policies none,qe,spv]
      [--threads N] [--json OUT] [--config FILE] [--quiet]

Compiled kernels are cached (numba's cache=True) in NUMBA_CACHE_DIR when it is set, else
in bench/__pycache__. Output: JSON (stdout, or OUT) in numpy_ref.py's shape, plus the
kernel's own wall and CPU time ("kernel_seconds", "kernel_cpu_seconds"), the time to
compile or load it ("compile_seconds") and the thread count.
"""

import argparse
import json
import math
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True  # importing numpy_ref leaves no __pycache__ in the source tree
import numba  # noqa: E402
from numba import njit, prange  # noqa: E402

from numpy_ref import (DEFAULTS, METRICS, POLICIES, POSITION_CUT_DAY, QUANTILES,  # noqa: E402
                       load_config, print_table)

# Indices of the parameter vector the kernel reads (pack_params builds it).
(P_DAYS, P_SIGMA_BAR, P_PHI, P_ETA, P_MU_J, P_S_J, P_RHO_F, P_BETA_F, P_P_F, P_M_F, P_OMEGA,
 P_NF, P_B0, P_U_LO, P_U_HI, P_H0, P_KAPPA_H, P_M0, P_GAMMA_M, P_D_B, P_ALPHA, P_V, P_THETA,
 P_THETA_UP, P_L_DAYS, P_CARRY, P_SPREAD0, P_KAPPA_S, P_REFERENCE,
 P_K0, P_KAPPA_K, P_LAMBDA0, P_U_MIN, P_W_C, P_W_F, P_K, P_B_FLOOR, P_B_INIT, P_B_DYS, P_DELTA,
 P_QE_TRIGGER, P_QE_WEEKLY, P_QE_QMAX, P_QE_DQ,
 P_SPV_TRIGGER, P_SPV_TEXP, P_SPV_CAPACITY, P_SPV_DISCOUNT, P_SPV_EQUITY, N_PARAMS) = range(50)

POLICY_CODE = {"none": 0, "qe": 1, "spv": 2}
N_METRICS = len(METRICS)
BLOCK = 64  # paths per prange iteration: scratch arrays are allocated once per block

# Metric indices, in METRICS order.
(M_JUMP, M_PEAK_VOL, M_PEAK_F, M_PEAK_BASIS, M_AUC, M_DYS, M_FORCED, M_SALES, M_EQ_MIN,
 M_LOSS, M_DEFAULTED, M_HOLDINGS, M_DV01, M_PNL, M_CLOSED, M_UTIL, M_OTHER_SALES,
 M_POSITION_CUT) = range(18)
assert N_METRICS == 18, "numpy_ref.METRICS changed: update the metric indices"


def pack_params(p):
    """The scenario p (numpy_ref.load_config's dict) as the kernel's float64 vector."""
    s, f, mk, qe, spv = p["shocks"], p["funds"], p["market"], p["qe"], p["spv"]
    v = np.zeros(N_PARAMS)
    v[P_DAYS] = p["days"]
    for idx, key in ((P_SIGMA_BAR, "sigma_bar"), (P_PHI, "phi"), (P_ETA, "eta"), (P_MU_J, "mu_j"),
                     (P_S_J, "s_j"), (P_RHO_F, "rho_f"), (P_BETA_F, "beta_f"), (P_P_F, "p_f"),
                     (P_M_F, "m_f"), (P_OMEGA, "omega")):
        v[idx] = s[key]
    for idx, key in ((P_NF, "n_funds"), (P_B0, "b0"), (P_U_LO, "u_lo"), (P_U_HI, "u_hi"),
                     (P_H0, "h0"), (P_KAPPA_H, "kappa_h"), (P_M0, "m0"), (P_GAMMA_M, "gamma_m"),
                     (P_D_B, "d_b"), (P_ALPHA, "alpha"), (P_V, "v"), (P_THETA, "theta"),
                     (P_THETA_UP, "theta_up"), (P_L_DAYS, "l_days"), (P_CARRY, "carry"),
                     (P_SPREAD0, "spread0"), (P_KAPPA_S, "kappa_s")):
        v[idx] = f[key]
    v[P_REFERENCE] = 1.0 if f["forced_sales"] == "reference" else 0.0
    for idx, key in ((P_K0, "k0"), (P_KAPPA_K, "kappa_k"), (P_LAMBDA0, "lambda0"), (P_U_MIN, "u_min"),
                     (P_W_C, "w_c"), (P_W_F, "w_f"), (P_K, "k"), (P_B_FLOOR, "b_floor"),
                     (P_B_INIT, "b_init"), (P_B_DYS, "b_dys"), (P_DELTA, "delta")):
        v[idx] = mk[key]
    v[P_QE_TRIGGER], v[P_QE_WEEKLY], v[P_QE_QMAX], v[P_QE_DQ] = qe["trigger"], qe["weekly"], qe["q_max"], qe["d_q"]
    v[P_SPV_TRIGGER], v[P_SPV_TEXP] = spv["trigger"], spv["t_exp"]
    v[P_SPV_CAPACITY], v[P_SPV_DISCOUNT] = spv["capacity"], spv["discount"]
    v[P_SPV_EQUITY] = spv["equity"]
    return v


# ---------------------------------------------------------------------------------------
# Random draws: a SplitMix64 stream per path (Steele, Lea and Flood 2014).
# ---------------------------------------------------------------------------------------
GOLDEN = np.uint64(0x9E3779B97F4A7C15)
MIX1 = np.uint64(0xBF58476D1CE4E5B9)
MIX2 = np.uint64(0x94D049BB133111EB)
SALT = np.uint64(0x6E756D6261726566)  # "numbaref": keeps this stream apart from sim/'s seeding
S30, S27, S31, S11 = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(11)
TWO_M53 = 1.0 / 9007199254740992.0


@njit(inline="always")
def _mix(z):
    z = (z ^ (z >> S30)) * MIX1
    z = (z ^ (z >> S27)) * MIX2
    return z ^ (z >> S31)


@njit(inline="always")
def _uniform(state):
    """A uniform double in [0, 1) and the advanced state."""
    state = state + GOLDEN
    return float(_mix(state) >> S11) * TWO_M53, state


@njit(inline="always")
def _normal_pair(state):
    """Two independent N(0, 1) variates (Marsaglia's polar method) and the advanced state."""
    while True:
        u, state = _uniform(state)
        w, state = _uniform(state)
        x = 2.0 * u - 1.0
        y = 2.0 * w - 1.0
        r2 = x * x + y * y
        if 0.0 < r2 < 1.0:
            k = math.sqrt(-2.0 * math.log(r2) / r2)
            return x * k, y * k, state


@njit(cache=True)
def _draw(state, prm, sigma, F, dy, noise, margin):
    """Section 2: one path's shocks into the day arrays; returns J and the advanced state."""
    T = sigma.shape[0]
    log_bar = math.log(prm[P_SIGMA_BAR])
    a, spare, state = _normal_pair(state)
    jump = prm[P_MU_J] + prm[P_S_J] * a
    log_sigma = log_bar + jump
    f = 0.0
    have_spare = True
    for t in range(T):
        excess = log_sigma - log_bar
        sig = math.exp(log_sigma)
        sigma[t] = sig
        F[t] = f
        margin[t] = prm[P_M0] * math.exp(prm[P_GAMMA_M] * excess)
        z, eb, state = _normal_pair(state)
        dy[t] = sig * z
        noise[t] = prm[P_OMEGA] * sig * eb
        if t == T - 1:
            break
        if have_spare:
            e = spare
            have_spare = False
        else:
            e, spare, state = _normal_pair(state)
            have_spare = True
        log_sigma = log_bar + prm[P_PHI] * excess + prm[P_ETA] * e
        f = prm[P_RHO_F] * f + prm[P_BETA_F] * max(0.0, excess)
        u, state = _uniform(state)
        if u < prm[P_P_F]:
            g, state = _uniform(state)
            f += prm[P_M_F] * -math.log(1.0 - g)  # Exponential(mean m_F)
    return jump, state


# ---------------------------------------------------------------------------------------
# Sections 3 to 6: one policy over one path, day by day.
# ---------------------------------------------------------------------------------------
@njit(cache=True)
def _simulate(policy, prm, sigma, F, dy, noise, margin, inv_buffer, start_e,
              B, E, alive, B_def, S_j, R_j, vol_j, out, k, i):
    """Run policy (0 none, 1 qe, 2 spv) on one path's shocks; write its metrics to out[k, :, i]."""
    T = sigma.shape[0]
    nf = B.shape[0]
    B_start = prm[P_B0] / nf
    theta, theta_up, l_days = prm[P_THETA], prm[P_THETA_UP], prm[P_L_DAYS]
    risk_const = 1e4 * prm[P_V] / (prm[P_D_B] * prm[P_ALPHA])
    reference = prm[P_REFERENCE] != 0.0
    d_b = prm[P_D_B]
    equity0 = 0.0
    for j in range(nf):
        B[j] = B_start
        E[j] = start_e[j]
        alive[j] = True
        B_def[j] = 0.0
        equity0 += start_e[j]
    n_def = 0
    b = prm[P_B_INIT]
    b_prev = b
    inventory = 0.0
    holdings = 0.0
    spv_cost = 0.0
    cb_pnl = 0.0
    closed_day = -1.0
    peak_basis = -np.inf
    auc = 0.0
    dys_days = 0.0
    forced_total = 0.0
    sales_total = 0.0
    equity_min = np.inf
    peak_holdings = 0.0
    peak_dv01 = 0.0
    peak_util = 0.0
    position_cut = 0.0
    cut_day = min(POSITION_CUT_DAY, T - 1)
    equity = equity0
    for t in range(T):
        Ft = F[t]
        # Step 1: r_t, sb_t; every fund's S_j and R_j.
        r = prm[P_H0] + prm[P_KAPPA_H] * Ft + margin[t]
        sb = prm[P_OMEGA] * sigma[t] + abs(b - b_prev)
        risk = risk_const / sb
        may_reenter = b <= prm[P_B_DYS]
        S = 0.0
        R = 0.0
        forced = 0.0
        for j in range(nf):
            Bj = B[j]
            if alive[j]:
                e = E[j]
                cap = e / r
                target = min(min(cap * inv_buffer[j], risk * e), B_start)
                fl = max(0.0, Bj - cap)
                vol = theta * max(0.0, min(Bj, cap) - target)
                re = theta_up * max(0.0, target - Bj) if may_reenter else 0.0
                s = fl + vol
                forced += fl
            else:
                s = min(Bj, B_def[j] / l_days)
                vol = 0.0
                re = 0.0
                forced += s
            S_j[j] = s
            R_j[j] = re
            vol_j[j] = vol
            S += s
            R += re

        # Step 2: the policy's absorption; net flows.
        P = 0.0
        A = 0.0
        if policy == 1:
            if b > prm[P_QE_TRIGGER]:
                P = max(0.0, min(S, min(prm[P_QE_WEEKLY] / 5.0, prm[P_QE_QMAX] - holdings)))
        elif policy == 2:
            if t < prm[P_SPV_TEXP] and b > prm[P_SPV_TRIGGER]:
                A = max(0.0, min(S, prm[P_SPV_CAPACITY] - holdings))
        net = S - R
        Xc = net - P - A
        Xf = net - A

        # Step 3: K_t, lambda_t, push, b_{t+1}, I_{t+1}, c_t.
        K = prm[P_K0] / (1.0 + prm[P_KAPPA_K] * Ft)
        lam = prm[P_LAMBDA0] / max(prm[P_U_MIN], 1.0 - inventory / K)
        push = lam * (prm[P_W_C] * Xc + prm[P_W_F] * Xf)
        b_next = max(prm[P_B_FLOOR], (1.0 - prm[P_K]) * b + push + noise[t])
        inventory_next = max(0.0, (1.0 - prm[P_DELTA]) * inventory + Xc)
        concession = max(push, 0.0) / 2.0

        # Step 4: trades, mark to market, cost of sales, carry; new defaults.
        to_spv = A / S if S > 0.0 else 0.0
        cost_per_sale = d_b * ((1.0 - to_spv) * concession + to_spv * prm[P_SPV_DISCOUNT]) / 1e4
        carry = (prm[P_CARRY] - (prm[P_SPREAD0] + prm[P_KAPPA_S] * Ft)) / (252.0 * 1e4)
        mark = d_b * (b_next - b) / 1e4
        equity = 0.0
        held = 0.0  # every fund's position, defaulted ones included
        for j in range(nf):
            before = B[j]
            Bj = max(0.0, before - S_j[j] + R_j[j])
            B[j] = Bj
            held += Bj
            if not alive[j]:
                continue
            e = E[j] - mark * Bj - cost_per_sale * S_j[j] + carry * before
            E[j] = e
            if e <= 0.0:
                alive[j] = False
                B_def[j] = Bj
                n_def += 1
                if reference:  # the default day's voluntary sales count as forced too
                    forced += vol_j[j]
            else:
                equity += e

        # Step 5: the central bank's books.
        dv01 = 0.0
        if policy == 1:
            holdings += P
            cb_pnl -= prm[P_QE_DQ] * holdings * dy[t] / 1e4
            dv01 = prm[P_QE_DQ] * holdings * 1e-4
        elif policy == 2:
            holdings += A
            spv_cost += A * (b + prm[P_SPV_DISCOUNT])
            if t == prm[P_SPV_TEXP] and holdings > 0.0:
                gain = d_b * spv_cost / 1e4  # the vehicle's; the central bank's share (docs/model.md):
                eq = prm[P_SPV_EQUITY]        # pro rata on a gain, beyond eq M on a loss
                cb_pnl = (1.0 - eq) * gain if gain >= 0.0 else min(0.0, gain + eq * holdings)
                closed_day = float(t)
                holdings = 0.0

        # Step 6: record the day.
        peak_basis = max(peak_basis, b_next)
        auc += max(b_next, 0.0)
        if b_next > prm[P_B_DYS]:
            dys_days += 1.0
        forced_total += forced
        sales_total += S
        equity_min = min(equity_min, equity)
        peak_holdings = max(peak_holdings, holdings)
        peak_dv01 = max(peak_dv01, dv01)
        peak_util = max(peak_util, inventory_next / K)
        if t == cut_day:
            position_cut = 1.0 - held / (B_start * nf)
        b_prev = b
        b = b_next
        inventory = inventory_next

    peak_vol = 0.0
    peak_f = 0.0
    for t in range(T):
        peak_vol = max(peak_vol, sigma[t])
        peak_f = max(peak_f, F[t])
    out[k, M_PEAK_VOL, i] = peak_vol
    out[k, M_PEAK_F, i] = peak_f
    out[k, M_PEAK_BASIS, i] = peak_basis
    out[k, M_AUC, i] = auc
    out[k, M_DYS, i] = dys_days
    out[k, M_FORCED, i] = forced_total
    out[k, M_SALES, i] = sales_total
    out[k, M_EQ_MIN, i] = equity_min
    out[k, M_LOSS, i] = equity0 - equity
    out[k, M_DEFAULTED, i] = n_def
    out[k, M_HOLDINGS, i] = peak_holdings
    out[k, M_DV01, i] = peak_dv01
    out[k, M_PNL, i] = cb_pnl
    out[k, M_CLOSED, i] = closed_day
    out[k, M_UTIL, i] = peak_util
    out[k, M_OTHER_SALES, i] = 0.0  # no other sellers in the spec
    out[k, M_POSITION_CUT, i] = position_cut


@njit(parallel=True, cache=True)
def simulate_paths(prm, policies, seed, n):
    """Paths 0..n-1 under every policy code in policies: out[k, metric, path]."""
    T = int(prm[P_DAYS])
    nf = int(prm[P_NF])
    n_pol = policies.shape[0]
    out = np.empty((n_pol, N_METRICS, n))
    # Section 3's per-fund constants.
    inv_buffer = np.empty(nf)
    start_e = np.empty(nf)
    r0 = prm[P_H0] + prm[P_M0]
    for j in range(nf):
        u = prm[P_U_LO]
        if nf > 1:
            u = prm[P_U_LO] + (prm[P_U_HI] - prm[P_U_LO]) * j / (nf - 1)
        inv_buffer[j] = 1.0 / (1.0 + u)
        start_e[j] = prm[P_B0] / nf * r0 * (1.0 + u)
    seed_mix = _mix(np.uint64(seed) ^ SALT)
    n_blocks = (n + BLOCK - 1) // BLOCK
    for blk in prange(n_blocks):
        sigma = np.empty(T)
        F = np.empty(T)
        dy = np.empty(T)
        noise = np.empty(T)
        margin = np.empty(T)
        B = np.empty(nf)
        E = np.empty(nf)
        alive = np.empty(nf, dtype=np.bool_)
        B_def = np.empty(nf)
        S_j = np.empty(nf)
        R_j = np.empty(nf)
        vol_j = np.empty(nf)
        for i in range(blk * BLOCK, min(n, (blk + 1) * BLOCK)):
            state = _mix(seed_mix ^ _mix(np.uint64(i)))
            jump, state = _draw(state, prm, sigma, F, dy, noise, margin)
            for k in range(n_pol):
                out[k, M_JUMP, i] = jump
                _simulate(policies[k], prm, sigma, F, dy, noise, margin, inv_buffer, start_e,
                          B, E, alive, B_def, S_j, R_j, vol_j, out, k, i)
    return out


# ---------------------------------------------------------------------------------------
# Driver.
# ---------------------------------------------------------------------------------------
def summarize(out, policies):
    """numpy_ref.py's summary: mean, sd, n and inverted-CDF quantiles per policy and metric."""
    summary = {}
    for k, pol in enumerate(policies):
        summary[pol] = {}
        for m, name in enumerate(METRICS):
            x = out[k, m]
            row = {"mean": float(x.mean()), "sd": float(x.std(ddof=1)) if x.size > 1 else 0.0,
                   "n": int(x.size)}
            qs = np.quantile(x, list(QUANTILES.values()), method="inverted_cdf")
            for qname, q in zip(QUANTILES, qs):
                row[qname] = float(q)
            summary[pol][name] = row
    return summary


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--paths", type=int, default=None, help="Monte Carlo paths (default: the config's)")
    ap.add_argument("--seed", type=int, default=None, help="seed of the per-path streams")
    ap.add_argument("--policies", default=None, help="comma-separated, from none,qe,spv")
    ap.add_argument("--threads", type=int, default=None, help="numba threads (default: all cores)")
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
    if paths < 1:
        ap.error("--paths must be at least 1")
    if seed < 0 or seed >= 2**64:
        ap.error("--seed must be in [0, 2^64)")
    if a.threads is not None:
        if not 1 <= a.threads <= numba.config.NUMBA_NUM_THREADS:
            ap.error(f"--threads must be in [1, {numba.config.NUMBA_NUM_THREADS}]")
        numba.set_num_threads(a.threads)

    prm = pack_params(p)
    codes = np.array([POLICY_CODE[x] for x in policies], dtype=np.int64)
    start = time.perf_counter()
    simulate_paths(prm, codes, seed, 1)  # compiles, or loads the cached machine code
    compile_seconds = time.perf_counter() - start
    start, cpu0 = time.perf_counter(), time.process_time()
    out = simulate_paths(prm, codes, seed, paths)
    kernel_seconds = time.perf_counter() - start
    kernel_cpu_seconds = time.process_time() - cpu0  # every thread's CPU time
    summary = summarize(out, policies)
    wall = time.perf_counter() - start

    doc = {
        "implementation": "bench/numba_ref.py",
        "numba": numba.__version__,
        "numpy": np.__version__,
        "threads": numba.get_num_threads(),
        "paths": paths,
        "seed": seed,
        "days": p["days"],
        "policies": policies,
        "compile_seconds": compile_seconds,
        "kernel_seconds": kernel_seconds,
        "kernel_cpu_seconds": kernel_cpu_seconds,
        "wall_seconds": wall,
        "paths_per_second": paths / kernel_seconds,
        "metrics": summary,
    }
    text = json.dumps(doc, indent=1)
    if a.json:
        with open(a.json, "w") as fh:
            fh.write(text + "\n")
    else:
        print(text)
    if not a.quiet:
        print(f"numba_ref: {paths} paths x {len(policies)} policies: kernel {kernel_seconds:.2f} s "
              f"({paths / kernel_seconds:,.0f} paths/s, {numba.get_num_threads()} threads), "
              f"with summary {wall:.2f} s; compile or cache load {compile_seconds:.2f} s", file=sys.stderr)
        print_table(summary, sys.stderr)


if __name__ == "__main__":
    main()
