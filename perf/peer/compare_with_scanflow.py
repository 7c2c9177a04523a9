#!/usr/bin/python3
"""Compare the numpy peer's L1 products with Scanflow's, within tolerances (not bit for bit: see scripts/compare-l1.py).

Usage: compare_with_scanflow.py SCANFLOW_DIR PEER_DIR [--ta-tol-mk 1.0] [--pwv-tol-mm 1e-4] [--rel-tol 1e-5]
                                [--truth STORE/truth.json]

Per product (matched by name):
  * the same datasets with the same shapes and dtypes, and the root attributes of formats.md on both sides;
  * /channel_flag identical; /dump_flag identical in bits 0-1 (bit 2, invalid counts, is reported apart:
    ../shared/formats.md defines it, Scanflow does not set it yet);
  * /ta_star NaN in the same places, and max |Δ| where both are finite ≤ --ta-tol-mk (also printed: the worst
    element, its value, the relative difference, and the 99.9th percentile of |Δ|);
  * pwv_mm within --pwv-tol-mm; the per-calibration arrays (T_sys, T_rx, T_cal, T_sky, τ, t, per-pixel PWV)
    printed as max relative differences and checked against --rel-tol (float32 storage: ~6e-8 is rounding).
With --truth (the truth.json of a noiseless `scanflow simulate` store) each side's T_A* is also compared with the
injected source, spatial factor × spectrum at the channel centre (Simulation/SourceTruth.cs), to tell which side
a difference comes from. Informational: not checked against a tolerance.
Exits 1 when anything is outside its tolerance.
"""
import argparse
import json
import os
import sys

import h5py
import numpy as np

REQUIRED_ROOT = ["format", "format_version", "scan_id", "band", "source", "project", "obs_mode", "lo_frequency_hz",
                 "sideband", "calibration_scan_ids", "pwv_mm", "pwv_err_mm", "atm_fit_rms_k", "atm_fit_status", "jmode",
                 "forward_efficiency", "sideband_gain_ratio", "atmosphere_model", "engine_version", "config_sha256",
                 "input_sha256", "calibration_input_sha256", "created_utc", "gain_interpolation"]
PER_CALIBRATION = ["tsys_k", "trx_k", "tcal_k", "tsky_k", "tau_signal", "tau_image", "tr_signal", "tr_image", "pwv_pixel_mm"]
EXACT = ["frequency_hz", "image_frequency_hz", "pixel_id", "mjd", "elevation_deg", "offset_arcsec"]


def datasets(f):
    found = {}
    f.visititems(lambda name, obj: found.__setitem__(name, obj) if isinstance(obj, h5py.Dataset) else None)
    return found


def max_rel(a, b):
    a, b = a.astype(np.float64), b.astype(np.float64)
    both = np.isfinite(a) & np.isfinite(b)
    if not both.any():
        return 0.0
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.abs(a[both] - b[both]) / np.maximum(np.abs(a[both]), np.abs(b[both]))
    return float(np.nanmax(rel)) if rel.size else 0.0


def truth_for(truth, scan_id):
    """(spatial factor per ON offset, spectrum per signal frequency) of a simulated science scan, or None."""
    for sci in truth.get("science", []) if truth else []:
        if sci["scan_id"] == scan_id:
            src = sci["source"]

            def spectrum(nu):
                t = np.full_like(nu, src["continuum_k"])
                for line in src["lines"]:
                    t += line["amplitude_k"] * np.exp(-4 * np.log(2) * ((nu - line["center_hz"]) / line["fwhm_hz"]) ** 2)
                return t

            def spatial(offsets):
                if src.get("source_fwhm_arcsec") is None:
                    return np.ones(offsets.shape[0])
                return np.exp(-4 * np.log(2) * (offsets ** 2).sum(axis=1) / src["source_fwhm_arcsec"] ** 2)
            return spatial, spectrum
    return None


def compare(sf_path, peer_path, args, truth=None):
    problems, notes = [], []
    with h5py.File(sf_path, "r") as s, h5py.File(peer_path, "r") as p:
        ds_s, ds_p = datasets(s), datasets(p)
        for name in sorted(set(ds_s) ^ set(ds_p)):
            problems.append(f"/{name} only in {'scanflow' if name in ds_s else 'peer'}")
        for name in sorted(set(ds_s) & set(ds_p)):
            if ds_s[name].shape != ds_p[name].shape or ds_s[name].dtype != ds_p[name].dtype:
                problems.append(f"/{name}: {ds_s[name].shape} {ds_s[name].dtype} vs {ds_p[name].shape} {ds_p[name].dtype}")
        for side, f in (("scanflow", s), ("peer", p)):
            missing = [a for a in REQUIRED_ROOT if a not in f.attrs]
            if missing:  # a layout gap, not a calibration difference: reported, not failed
                notes.append(f"LAYOUT: {side} lacks root attributes {missing} (formats.md)")
        for name in EXACT:
            if not np.array_equal(s[name][...], p[name][...]):
                problems.append(f"/{name} differs")

        cf_s, cf_p = s["channel_flag"][...], p["channel_flag"][...]
        if not np.array_equal(cf_s, cf_p):
            problems.append(f"/channel_flag differs in {int(np.count_nonzero(cf_s != cf_p))} of {cf_s.size}")
        df_s, df_p = s["dump_flag"][...], p["dump_flag"][...]
        if not np.array_equal(df_s & 3, df_p & 3):
            problems.append(f"/dump_flag bits 0-1 differ in {int(np.count_nonzero((df_s & 3) != (df_p & 3)))} of {df_s.size}")
        if (df_p & 4).any() or (df_s & 4).any():
            notes.append(f"dump_flag bit 2 (invalid counts): scanflow {int(np.count_nonzero(df_s & 4))}, peer {int(np.count_nonzero(df_p & 4))}")
        notes.append(f"flags: {int(np.count_nonzero(cf_s))} flagged channel-pixels, {int(np.count_nonzero(df_s))} flagged dump-pixels (scanflow)")

        pwv_s, pwv_p = float(s.attrs["pwv_mm"]), float(p.attrs["pwv_mm"])
        notes.append(f"PWV scanflow {pwv_s:.9f} peer {pwv_p:.9f} mm, |Δ| {abs(pwv_s - pwv_p):.2e} mm; "
                     f"status {s.attrs['atm_fit_status']}/{p.attrs['atm_fit_status']}; "
                     f"err {float(s.attrs['pwv_err_mm']):.3g}/{float(p.attrs['pwv_err_mm']):.3g} mm; "
                     f"rms {float(s.attrs['atm_fit_rms_k']):.3g}/{float(p.attrs['atm_fit_rms_k']):.3g} K")
        if not abs(pwv_s - pwv_p) <= args.pwv_tol_mm:
            problems.append(f"pwv_mm differs by {abs(pwv_s - pwv_p):.3g} mm (tolerance {args.pwv_tol_mm})")
        if s.attrs["atm_fit_status"] != p.attrs["atm_fit_status"]:
            problems.append("atm_fit_status differs")

        rels = []
        for name in PER_CALIBRATION:
            r = max_rel(s[name][...], p[name][...])
            rels.append(f"{name} {r:.1e}")
            if r > args.rel_tol:
                problems.append(f"/{name}: max relative difference {r:.3g} > {args.rel_tol}")
        notes.append("max rel. diff: " + ", ".join(rels))

        # /ta_star block by block along the dumps: NaN pattern, then |Δ| where both are finite.
        ta_s, ta_p = s["ta_star"], p["ta_star"]
        step = max(1, (64 << 20) // max(1, int(np.prod(ta_s.shape[1:])) * 4))
        worst, worst_at, worst_vals, nan_mismatch, finite_n, hist = 0.0, None, None, 0, 0, []
        model = truth_for(truth, int(s.attrs["scan_id"]))
        if model:
            spatial, spectrum = model
            expected_spatial = spatial(s["offset_arcsec"][...])
            expected_spectrum = spectrum(s["frequency_hz"][...])
        vs_truth = {"scanflow": 0.0, "peer": 0.0}
        for start in range(0, ta_s.shape[0], step):
            a = ta_s[start:start + step].astype(np.float64)
            b = ta_p[start:start + step].astype(np.float64)
            nan_mismatch += int(np.count_nonzero(np.isnan(a) != np.isnan(b)))
            both = np.isfinite(a) & np.isfinite(b)
            d = np.where(both, np.abs(a - b), 0.0)
            finite_n += int(both.sum())
            hist.append(d[both])
            if model:
                expected = expected_spatial[start:start + step, None, None] * expected_spectrum[None, None, :]
                for side, x in (("scanflow", a), ("peer", b)):
                    vs_truth[side] = max(vs_truth[side], float(np.max(np.where(both, np.abs(x - expected), 0.0))))
            i = int(np.argmax(d))
            if d.flat[i] > worst:
                worst = float(d.flat[i])
                idx = np.unravel_index(i, d.shape)
                worst_at = (idx[0] + start, int(idx[1]), int(idx[2]))
                worst_vals = (float(a[idx]), float(b[idx]))
        if nan_mismatch:
            problems.append(f"/ta_star: NaN in different places ({nan_mismatch} elements)")
        diffs = np.concatenate(hist) if hist else np.zeros(0)
        p999 = float(np.percentile(diffs, 99.9)) if diffs.size else 0.0
        rms = float(np.sqrt(np.mean(diffs ** 2))) if diffs.size else 0.0
        if worst_at is not None:
            rel = worst / max(abs(worst_vals[0]), 1e-30)
            notes.append(f"T_A*: {finite_n} finite values, max |Δ| {worst * 1e3:.4f} mK at (dump, pixel, channel) {worst_at} "
                         f"(scanflow {worst_vals[0]:.6f} K, peer {worst_vals[1]:.6f} K, rel {rel:.1e}); "
                         f"99.9 % |Δ| ≤ {p999 * 1e3:.4f} mK, rms {rms * 1e3:.4f} mK")
        if model:
            notes.append(f"T_A* vs injected truth: max |Δ| scanflow {vs_truth['scanflow'] * 1e3:.4f} mK, peer {vs_truth['peer'] * 1e3:.4f} mK")
        if worst * 1e3 > args.ta_tol_mk:
            problems.append(f"/ta_star: max |Δ| {worst * 1e3:.3f} mK > {args.ta_tol_mk} mK")
    return problems, notes, worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scanflow_dir")
    parser.add_argument("peer_dir")
    parser.add_argument("--ta-tol-mk", type=float, default=1.0)
    parser.add_argument("--pwv-tol-mm", type=float, default=1e-4)
    parser.add_argument("--rel-tol", type=float, default=1e-5)
    parser.add_argument("--truth", help="truth.json of a noiseless simulated store: also compare each side with it")
    args = parser.parse_args()
    names_s = {n for n in os.listdir(args.scanflow_dir) if n.endswith(".l1.h5")}
    names_p = {n for n in os.listdir(args.peer_dir) if n.endswith(".l1.h5")}
    truth = None
    if args.truth:
        with open(args.truth) as f:
            truth = json.load(f)
    bad, overall = 0, 0.0
    for name in sorted(names_s | names_p):
        if name not in names_s or name not in names_p:
            print(f"{name}: only in {'scanflow' if name in names_s else 'peer'}")
            bad += 1
            continue
        problems, notes, worst = compare(os.path.join(args.scanflow_dir, name), os.path.join(args.peer_dir, name), args, truth)
        overall = max(overall, worst)
        print(f"{name}: {'OK' if not problems else 'OUTSIDE TOLERANCE'}")
        for line in notes:
            print(f"    {line}")
        for line in problems:
            print(f"  ! {line}")
        bad += bool(problems)
    print(f"{len(names_s | names_p) - bad} within tolerance, {bad} not; max |ΔT_A*| over all {overall * 1e3:.4f} mK")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
