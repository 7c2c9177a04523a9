#!/usr/bin/python3
"""Compare two directories of Scanflow L1 products (*.l1.h5) for bit-identical content.

Usage: compare-l1.py DIR_A DIR_B [--ignore-input-hashes] [--quiet]

For every *.l1.h5 file (matched by name; a file present on one side only is a difference):
  * the same HDF5 objects (groups and datasets, same names and kinds);
  * every dataset: identical HDF5 type (class, size, byte order, string kind/charset), shape, storage layout
    (chunk shape, filters, fill value) and raw bytes (so NaN payloads and -0.0/+0.0 must match too; a byte
    difference that np.array_equal(equal_nan=True) would accept is still reported, and named as such);
  * every attribute, on the root and on every group and dataset: the same names, identical HDF5 type and shape
    and identical value (raw bytes for numbers, exact string equality for strings), EXCEPT the exempted ones below.

Prints one line per file ("identical" or "DIFFERENT: ...") and exits 1 on any difference, 0 when all are identical.
Independent of the Scanflow sources: needs only python3 with h5py and numpy (Debian's python3-h5py/python3-numpy;
hence /usr/bin/python3, not a pyenv/venv python that may lack them).
"""
import argparse
import os
import sys

import h5py
import numpy as np

# Root attributes that legitimately differ between two runs of the same engine on the same input
# (names from docs/formats.md §2.1, scanflow-l1 v1):
EXEMPT_ROOT_ATTRIBUTES = {
    # wall-clock time the product was written (yyyy-MM-ddTHH:mm:ss.fffZ): differs on every run
    "created_utc",
    # assembly informational version, "0.1.0+<git sha>": embeds the git commit, so a refactor commit changes it
    "engine_version",
}
# Not exempted on purpose (formats.md §2.1): input_sha256 and calibration_input_sha256 are SHA-256 hashes of the
# raw input files, config_sha256/config_json the calibration settings, atmosphere_model the constants table's hash.
# None embeds a time or the commit: for the same raw files and settings they must stay identical.
# Caveat: raw files re-simulated by `scanflow simulate` carry new HDF5 object-modification timestamps, so their
# bytes (and these two hashes) change even though their content is the same. Compare products made from the SAME
# raw files; --ignore-input-hashes exists only for the case where the raw files had to be regenerated.
INPUT_HASH_ATTRIBUTES = {"input_sha256", "calibration_input_sha256"}


def type_description(tid):
    """A comparable description of an HDF5 datatype."""
    cls = tid.get_class()
    desc = {"class": cls, "size": tid.get_size()}
    if cls == h5py.h5t.STRING:
        desc["vlen"] = tid.is_variable_str()
        desc["cset"] = tid.get_cset()
        desc["strpad"] = tid.get_strpad()
    elif cls in (h5py.h5t.INTEGER, h5py.h5t.FLOAT, h5py.h5t.BITFIELD):
        desc["order"] = tid.get_order()
        if cls == h5py.h5t.INTEGER:
            desc["sign"] = tid.get_sign()
    elif cls == h5py.h5t.VLEN:
        desc["super"] = type_description(tid.get_super())
    elif cls == h5py.h5t.ARRAY:
        desc["super"] = type_description(tid.get_super())
        desc["dims"] = tid.get_array_dims()
    elif cls == h5py.h5t.COMPOUND:
        desc["members"] = [(tid.get_member_name(i), tid.get_member_offset(i), type_description(tid.get_member_type(i)))
                           for i in range(tid.get_nmembers())]
    elif cls == h5py.h5t.ENUM:
        desc["super"] = type_description(tid.get_super())
        desc["members"] = [(tid.get_member_name(i), tid.get_member_value(i)) for i in range(tid.get_nmembers())]
    return desc


def space_description(sid):
    kind = sid.get_simple_extent_type()
    if kind == h5py.h5s.SIMPLE:
        return ("simple", sid.shape)
    return ("scalar" if kind == h5py.h5s.SCALAR else "null", ())


def values_differ(a, b):
    """None if a and b are bit-identical values, else a short reason."""
    a_arr = np.asarray(a)
    b_arr = np.asarray(b)
    if a_arr.dtype != b_arr.dtype:
        return f"dtype {a_arr.dtype} vs {b_arr.dtype}"
    if a_arr.shape != b_arr.shape:
        return f"shape {a_arr.shape} vs {b_arr.shape}"
    if a_arr.dtype.kind == "O":  # strings (vlen) or other objects: exact equality, element by element
        fa, fb = a_arr.ravel(), b_arr.ravel()
        bad = [i for i in range(fa.size) if not (type(fa[i]) is type(fb[i]) and fa[i] == fb[i])]
        if bad:
            i = bad[0]
            return f"{len(bad)} of {fa.size} elements differ (first at flat index {i}: {fa[i]!r} vs {fb[i]!r})"
        return None
    a_c, b_c = np.ascontiguousarray(a_arr), np.ascontiguousarray(b_arr)
    if a_c.tobytes() == b_c.tobytes():
        return None
    if a_arr.dtype.kind in "fc":
        ne = ~((a_c == b_c) | (np.isnan(a_c) & np.isnan(b_c)))
        n = int(np.count_nonzero(ne))
        if n == 0:
            return "values equal (np.array_equal, equal_nan) but bits differ (NaN payload or signed zero)"
        idx = np.unravel_index(int(np.argmax(ne)), a_c.shape) if a_c.ndim else ()
        with np.errstate(invalid="ignore"):
            diff = np.abs(a_c.astype(np.float64) - b_c.astype(np.float64))
            finite = diff[np.isfinite(diff)]
        maxabs = f", max |diff| {finite.max():.3g}" if finite.size else ""
        return f"{n} of {a_c.size} values differ (first at {tuple(int(i) for i in idx)}: {a_c[idx]!r} vs {b_c[idx]!r}{maxabs})"
    ne = a_c != b_c
    n = int(np.count_nonzero(ne))
    idx = np.unravel_index(int(np.argmax(ne)), a_c.shape) if a_c.ndim else ()
    return f"{n} of {a_c.size} values differ (first at {tuple(int(i) for i in idx)}: {a_c[idx]!r} vs {b_c[idx]!r})"


def compare_attributes(obj_a, obj_b, where, exempt, problems):
    names_a, names_b = set(obj_a.attrs.keys()), set(obj_b.attrs.keys())
    for name in sorted(names_a - names_b):
        problems.append(f"{where} attribute {name!r} only in A")
    for name in sorted(names_b - names_a):
        problems.append(f"{where} attribute {name!r} only in B")
    for name in sorted(names_a & names_b):
        if name in exempt:
            continue
        aid_a = h5py.h5a.open(obj_a.id, name.encode())
        aid_b = h5py.h5a.open(obj_b.id, name.encode())
        ta, tb = type_description(aid_a.get_type()), type_description(aid_b.get_type())
        if ta != tb:
            problems.append(f"{where} attribute {name!r}: HDF5 type {ta} vs {tb}")
            continue
        sa, sb = space_description(aid_a.get_space()), space_description(aid_b.get_space())
        if sa != sb:
            problems.append(f"{where} attribute {name!r}: dataspace {sa} vs {sb}")
            continue
        reason = values_differ(obj_a.attrs[name], obj_b.attrs[name])
        if reason:
            problems.append(f"{where} attribute {name!r}: {reason}")


def layout(dset):
    plist = dset.id.get_create_plist()
    filters = [plist.get_filter(i)[0:3:2] for i in range(plist.get_nfilters())]  # (filter id, client values)
    return {"layout": plist.get_layout(), "chunks": dset.chunks, "filters": filters,
            "fillvalue": repr(dset.fillvalue), "maxshape": dset.maxshape}


def compare_dataset(da, db, path, problems):
    ta, tb = type_description(da.id.get_type()), type_description(db.id.get_type())
    if ta != tb:
        problems.append(f"{path}: HDF5 type {ta} vs {tb}")
        return
    if da.shape != db.shape:
        problems.append(f"{path}: shape {da.shape} vs {db.shape}")
        return
    la, lb = layout(da), layout(db)
    if la != lb:
        problems.append(f"{path}: storage {la} vs {lb}")
    if da.dtype != db.dtype:
        problems.append(f"{path}: dtype {da.dtype} vs {db.dtype}")
        return
    if da.shape is None:  # null dataspace
        return
    # Read in blocks along the first axis so large /ta_star needs little memory.
    if da.ndim == 0:
        reason = values_differ(da[()], db[()])
        if reason:
            problems.append(f"{path}: {reason}")
        return
    row_bytes = max(1, int(np.prod(da.shape[1:], dtype=np.int64)) * da.dtype.itemsize)
    step = max(1, (64 << 20) // row_bytes)
    for start in range(0, da.shape[0], step):
        stop = min(da.shape[0], start + step)
        reason = values_differ(da[start:stop], db[start:stop])
        if reason:
            problems.append(f"{path}[{start}:{stop}]: {reason}")
            return


def compare_files(file_a, file_b, ignore_input_hashes):
    problems = []
    with h5py.File(file_a, "r") as fa, h5py.File(file_b, "r") as fb:
        objects_a, objects_b = {}, {}
        fa.visititems(lambda name, obj: objects_a.__setitem__(name, obj))
        fb.visititems(lambda name, obj: objects_b.__setitem__(name, obj))
        for name in sorted(set(objects_a) - set(objects_b)):
            problems.append(f"/{name} only in A")
        for name in sorted(set(objects_b) - set(objects_a)):
            problems.append(f"/{name} only in B")
        root_exempt = EXEMPT_ROOT_ATTRIBUTES | (INPUT_HASH_ATTRIBUTES if ignore_input_hashes else set())
        compare_attributes(fa, fb, "/", root_exempt, problems)
        for name in sorted(set(objects_a) & set(objects_b)):
            a, b = objects_a[name], objects_b[name]
            path = "/" + name
            if type(a) is not type(b):
                problems.append(f"{path}: {type(a).__name__} vs {type(b).__name__}")
                continue
            if isinstance(a, h5py.Dataset):
                compare_dataset(a, b, path, problems)
            compare_attributes(a, b, path, set(), problems)
    return problems


def main():
    parser = argparse.ArgumentParser(description="Compare two directories of Scanflow L1 products bit for bit.")
    parser.add_argument("dir_a")
    parser.add_argument("dir_b")
    parser.add_argument("--ignore-input-hashes", action="store_true",
                        help="also exempt input_sha256 and calibration_input_sha256 (only when the raw files were regenerated)")
    args = parser.parse_args()

    def products(d):
        if not os.path.isdir(d):
            sys.exit(f"compare-l1.py: {d} is not a directory")
        return {f for f in os.listdir(d) if f.endswith(".l1.h5")}

    names_a, names_b = products(args.dir_a), products(args.dir_b)
    if not names_a and not names_b:
        print(f"compare-l1.py: no *.l1.h5 files in {args.dir_a} or {args.dir_b}", file=sys.stderr)
        return 1
    exempt = sorted(EXEMPT_ROOT_ATTRIBUTES | (INPUT_HASH_ATTRIBUTES if args.ignore_input_hashes else set()))
    print(f"A = {args.dir_a}\nB = {args.dir_b}\nexempted root attributes: {', '.join(exempt)}")
    different = 0
    for name in sorted(names_a | names_b):
        if name not in names_b:
            print(f"{name}: DIFFERENT: only in A")
            different += 1
            continue
        if name not in names_a:
            print(f"{name}: DIFFERENT: only in B")
            different += 1
            continue
        try:
            problems = compare_files(os.path.join(args.dir_a, name), os.path.join(args.dir_b, name), args.ignore_input_hashes)
        except Exception as e:  # unreadable file: a difference, not a crash
            problems = [f"cannot compare: {type(e).__name__}: {e}"]
        if problems:
            different += 1
            print(f"{name}: DIFFERENT: " + "; ".join(problems[:10]) + (f"; … {len(problems) - 10} more" if len(problems) > 10 else ""))
        else:
            print(f"{name}: identical")
    print(f"{len(names_a | names_b) - different} identical, {different} different")
    return 1 if different else 0


if __name__ == "__main__":
    sys.exit(main())
