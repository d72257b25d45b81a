using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Kefu.LoadGen.Analysis;

/// <summary>
/// Lines slow acks (from <c>--slow-log</c>) up with the threads the CPUs ran meanwhile (a <c>perf sched</c> trace on
/// the same clock), window by window: which threads run more when acks are slow. It shows whether a latency tail
/// is one of the server's own threads, the load generator, or something else on the machine.
/// </summary>
internal static partial class StallReport
{
    public static int Run(string[] args)
    {
        string? slowLog = null, sched = null;
        long slowMicros = 10_000, windowNanos = 100_000_000;
        if (args.Length % 2 != 0)
            throw new ArgumentException($"{args[^1]} needs a value");
        for (var i = 0; i < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--slow-log": slowLog = args[i + 1]; break;
                case "--sched": sched = args[i + 1]; break;
                case "--slow-ms": slowMicros = long.Parse(args[i + 1], CultureInfo.InvariantCulture) * 1000; break;
                case "--window-ms": windowNanos = long.Parse(args[i + 1], CultureInfo.InvariantCulture) * 1_000_000; break;
                default: throw new ArgumentException($"unknown option {args[i]}");
            }
        }
        if (slowLog is null || sched is null)
            throw new ArgumentException("stalls needs --slow-log PREFIX and --sched FILE");

        var runs = ReadRuns(sched);
        if (runs.Count == 0)
            throw new ArgumentException($"{sched} holds no sched_switch events");
        var start = runs.Min(r => r.Start);
        var windows = (int)((runs.Max(r => r.End) - start) / windowNanos);
        var slow = new int[windows];
        foreach (var (kind, at, micros) in ReadSlowEvents(slowLog))
        {
            var w = (at - start) / windowNanos;
            if (kind == "ack" && micros >= slowMicros && w >= 0 && w < windows)
                slow[w]++;
        }
        var cpu = new Dictionary<string, double[]>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            var perWindow = cpu.TryGetValue(run.Name, out var found) ? found : cpu[run.Name] = new double[windows];
            for (var w = Math.Max(0, (run.Start - start) / windowNanos); w < windows && start + w * windowNanos < run.End; w++)
            {
                var from = Math.Max(run.Start, start + w * windowNanos);
                var to = Math.Min(run.End, start + (w + 1) * windowNanos);
                perWindow[w] += (to - from) / 1e6;
            }
        }
        Console.WriteLine(Markdown(slow, cpu, windowNanos / 1e6, slowMicros / 1000));
        return 0;
    }

    private static string Markdown(int[] slow, Dictionary<string, double[]> cpu, double windowMs, long slowMs)
    {
        var total = slow.Sum();
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"{slow.Length} windows of {windowMs} ms; {total} acks over {slowMs} ms in them, in {slow.Count(s => s > 0)} windows.");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"| thread (all processes) | CPU, share of the run | windows where it ran ≥ {windowMs / 10} ms | slow acks per window then | otherwise | share of all slow acks |");
        text.AppendLine("|---|---|---|---|---|---|");
        foreach (var (name, perWindow) in cpu.OrderByDescending(c => c.Value.Sum()).Take(16))
        {
            var busy = Enumerable.Range(0, slow.Length).Where(w => perWindow[w] >= windowMs / 10).ToList();
            var quiet = Enumerable.Range(0, slow.Length).Where(w => perWindow[w] < windowMs / 10).ToList();
            double PerWindow(List<int> ws) => ws.Count == 0 ? 0 : ws.Sum(w => slow[w]) / (double)ws.Count;
            var share = total == 0 ? 0 : busy.Sum(w => slow[w]) / (double)total;
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {name} | {perWindow.Sum() / (slow.Length * windowMs):P1} of a CPU | {busy.Count} | {PerWindow(busy):F1} | {PerWindow(quiet):F1} | {share:P0} |");
        }
        return text.ToString();
    }

    private static List<(string Kind, long At, long Micros)> ReadSlowEvents(string prefix)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(prefix))!;
        var events = new List<(string, long, long)>();
        foreach (var file in Directory.GetFiles(directory, Path.GetFileName(prefix) + "-w*.tsv"))
        {
            foreach (var line in File.ReadLines(file))
            {
                var parts = line.Split('\t');
                if (parts.Length == 3)
                    events.Add((parts[0], long.Parse(parts[1], CultureInfo.InvariantCulture), long.Parse(parts[2], CultureInfo.InvariantCulture)));
            }
        }
        return events;
    }

    private sealed record CpuRun(long Start, long End, string Name);

    /// <summary>Who ran on each CPU from one switch to the next; swapper (the idle task) is "(idle)".</summary>
    private static List<CpuRun> ReadRuns(string path)
    {
        var current = new Dictionary<int, (long Since, string Name)>();
        var runs = new List<CpuRun>();
        foreach (var line in File.ReadLines(path))
        {
            var match = Switch().Match(line);
            if (!match.Success)
                continue;
            var cpu = int.Parse(match.Groups["cpu"].Value, CultureInfo.InvariantCulture);
            var at = (long)(decimal.Parse(match.Groups["time"].Value, CultureInfo.InvariantCulture) * 1_000_000_000m);
            if (current.TryGetValue(cpu, out var running))
                runs.Add(new CpuRun(running.Since, at, running.Name));
            current[cpu] = (at, NameOf(match.Groups["next"].Value));
        }
        return runs;
    }

    /// <summary>Threads of one kind share a name: trailing numbers go ("kdamond.0", "swapper/1", "kworker/1:1H").</summary>
    private static string NameOf(string comm)
    {
        if (comm.StartsWith("swapper", StringComparison.Ordinal))
            return "(idle)";
        if (comm.StartsWith("kworker", StringComparison.Ordinal))
            return "kworker";
        return comm.TrimEnd('0', '1', '2', '3', '4', '5', '6', '7', '8', '9').TrimEnd('.', '/', '-', ' ');
    }

    [GeneratedRegex(@"\[(?<cpu>\d+)\]\s+(?<time>[\d.]+):.*?==> next_comm=(?<next>.*?) next_pid=")]
    private static partial Regex Switch();
}
