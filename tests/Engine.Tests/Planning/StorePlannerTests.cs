using Scanflow.Engine.Formats;
using Scanflow.Engine.Model;
using Scanflow.Engine.Planning;
using Scanflow.Engine.Simulation;

namespace Scanflow.Engine.Tests.Planning;

public class StorePlannerTests
{
    private const double Night = 61367.0;

    [Fact]
    public void Plan_pairs_every_science_scan_of_a_directory_tree_and_explains_every_other_file()
    {
        using var store = new TempDirectory();
        var first = Simulate(store.Combine("night1"), firstScanId: 1, Night, scans: 2);
        var late = Simulate(store.Combine("night1", "late"), firstScanId: 100, Night + 0.5, scans: 1);
        File.Delete(store.Combine("night1", "late", late.Calibrations[0].File));
        File.WriteAllText(store.Combine("notes.txt"), "observer log");
        File.Copy(store.Combine("night1", first.Science[0].File), store.Combine("night1", "scan_000009_LFA_tp.h5.part"));
        var truncated = store.Combine("broken", "scan_000010_LFA_tp.h5");
        Directory.CreateDirectory(store.Combine("broken"));
        var bytes = File.ReadAllBytes(store.Combine("night1", first.Science[1].File));
        File.WriteAllBytes(truncated, bytes[..(bytes.Length / 2)]);
        var truncatedError = Assert.Throws<ScanFormatException>(() => RawScanFile.ReadHeader(truncated));

        var plan = StorePlanner.Plan([store.Path], new PlanningOptions());

        Assert.Equal([2L, 3L], plan.Scans.Select(s => s.Science.ScanId));
        Assert.All(plan.Scans, s => Assert.Equal(1, s.Calibration.ScanId));
        Assert.All(plan.Scans, s => Assert.InRange(s.CalibrationOffset, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5)));
        Assert.Equal([1L], plan.Calibrations.Select(c => c.ScanId));
        Assert.Equal(4, plan.IgnoredFiles); // notes.txt, the .part file and two truth.json
        Assert.Equal(2, plan.Excluded.Count);
        Assert.Equal(plan.Excluded, plan.Failures);

        var broken = Assert.Single(plan.Excluded, e => e.FilePath == truncated);
        Assert.Null(broken.ScanId);
        Assert.Equal(truncatedError.Reason, broken.Reason);
        Assert.Equal("cannot be opened as HDF5 (truncated, still being written, or not an HDF5 file)", broken.Reason);

        var orphan = Assert.Single(plan.Excluded, e => e.ScanId == 101);
        Assert.Equal(store.Combine("night1", "late", late.Science[0].File), orphan.FilePath);
        Assert.StartsWith("no calibration scan for LFA LO 475.000 GHz USB within 30 min of scan 101; the nearest, scan 1, is 720", orphan.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_of_an_input_that_does_not_exist_is_an_argument_error_naming_it()
    {
        using var store = new TempDirectory();
        Simulate(store.Path, firstScanId: 1, Night, scans: 1);
        var missing = store.Combine("no-such-night");

        var error = Assert.Throws<ArgumentException>(() => StorePlanner.Plan([store.Path, missing], new PlanningOptions()));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_takes_files_given_by_path_whatever_their_extension()
    {
        using var store = new TempDirectory();
        var truth = Simulate(store.Combine("drop"), firstScanId: 1, Night, scans: 2);
        var renamed = store.Combine("science.dat");
        File.Copy(store.Combine("drop", truth.Science[1].File), renamed);

        var plan = StorePlanner.Plan([store.Combine("drop", truth.Calibrations[0].File), renamed], new PlanningOptions());

        var scan = Assert.Single(plan.Scans);
        Assert.Equal(3, scan.Science.ScanId);
        Assert.Equal(renamed, scan.Science.FilePath);
        Assert.Equal(1, scan.Calibration.ScanId);
        Assert.Empty(plan.Excluded);
        Assert.Equal(0, plan.IgnoredFiles);
    }

    [Fact]
    public void Plan_reads_a_file_named_twice_once()
    {
        using var store = new TempDirectory();
        var truth = Simulate(store.Path, firstScanId: 1, Night, scans: 1);

        var plan = StorePlanner.Plan([store.Path, store.Combine(truth.Science[0].File)], new PlanningOptions());

        Assert.Single(plan.Scans);
        Assert.Empty(plan.Excluded);
    }

    [Fact]
    public void Plan_fails_the_second_file_with_a_scan_id_already_seen_naming_both()
    {
        using var store = new TempDirectory();
        var truth = Simulate(store.Combine("a"), firstScanId: 1, Night, scans: 1);
        var original = store.Combine("a", truth.Science[0].File);
        var copy = store.Combine("z", "copy.h5");
        Directory.CreateDirectory(store.Combine("z"));
        File.Copy(original, copy);

        var plan = StorePlanner.Plan([store.Path], new PlanningOptions());

        Assert.Equal(original, Assert.Single(plan.Scans).Science.FilePath);
        var duplicate = Assert.Single(plan.Failures);
        Assert.Equal(copy, duplicate.FilePath);
        Assert.Equal(2, duplicate.ScanId);
        Assert.Contains(original, duplicate.Reason, StringComparison.Ordinal);
        Assert.Contains(copy, duplicate.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_does_not_pair_a_science_scan_with_a_calibration_of_another_band()
    {
        using var store = new TempDirectory();
        Simulate(store.Combine("lfa"), firstScanId: 1, Night, scans: 1);
        var hfa = Simulate(store.Combine("hfa"), firstScanId: 10, Night, scans: 1, Band.Hfa);
        File.Delete(store.Combine("hfa", hfa.Calibrations[0].File));

        var plan = StorePlanner.Plan([store.Path], new PlanningOptions());

        Assert.Equal(2, Assert.Single(plan.Scans).Science.ScanId);
        var failure = Assert.Single(plan.Failures);
        Assert.Equal(11, failure.ScanId);
        Assert.Equal("no calibration scan for HFA LO 812.000 GHz LSB within 30 min of scan 11", failure.Reason);
    }

    [Fact]
    public void Plan_uses_the_configured_maximum_calibration_age()
    {
        using var store = new TempDirectory();
        Simulate(store.Combine("early"), firstScanId: 1, Night, scans: 0);
        var late = Simulate(store.Combine("late"), firstScanId: 10, Night + (45 / 1440.0), scans: 1);
        File.Delete(store.Combine("late", late.Calibrations[0].File));

        var strict = StorePlanner.Plan([store.Path], new PlanningOptions());
        var lenient = StorePlanner.Plan([store.Path], new PlanningOptions { MaxCalibrationAge = TimeSpan.FromHours(1) });

        Assert.Empty(strict.Scans);
        Assert.Contains("; the nearest, scan 1, is 45.4 min away", Assert.Single(strict.Failures).Reason, StringComparison.Ordinal);
        Assert.Equal(1, Assert.Single(lenient.Scans).Calibration.ScanId);
    }

    [Fact]
    public void Plan_marks_science_scans_outside_the_selection_not_selected_and_not_failed()
    {
        using var store = new TempDirectory();
        Simulate(store.Combine("lfa"), firstScanId: 1, Night, scans: 2);
        Simulate(store.Combine("hfa"), firstScanId: 10, Night, scans: 1, Band.Hfa);
        var selection = ScanSelection.Parse(["band=LFA", "scan=3-20"]);

        var plan = StorePlanner.Plan([store.Path], new PlanningOptions { Selection = selection });

        Assert.Equal(3, Assert.Single(plan.Scans).Science.ScanId);
        Assert.Empty(plan.Failures);
        Assert.Equal([2L, 11L], plan.Excluded.Select(e => e.ScanId!.Value).Order());
        Assert.All(plan.Excluded, e => Assert.Equal(ExclusionKind.NotSelected, e.Kind));
        Assert.All(plan.Excluded, e => Assert.Equal("not selected (band=LFA, scan=3-20)", e.Reason));
        Assert.Equal([1L, 10L], plan.Calibrations.Select(c => c.ScanId)); // selection applies to science scans only
    }

    [Fact]
    public void Plan_orders_scans_by_start_time_whatever_the_directory_order()
    {
        using var store = new TempDirectory();
        Simulate(store.Combine("a"), firstScanId: 50, Night + (2 / 24.0), scans: 2);
        Simulate(store.Combine("b"), firstScanId: 60, Night + (1 / 24.0), scans: 2);
        Simulate(store.Combine("c"), firstScanId: 10, Night, scans: 2, Band.Hfa);

        var plans = Enumerable.Range(0, 3).Select(_ => StorePlanner.Plan([store.Path], new PlanningOptions())).ToList();

        Assert.Equal([11L, 12L, 61L, 62L, 51L, 52L], plans[0].Scans.Select(s => s.Science.ScanId));
        Assert.Equal([10L, 10L, 60L, 60L, 50L, 50L], plans[0].Scans.Select(s => s.Calibration.ScanId));
        Assert.Equal([10L, 60L, 50L], plans[0].Calibrations.Select(c => c.ScanId));
        Assert.All(plans, p => Assert.Equal(plans[0].Scans, p.Scans));
        Assert.All(plans, p => Assert.Equal(plans[0].Calibrations, p.Calibrations));
    }

    [Fact]
    public void Plan_reports_a_directory_that_cannot_be_listed_and_goes_on()
    {
        using var store = new TempDirectory();
        Simulate(store.Combine("good"), firstScanId: 1, Night, scans: 1);
        Directory.CreateDirectory(store.Combine("locked"));
        var locked = store.Combine("locked");

        var plan = StorePlanner.Plan(
            [store.Path], new PlanningOptions(),
            directory => directory == locked ? throw new UnauthorizedAccessException($"Access to the path '{locked}' is denied.") : DirectoryListing.Read(directory));

        Assert.Single(plan.Scans);
        var failure = Assert.Single(plan.Failures);
        Assert.Equal(locked, failure.FilePath);
        Assert.Null(failure.ScanId);
        Assert.Equal($"directory cannot be listed: Access to the path '{locked}' is denied.", failure.Reason);
    }

    [Fact]
    public void Plan_does_not_loop_on_a_symbolic_link_back_to_an_ancestor()
    {
        using var store = new TempDirectory();
        Simulate(store.Combine("night"), firstScanId: 1, Night, scans: 1);
        Directory.CreateSymbolicLink(store.Combine("night", "again"), store.Path);

        var plan = StorePlanner.Plan([store.Path], new PlanningOptions());

        Assert.Single(plan.Scans);
        Assert.Empty(plan.Excluded);
    }

    [Fact]
    public void Plan_walks_a_symbolic_link_to_the_stores_parent_once_and_never_the_store_again_Issue10()
    {
        // store/sub/up -> ../.. names the folder holding the store: reached through it, the store has another name
        // (store/sub/up/store/...), which only its real path tells apart.
        using var scratch = new TempDirectory();
        var store = scratch.Combine("store");
        Simulate(store, firstScanId: 1, Night, scans: 2);
        Directory.CreateDirectory(Path.Combine(store, "sub"));
        Directory.CreateSymbolicLink(Path.Combine(store, "sub", "up"), Path.Combine("..", ".."));
        Simulate(scratch.Combine("beside"), firstScanId: 50, Night + 0.1, scans: 1);

        var plan = StorePlanner.Plan([store], new PlanningOptions());

        Assert.Empty(plan.Excluded);
        Assert.Equal([2L, 3L, 51L], plan.Scans.Select(s => s.Science.ScanId)); // the folder beside the store is walked once, through the link
        Assert.Equal(2, plan.IgnoredFiles); // truth.json of the store and of beside, nothing twice
    }

    [Fact]
    public void Plan_fails_a_FIFO_a_socket_and_a_device_with_the_reason_and_plans_everything_else_Issue10()
    {
        using var store = new TempDirectory();
        Simulate(store.Path, firstScanId: 1, Night, scans: 2);
        using var special = new SpecialFiles(store.Path, "scan_000000");

        var plan = StorePlanner.Plan([store.Path, special.Fifo], new PlanningOptions());

        Assert.Equal([2L, 3L], plan.Scans.Select(s => s.Science.ScanId));
        Assert.Equal(special.Paths, plan.Failures.Select(f => f.FilePath)); // the FIFO named as well is one file, once
        Assert.All(plan.Failures, f => Assert.EndsWith(", not a regular file; only regular files are read as scans", f.Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Plan_rejects_a_negative_maximum_age()
    {
        using var store = new TempDirectory();

        Assert.Throws<ArgumentException>(() => StorePlanner.Plan([store.Path], new PlanningOptions { MaxCalibrationAge = TimeSpan.FromMinutes(-1) }));
    }

    private static SimulationTruth Simulate(string directory, long firstScanId, double startMjd, int scans, Band band = Band.Lfa) =>
        ScanSimulator.Run(new SimulationOptions
        {
            OutputDirectory = directory,
            FirstScanId = firstScanId,
            StartMjd = startMjd,
            Band = band,
            Scans = scans,
            Pixels = 1,
            Channels = 16,
            OnDumps = 2,
            OffDumps = 1,
            Noise = false,
        });
}
