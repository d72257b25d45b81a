using System.Globalization;
using System.Text.Json.Nodes;

namespace Kefu.LoadGen.Coordinator;

/// <summary>Command-line settings; <c>quick</c> and <c>full</c> preset them, any flag overrides.</summary>
internal sealed class Settings
{
    public List<string> Scenarios { get; } = [];
    public string? ServerDll { get; set; }
    public List<Uri> Urls { get; } = [];
    public int Nodes { get; set; } = 1;
    public int? ServerPid { get; set; }
    public string AdminUser { get; set; } = "bench-admin";
    public string AdminPassword { get; set; } = "bench-" + Guid.NewGuid().ToString("N")[..16];
    public int IdleConnections { get; set; } = 2000;
    public double IdleHoldSeconds { get; set; } = 20;
    public int ChatConnections { get; set; } = 400;
    public int Pairs { get; set; } = 200;
    public int Agents { get; set; } = 20;
    public double Rate { get; set; } = 400;
    public double AgentShare { get; set; } = 0.5;
    public double ChatSeconds { get; set; } = 10;
    public double WarmSeconds { get; set; }
    public double StormTrafficSeconds { get; set; } = 8;
    public int BurstPairs { get; set; } = 1000;
    public int BurstAgents { get; set; } = 50;
    public List<double> BurstSteps { get; } = [];
    public double BurstStepSeconds { get; set; } = 10;
    public int BurstRefineSteps { get; set; } = 2;
    public int TextBytes { get; set; } = 64;
    public int MaxPerWorker { get; set; } = 15000;
    public int MinWorkers { get; set; } = 2;
    public string OutDir { get; set; } = "bench/results";
    public string? MarkdownOut { get; set; }
    public string? SlowLog { get; set; }
    public string Mode { get; set; } = "custom";
    public List<string> ServerEnv { get; } = [];

    public static Settings Parse(string[] args)
    {
        var settings = new Settings();
        var i = 0;
        if (args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal))
        {
            settings.Mode = args[0];
            settings.ApplyPreset(args[0]);
            i = 1;
        }

        for (; i < args.Length; i++)
        {
            var name = args[i];
            var value = i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value");
            switch (name)
            {
                case "--scenarios": settings.Scenarios.Clear(); settings.Scenarios.AddRange(value.Split(',')); break;
                case "--server-dll": settings.ServerDll = value; break;
                case "--url": settings.Urls.AddRange(value.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(u => new Uri(u))); break;
                case "--nodes": settings.Nodes = Int(value); break;
                case "--server-pid": settings.ServerPid = Int(value); break;
                case "--admin-user": settings.AdminUser = value; break;
                case "--admin-password": settings.AdminPassword = value; break;
                case "--idle-connections": settings.IdleConnections = Int(value); break;
                case "--idle-seconds": settings.IdleHoldSeconds = Double(value); break;
                case "--connections": settings.ChatConnections = Int(value); break;
                case "--pairs": settings.Pairs = Int(value); break;
                case "--agents": settings.Agents = Int(value); break;
                case "--rate": settings.Rate = Double(value); break;
                case "--agent-share": settings.AgentShare = Double(value); break;
                case "--duration": settings.ChatSeconds = Double(value); break;
                case "--warm-seconds": settings.WarmSeconds = Double(value); break;
                case "--storm-seconds": settings.StormTrafficSeconds = Double(value); break;
                case "--burst-pairs": settings.BurstPairs = Int(value); break;
                case "--burst-agents": settings.BurstAgents = Int(value); break;
                case "--burst-steps": settings.BurstSteps.Clear(); settings.BurstSteps.AddRange(value.Split(',').Select(Double)); break;
                case "--burst-step-seconds": settings.BurstStepSeconds = Double(value); break;
                case "--burst-refine": settings.BurstRefineSteps = Int(value); break;
                case "--text-bytes": settings.TextBytes = Int(value); break;
                case "--max-per-worker": settings.MaxPerWorker = Int(value); break;
                case "--min-workers": settings.MinWorkers = Int(value); break;
                case "--out": settings.OutDir = value; break;
                case "--markdown": settings.MarkdownOut = value; break;
                case "--slow-log": settings.SlowLog = Path.GetFullPath(value); break;
                case "--server-env": settings.ServerEnv.Add(value); break;
                default: throw new ArgumentException($"unknown option {name}");
            }
        }

        if (settings.Nodes < 1)
            throw new ArgumentException("--nodes must be at least 1");
        if (settings.Scenarios.Count == 0)
            settings.Scenarios.AddRange(["chat", "reconnect-storm"]);
        return settings;
    }

    /// <summary>How many nodes, on which store and bus (read from <c>--server-env</c>; external nodes: unknown).</summary>
    public JsonObject DescribeServers()
    {
        string? Env(string key) => ServerEnv.Where(e => e.StartsWith(key + "=", StringComparison.OrdinalIgnoreCase)).Select(e => e[(key.Length + 1)..]).LastOrDefault();
        var external = Urls.Count > 0;
        return new JsonObject
        {
            ["nodes"] = external ? Urls.Count : Nodes,
            ["store"] = external ? "external" : Env("Kefu__Store") ?? "sqlite",
            ["bus"] = external ? "external" : Env("Kefu__Bus") ?? "inprocess",
        };
    }

    private void ApplyPreset(string mode)
    {
        switch (mode)
        {
            case "quick":
                Scenarios.AddRange(["chat", "reconnect-storm"]);
                break;
            case "full":
                Scenarios.AddRange(["idle", "chat", "reconnect-storm", "burst"]);
                IdleConnections = 19000;
                IdleHoldSeconds = 60;
                ChatConnections = 19000;
                Pairs = 2000;
                Agents = 200;
                Rate = 2000;
                ChatSeconds = 60;
                WarmSeconds = 15;
                StormTrafficSeconds = 20;
                BurstSteps.AddRange([2500, 5000, 7500, 10000, 12500, 15000, 20000, 25000, 30000, 40000, 50000]);
                break;
            default:
                Scenarios.AddRange(mode.Split(','));
                break;
        }

        if (BurstSteps.Count == 0)
            BurstSteps.AddRange([1000, 2000, 4000]);
        if (mode == "quick")
            BurstStepSeconds = 5;
    }

    /// <summary>The options, for <c>--help</c> and for a bad command line.</summary>
    public const string Usage = """
        usage: Kefu.LoadGen quick|full|<scenario,...> [--option value ...]
          scenarios: idle, chat, reconnect-storm, burst (quick = chat,reconnect-storm; full = all four at full size)
          server:    --server-dll PATH (start and stop it) | --url URL[,URL...] (running nodes) [--server-pid PID]
                     --nodes N, --server-env NAME=VALUE (repeatable), --admin-user NAME, --admin-password PASSWORD
          idle:      --idle-connections N, --idle-seconds S
          chat:      --connections N, --pairs N, --agents N, --rate MSG_PER_S, --agent-share 0..1, --duration S,
                     --warm-seconds S (traffic before the measured run, not measured), --storm-seconds S, --text-bytes N
          burst:     --burst-pairs N, --burst-agents N, --burst-steps R1,R2,..., --burst-step-seconds S,
                     --burst-refine N (halvings between the last step that held and the first that did not; 2)
          workers:   --max-per-worker N, --min-workers N
          output:    --out DIR (JSON and Markdown per run), --markdown FILE (replace the results block in FILE),
                     --slow-log PREFIX (every latency over 5 ms with its start time, PREFIX-w<worker>-<pid>.tsv)
        usage: Kefu.LoadGen stalls --slow-log PREFIX --sched FILE [--slow-ms N] [--window-ms N]
          lines slow acks up with what ran on the CPUs (FILE: `perf script -F time,cpu,trace` of a
          `perf record -e sched:sched_switch -k CLOCK_MONOTONIC -a` taken during the run)
        See docs/benchmarks.md.
        """;

    private static int Int(string value) => int.Parse(value, CultureInfo.InvariantCulture);

    private static double Double(string value) => double.Parse(value, CultureInfo.InvariantCulture);
}
