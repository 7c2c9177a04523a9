#!/usr/bin/python3
"""The peer baseline of issue 11: the calibration a scientist would write with numpy + h5py.

Usage: calibrate_numpy.py STORE OUTDIR [--max-calibration-age-minutes 30] [--jmode planck] [--checksums]

Does what `scanflow calibrate STORE --output OUTDIR` does to the science data, per ../shared/calibration.md
(§1, §2, §7) and the L1 layout of ../shared/formats.md, in one process, float64 throughout:
  * pairs each science scan with a calibration scan (§7.6: same band, sideband, LO ±1 kHz; the latest one that
    started at or before it, else the first after it, within the maximum age; Scanflow's default is 30 min);
  * per calibration: load averages, Y, T_rx, G, T_sky_meas, flags (§7.4), the PWV fit (§7.5, bounded Brent);
  * per science scan: τ/t at the mean ON airmass, T_sys, T_cal, OFF references (§7.2), T_A* per ON dump (§1.6
    primary form, §7.3 airmass rule, NaN where flagged);
  * one L1 file per science scan, written under <name>.tmp, fsynced, renamed (what Scanflow's L1Writer does).

Whole datasets are read with ds[...]; T_A* is computed and written one L1 chunk of dumps at a time (≈4 MiB of
float32), so the float64 temporaries stay small instead of several float64 copies of the whole scan.
Checksums: Scanflow records SHA-256 of the science and calibration inputs; here they are computed only with
--checksums (hashlib reads each file again, ~0.5 GB/s on this machine: not cheap), else the attributes are "".
Needs only numpy and h5py (Debian python3-numpy/python3-h5py); scipy is not used (a small Brent is below).
"""
import argparse
import datetime
import hashlib
import json
import math
import os
import sys
import warnings

import h5py
import numpy as np

H_PLANCK = 6.62607015e-34
K_BOLTZMANN = 1.380649e-23
T_CMB = 2.725

# calibration.md §2.2: line centres (GHz) and effective strengths (GHz·Np, per mm PWV for water).
WATER_LINES = np.array([183.310, 325.153, 380.197, 448.001, 474.689, 488.491, 556.936, 620.701, 752.033,
                        916.172, 970.315, 987.927, 1097.365, 1113.343, 1162.912, 1207.639, 1228.789])
WATER_STRENGTH = np.array([156, 130, 313, 78, 26, 5, 4172, 52, 4172, 313, 313, 3129, 5215, 4172, 4172, 1043, 2086.0])
DRY_LINES = np.array([118.750, 368.498, 424.763, 487.249, 715.393, 773.840, 834.146])
DRY_STRENGTH = np.array([0.25, 0.10, 0.30, 0.25, 0.25, 0.35, 0.30])
GAMMA_WATER, GAMMA_DRY, C_WATER, C_DRY = 1.6, 1.2, 0.85, 0.06

# §7.4 / §7.5 thresholds.
MIN_Y, MAX_TRX_OVER_MEDIAN, MAX_BAD_FRACTION, CORE_T = 1.02, 5.0, 0.5, 0.05
LOW_ELEVATION_DEG, AIRMASS_TOLERANCE = 15.0, 0.01
PWV_BOUNDS, PWV_TOL, MAX_BINS, CLIP, MAX_RMS_K, MIN_BINS = (0.01, 5.0), 1e-6, 256, 5.0, 10.0, 10
LO_TOLERANCE_HZ = 1e3
L1_CHUNK_BYTES = 4 << 20     # formats: /ta_star chunk = clamp(4 MiB / dump bytes, 1, n_on) dumps


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def radiation(nu_hz, temperature_k, jmode):
    """J(ν, T) of §1.1 (expm1 keeps it exact when hν ≪ kT)."""
    if jmode == "rj":
        return np.full_like(nu_hz, temperature_k, dtype=np.float64)
    x = H_PLANCK * nu_hz / K_BOLTZMANN
    j = x / np.expm1(x / temperature_k)
    return j + 0.5 * x if jmode == "callen_welton" else j


def line_sum(ghz, lines, strengths, gamma):
    """Σ S·F(ν; ν0, γ) with the Van Vleck–Weisskopf profile of §2.1."""
    g = ghz[:, None]
    f = (g / lines) ** 2 * (gamma / math.pi) * (1 / ((g - lines) ** 2 + gamma ** 2) + 1 / ((g + lines) ** 2 + gamma ** 2))
    return f @ strengths


def opacity_terms(nu_hz):
    """τ_z(ν, PWV) = dry + PWV·wet (§2.1); returns (dry, wet) per channel."""
    ghz = nu_hz / 1e9
    dry = line_sum(ghz, DRY_LINES, DRY_STRENGTH, GAMMA_DRY) + C_DRY * (ghz / 1000) ** 2
    wet = line_sum(ghz, WATER_LINES, WATER_STRENGTH, GAMMA_WATER) + C_WATER * (ghz / 1000) ** 2
    return dry, wet


def brent(f, a, b, xtol):
    """Bounded Brent minimisation (the fminbound algorithm); scipy is not installed here."""
    golden = 0.5 * (3.0 - math.sqrt(5.0))
    x = w = v = a + golden * (b - a)
    fx = fw = fv = f(x)
    d = e = 0.0
    for _ in range(500):
        xm = 0.5 * (a + b)
        tol1 = xtol / 3.0 + 2.0 * abs(math.nextafter(abs(x), math.inf) - abs(x))
        tol2 = 2.0 * tol1
        if abs(x - xm) <= tol2 - 0.5 * (b - a):
            break
        golden_step = True
        if abs(e) > tol1:  # try a parabola through (v, w, x)
            r = (x - w) * (fx - fv)
            q = (x - v) * (fx - fw)
            p = (x - v) * q - (x - w) * r
            q = 2.0 * (q - r)
            if q > 0:
                p = -p
            q = abs(q)
            previous, e = e, d
            if abs(p) < abs(0.5 * q * previous) and q * (a - x) < p < q * (b - x):
                d = p / q
                if (x + d) - a < tol2 or b - (x + d) < tol2:
                    d = tol1 if xm >= x else -tol1
                golden_step = False
        if golden_step:
            e = (a - x) if x >= xm else (b - x)
            d = golden * e
        u = x + d if abs(d) >= tol1 else x + (tol1 if d >= 0 else -tol1)
        fu = f(u)
        if fu <= fx:
            if u >= x:
                a = x
            else:
                b = x
            v, fv, w, fw, x, fx = w, fw, x, fx, u, fu
        else:
            if u < x:
                a = u
            else:
                b = u
            if fu <= fw or w == x:
                v, fv, w, fw = w, fw, u, fu
            elif fu <= fv or v == x or v == w:
                v, fv = u, fu
    return x


class Axis:
    """Signal and image frequencies of a setup (§1.1, §7.7) and the sky model that depends on them."""

    def __init__(self, attrs, if_hz, jmode):
        lo = float(attrs["lo_frequency_hz"])
        self.nu_s = lo + if_hz if text(attrs["sideband"]) == "USB" else lo - if_hz
        self.nu_i = 2 * lo - self.nu_s
        ratio = float(attrs["sideband_gain_ratio"])
        self.gs, self.gi = 1 / (1 + ratio), ratio / (1 + ratio)
        self.eta = float(attrs["forward_efficiency"])
        self.t_amb = float(attrs["t_amb_k"])
        self.t_atm = self.t_amb - 10.0          # §2.3 single slab, T_atm = T_amb − 10 K
        self.jmode = jmode
        self.dry_s, self.wet_s = opacity_terms(self.nu_s)
        self.dry_i, self.wet_i = opacity_terms(self.nu_i)
        # Per-sideband radiation terms that do not depend on PWV, precomputed once for the fit.
        self.sky_terms = [(radiation(nu, self.t_atm, jmode), radiation(nu, T_CMB, jmode), radiation(nu, self.t_amb, jmode))
                          for nu in (self.nu_s, self.nu_i)]

    def load(self, temperature_k):
        return self.gs * radiation(self.nu_s, temperature_k, self.jmode) + self.gi * radiation(self.nu_i, temperature_k, self.jmode)

    def tau(self, pwv):
        return self.dry_s + pwv * self.wet_s, self.dry_i + pwv * self.wet_i

    def sky_model(self, pwv, airmass):
        """T_sky_model of §1.4 per channel."""
        total = 0.0
        for g, (dry, wet), (j_atm, j_cmb, j_amb) in zip((self.gs, self.gi), ((self.dry_s, self.wet_s), (self.dry_i, self.wet_i)),
                                                       self.sky_terms):
            t = np.exp(-(dry + pwv * wet) * airmass)
            total = total + g * (self.eta * (j_atm * (1 - t) + j_cmb * t) + (1 - self.eta) * j_amb)
        return total


class Calibration:
    """One calibration scan solved: §1.2, §1.3, §7.4 flags and the §7.5 PWV fit."""

    def __init__(self, path, jmode):
        self.path = path
        with h5py.File(path, "r") as f:
            a = dict(f.attrs)
            self.attrs = a
            self.if_hz = f["if_frequency_hz"][...].astype(np.float64)
            # Averages over dumps in float64 (§7.1).
            self.hot = f["hot/counts"][...].mean(axis=0, dtype=np.float64)
            self.cold = f["cold/counts"][...].mean(axis=0, dtype=np.float64)
            self.sky = f["sky/counts"][...].mean(axis=0, dtype=np.float64)
            sky_seconds = f["sky/mjd"].shape[0] * float(f["sky"].attrs["integration_s"])
        self.scan_id = int(a["scan_id"])
        self.axis = Axis(a, self.if_hz, jmode)
        self.j_hot = self.axis.load(float(a["t_hot_k"]))
        self.j_cold = self.axis.load(float(a["t_cold_k"]))
        with np.errstate(divide="ignore", invalid="ignore"):
            y = self.hot / self.cold
            self.trx = (self.j_hot - y * self.j_cold) / (y - 1)
            gain = (self.hot - self.cold) / (self.j_hot - self.j_cold)
            self.tsky = self.j_hot - (self.hot - self.sky) / gain
        # §7.4 bit 0: Y ≤ 1.02, T_rx < 0, T_rx > 5 × the per-channel median over pixels, any non-finite value.
        finite = np.isfinite(self.hot) & np.isfinite(self.cold) & np.isfinite(self.sky) & np.isfinite(y) \
            & np.isfinite(self.trx) & np.isfinite(gain) & np.isfinite(self.tsky)
        trx_finite = np.where(np.isfinite(self.trx), self.trx, np.nan)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # all-NaN channel: no bound, the channel is flagged as non-finite anyway
            # np.nanmedian is slow (masked sort) on [64, 65536]: only when some T_rx is not finite.
            median = np.median(self.trx, axis=0) if finite.all() else np.nanmedian(trx_finite, axis=0)
            limit = MAX_TRX_OVER_MEDIAN * median
            bad = ~finite | (y <= MIN_Y) | (self.trx < 0) | (self.trx > limit)
        self.flags = bad.astype(np.uint8)
        # Bit 1: a pixel with more than half its channels bad is bad on every channel.
        self.bad_pixel = bad.sum(axis=1) > MAX_BAD_FRACTION * bad.shape[1]
        self.flags[self.bad_pixel] |= 2
        enbw = float(a["channel_enbw_hz"]) if "channel_enbw_hz" in a else 0.96 * np.median(np.abs(np.diff(self.if_hz)))
        self.radiometer = math.sqrt(enbw * sky_seconds)
        self.fit_pwv()

    def fit_pwv(self):
        """§7.5: bins of unflagged channels, three passes of bounded Brent, per-pixel PWV, error and status."""
        axis, channels = self.axis, self.if_hz.size
        airmass = 1 / math.sin(math.radians(float(self.attrs["elevation_deg"])))   # §7.3: the calibration's elevation
        nb = min(MAX_BINS, channels)
        edges = np.round(np.linspace(0, channels, nb + 1)).astype(np.int64)
        starts = edges[:-1]
        good = (self.flags == 0) & ~self.bad_pixel[:, None]
        mask = good.astype(np.float64)
        count = np.add.reduceat(mask, starts, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            data = np.add.reduceat(np.where(good, self.tsky, 0.0), starts, axis=1) / count
            sigma_k = (self.trx + self.tsky) / self.radiometer
            sigma = np.add.reduceat(np.where(good, sigma_k, 0.0), starts, axis=1) / count / np.sqrt(count)
            valid = (count > 0) & np.isfinite(data) & np.isfinite(sigma) & (sigma > 0)
        weight = np.where(valid, 1 / np.where(valid, sigma, 1.0) ** 2, 0.0)
        partial = np.flatnonzero((count < np.diff(edges)[None, :]).any(axis=1))   # pixels with some flagged channels

        def binned_model(pwv):
            """Model averaged over the same unflagged channels as the data (not at the bin centre)."""
            m = axis.sky_model(pwv, airmass)
            full = np.add.reduceat(m, starts) / np.diff(edges)
            out = np.broadcast_to(full, count.shape).copy()
            if partial.size:
                with np.errstate(invalid="ignore", divide="ignore"):
                    out[partial] = np.add.reduceat(mask[partial] * m, starts, axis=1) / count[partial]
            return out

        def chi2(pwv, use):
            r = np.where(use, data - binned_model(pwv), 0.0)
            return float(np.sum(weight * use * r * r))

        def minimise(use):
            return brent(lambda pwv: chi2(pwv, use), *PWV_BOUNDS, PWV_TOL)

        self.pwv_pixel = np.full(self.hot.shape[0], np.nan)
        use = valid.copy()
        if not use.any():
            self.pwv, self.pwv_err, self.rms, self.status = math.nan, math.nan, math.nan, "failed"
            return
        pwv = minimise(use)                                                              # pass 1
        t_s, t_i = (np.exp(-tau * airmass) for tau in axis.tau(pwv))
        core = ((t_s < CORE_T) | (t_i < CORE_T))[None, :] & good                         # unflagged core channels
        use &= np.add.reduceat(core.astype(np.int64), starts, axis=1) == 0
        if use.any():
            pwv = minimise(use)                                                          # pass 2
            resid = np.where(use, (data - binned_model(pwv)) / np.where(use, sigma, 1.0), 0.0)
            keep = np.abs(resid) <= CLIP * math.sqrt(np.sum(resid ** 2) / use.sum())
            if (use & ~keep).any():
                use &= keep
                pwv = minimise(use)                                                      # pass 3
            for p in np.flatnonzero(use.any(axis=1)):                                    # per-pixel diagnostic
                only = np.zeros_like(use)
                only[p] = use[p]
                self.pwv_pixel[p] = minimise(only)
            n = int(use.sum())
            c2 = chi2(pwv, use)
            rms = math.sqrt(float(np.sum(np.where(use, data - binned_model(pwv), 0.0) ** 2)) / n)
            h = 1e-3
            curvature = (chi2(pwv + h, use) - 2 * c2 + chi2(pwv - h, use)) / (h * h)
            err = math.sqrt(2 / curvature) * math.sqrt(max(1.0, c2 / max(1, n - 1))) if curvature > 0 else math.nan
        else:
            n, rms, err = 0, math.nan, math.nan
        on_bound = min(abs(pwv - PWV_BOUNDS[0]), abs(pwv - PWV_BOUNDS[1])) <= 1e-6
        self.pwv, self.pwv_err, self.rms = pwv, err, rms
        self.status = "failed" if on_bound or not rms <= MAX_RMS_K or n < MIN_BINS else "ok"


def off_references(mode, off_mjd, on_mjd):
    """§7.2: TP, every OFF dump on its own; OTF, runs of OFFs with no ON between them as blocks at their mean MJD."""
    order = np.argsort(off_mjd, kind="stable")
    if mode == "TP":
        return [[i] for i in order]
    on_sorted = np.sort(on_mjd)
    blocks, current = [], [order[0]]
    for prev, nxt in zip(order[:-1], order[1:]):
        first = np.searchsorted(on_sorted, off_mjd[prev], side="right")
        if first < on_sorted.size and on_sorted[first] < off_mjd[nxt]:
            blocks.append(current)
            current = []
        current.append(nxt)
    blocks.append(current)
    return blocks


def interpolation(ref_mjd, on_mjd):
    """Per ON dump: before/after reference, their weights, and whether the ON lies outside the references."""
    last = ref_mjd.size - 1
    before = np.clip(np.searchsorted(ref_mjd, on_mjd, side="right") - 1, 0, last)
    after = np.minimum(before + 1, last)
    outside = (on_mjd < ref_mjd[0]) | (on_mjd > ref_mjd[-1]) | (last == 0)
    span = ref_mjd[after] - ref_mjd[before]
    with np.errstate(invalid="ignore", divide="ignore"):
        w_after = np.where(span > 0, (on_mjd - ref_mjd[before]) / span, 0.0)
    w_after = np.where(outside, 0.0, w_after)
    before = np.where(on_mjd > ref_mjd[-1], last, before)     # past the end: the last reference
    return before, after, 1.0 - w_after, w_after, outside


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            h.update(block)
    return h.hexdigest()


def calibrate_scan(path, header, cal, pwv, pwv_note, out_dir, config, checksums):
    """One science scan → one L1 product (formats.md), written under .tmp, fsynced, renamed."""
    axis = cal.axis
    with h5py.File(path, "r") as f:
        a = dict(f.attrs)
        if not np.array_equal(f["if_frequency_hz"][...], cal.if_hz):
            raise ValueError(f"{path}: channel frequencies differ from calibration scan {cal.scan_id}")
        pixel_id = f["pixel_id"][...]
        on_counts = f["on/counts"][...]                       # whole datasets, as a scientist reads them
        off_counts = f["off/counts"][...]
        on_mjd, on_el = f["on/mjd"][...], f["on/elevation_deg"][...]
        offset = f["on/offset_arcsec"][...]
        off_mjd = f["off/mjd"][...]
    n_on, n_pix, n_chan = on_counts.shape

    airmass = 1 / np.sin(np.radians(on_el))
    a_mean = float(airmass.mean())                            # §7.3: the science scan's mean ON airmass
    tau_s, tau_i = axis.tau(pwv)
    tr_s, tr_i = np.exp(-tau_s * a_mean), np.exp(-tau_i * a_mean)
    outside = (1 + axis.gi / axis.gs) / (axis.eta * tr_s)       # (1 + G_i/G_s)/(η_f·t_s), §1.5
    tsys = (cal.trx + cal.tsky) * outside
    tcal = (cal.j_hot - cal.tsky) * outside
    flags = cal.flags | np.where(tr_s < CORE_T, 4, 0).astype(np.uint8)[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        scale = np.where(flags == 0, tcal / (cal.hot - cal.sky), np.nan)   # §1.6 primary form, NaN where flagged

    refs = off_references(text(a["obs_mode"]), off_mjd, on_mjd)
    ref_mjd = np.array([off_mjd[r].mean() for r in refs])
    ref_counts = np.stack([off_counts[r].mean(axis=0, dtype=np.float64) for r in refs])
    before, after, w0, w1, extrapolated = interpolation(ref_mjd, on_mjd)
    low = on_el < LOW_ELEVATION_DEG
    dump_flag = np.repeat((extrapolated * 1 | low * 2).astype(np.uint8)[:, None], n_pix, axis=1)
    correct = np.abs(airmass - a_mean) > AIRMASS_TOLERANCE * a_mean

    name = f"scan_{int(a['scan_id']):06d}_{text(a['band'])}.l1.h5"
    final = os.path.join(out_dir, name)
    tmp = final + ".tmp"
    dump_bytes = n_pix * n_chan * 4
    chunk = int(min(max(L1_CHUNK_BYTES // dump_bytes, 1), max(n_on, 1)))
    with h5py.File(tmp, "w") as out:
        out.create_dataset("frequency_hz", data=axis.nu_s)
        out.create_dataset("image_frequency_hz", data=axis.nu_i)
        out.create_dataset("pixel_id", data=pixel_id.astype(np.int32))
        out.create_dataset("mjd", data=on_mjd)
        out.create_dataset("elevation_deg", data=on_el)
        out.create_dataset("offset_arcsec", data=offset)
        for key, values in (("tsys_k", tsys), ("trx_k", cal.trx), ("tcal_k", tcal), ("tsky_k", cal.tsky),
                            ("tau_signal", tau_s), ("tau_image", tau_i), ("tr_signal", tr_s), ("tr_image", tr_i),
                            ("pwv_pixel_mm", cal.pwv_pixel)):
            out.create_dataset(key, data=values.astype(np.float32))
        out.create_dataset("channel_flag", data=flags)
        ta = out.create_dataset("ta_star", shape=(n_on, n_pix, n_chan), dtype=np.float32, chunks=(chunk, n_pix, n_chan))
        for s in range(0, n_on, chunk):                      # one L1 chunk of dumps at a time
            e = min(n_on, s + chunk)
            counts = on_counts[s:e]
            # Dumps whose counts for a pixel are all zero or hold a non-finite value (formats.md dump_flag bit 2).
            invalid = ~np.isfinite(counts).all(axis=2) | ~counts.any(axis=2)
            dump_flag[s:e] |= (invalid * 4).astype(np.uint8)
            off = ref_counts[before[s:e]]                     # float64 OFF, interpolated in place
            off *= w0[s:e, None, None]
            off += w1[s:e, None, None] * ref_counts[after[s:e]]
            t = np.subtract(counts, off, out=off)             # float64: the difference cancels most digits (§7.1)
            t *= scale
            if correct[s:e].any():                            # §7.3 airmass rule
                t *= np.where(correct[s:e, None], np.exp(-tau_s[None, :] * (a_mean - airmass[s:e, None])), 1.0)[:, None, :]
            t[low[s:e]] = np.nan
            t[invalid] = np.nan
            ta[s:e] = t.astype(np.float32)
        out.create_dataset("dump_flag", data=dump_flag)
        attrs = {
            "format": "scanflow-l1", "format_version": np.int32(1), "scan_id": np.int64(a["scan_id"]),
            "band": text(a["band"]), "source": text(a["source"]), "project": text(a["project"]),
            "obs_mode": text(a["obs_mode"]), "lo_frequency_hz": float(a["lo_frequency_hz"]), "sideband": text(a["sideband"]),
            "calibration_scan_ids": np.array([cal.scan_id], dtype=np.int64),
            "pwv_mm": float(pwv), "pwv_err_mm": float(cal.pwv_err), "atm_fit_rms_k": float(cal.rms),
            "atm_fit_status": cal.status, "pwv_note": pwv_note, "jmode": axis.jmode, "forward_efficiency": axis.eta,
            "sideband_gain_ratio": float(a["sideband_gain_ratio"]), "t_atm_k": axis.t_atm,
            "atmosphere_model": "calibration.md §2 single slab (peer numpy)",
            "engine_version": "peer-numpy 1", "config_sha256": hashlib.sha256(config.encode()).hexdigest(), "config_json": config,
            "input_sha256": sha256(path) if checksums else "",
            "calibration_input_sha256": np.array([sha256(cal.path) if checksums else ""], dtype=h5py.string_dtype()),
            "created_utc": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z",
            "gain_interpolation": "none",
        }
        for key, value in attrs.items():
            out.attrs[key] = value
    fd = os.open(tmp, os.O_RDONLY)                            # durable before it appears under its final name
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    os.rename(tmp, final)
    return final, n_on * dump_bytes


def scan_store(store):
    """Headers (root attributes) of every raw scan under STORE."""
    headers = []
    for root, _, files in os.walk(store):
        for name in sorted(files):
            if not name.endswith(".h5"):
                continue
            path = os.path.join(root, name)
            try:
                with h5py.File(path, "r") as f:
                    a = dict(f.attrs)
            except OSError as e:
                print(f"skipped {path}: {e}", file=sys.stderr)
                continue
            if text(a.get("format", "")) != "chai-raw":
                continue
            headers.append({"path": path, "kind": text(a["kind"]), "band": text(a["band"]), "sideband": text(a["sideband"]),
                            "lo": float(a["lo_frequency_hz"]), "start": float(a["start_mjd"]), "scan_id": int(a["scan_id"])})
    return headers


def pair(science, calibrations, max_age_days):
    """§7.6 as Scanflow does it: the latest calibration at or before the scan, else the first after it, within the age."""
    same = [c for c in calibrations if c["band"] == science["band"] and c["sideband"] == science["sideband"]
            and abs(c["lo"] - science["lo"]) <= LO_TOLERANCE_HZ]
    before = [c for c in same if c["start"] <= science["start"]]
    after = [c for c in same if c["start"] > science["start"]]
    candidates = []
    if before:
        candidates.append(max(before, key=lambda c: (c["start"], c["scan_id"])))
    if after:
        candidates.append(min(after, key=lambda c: (c["start"], c["scan_id"])))
    for c in candidates:
        # Whole milliseconds, as Scanflow compares them.
        if round(abs(science["start"] - c["start"]) * 86_400_000) <= round(max_age_days * 86_400_000):
            return c
    return None


def main():
    parser = argparse.ArgumentParser(description="numpy + h5py peer of `scanflow calibrate` (issue 11)")
    parser.add_argument("store")
    parser.add_argument("out_dir")
    parser.add_argument("--max-calibration-age-minutes", type=float, default=30.0)
    parser.add_argument("--jmode", choices=["planck", "callen_welton", "rj"], default="planck")
    parser.add_argument("--checksums", action="store_true", help="record SHA-256 of the inputs, as Scanflow does")
    args = parser.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    config = json.dumps({"jmode": args.jmode, "max_calibration_age_minutes": args.max_calibration_age_minutes,
                         "pwv_fit_tolerance_mm": PWV_TOL}, sort_keys=True)

    headers = scan_store(args.store)
    calibrations = [h for h in headers if h["kind"] == "cal"]
    sciences = sorted((h for h in headers if h["kind"] == "science"), key=lambda h: (h["start"], h["scan_id"]))
    solved, last_good = {}, {}
    failed = 0
    for sci in sciences:
        cal_header = pair(sci, calibrations, args.max_calibration_age_minutes / 1440.0)
        if cal_header is None:
            print(f"scan {sci['scan_id']}: no calibration within {args.max_calibration_age_minutes} min", file=sys.stderr)
            failed += 1
            continue
        if cal_header["path"] not in solved:                  # scans run in time order: keep only the last one
            solved = {cal_header["path"]: Calibration(cal_header["path"], args.jmode)}
        cal = solved[cal_header["path"]]
        pwv, note = cal.pwv, ""
        if cal.status == "ok":
            last_good[sci["band"]] = cal.pwv
        elif sci["band"] in last_good:                        # §2.5: the last good PWV of this band, with a note
            pwv = last_good[sci["band"]]
            note = f"PWV fit of calibration scan {cal.scan_id} failed; used the last good PWV {pwv:.4f} mm"
        else:
            note = f"PWV fit of calibration scan {cal.scan_id} failed and no earlier good PWV was known; used the failed fit"
        path, _ = calibrate_scan(sci["path"], sci, cal, pwv, note, args.out_dir, config, args.checksums)
        print(f"scan {sci['scan_id']}: calibration {cal.scan_id}, PWV {pwv:.6f} mm ({cal.status}) -> {path}")
    return 2 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
