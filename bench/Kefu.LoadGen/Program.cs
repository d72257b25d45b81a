using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Kefu.LoadGen.Coordinator;
using Kefu.LoadGen.Worker;

// kefu-loadgen worker <n>             (started by the coordinator)
// kefu-loadgen quick|full|<scenarios> [--option value ...]
// kefu-loadgen stalls --slow-log PREFIX --sched FILE   (lines slow acks up with a perf sched trace)
if (args.Length >= 2 && args[0] == "worker")
    return await new WorkerHost(int.Parse(args[1], CultureInfo.InvariantCulture)).RunAsync();

if (args.Length >= 1 && args[0] == "stalls")
{
    try
    {
        return Kefu.LoadGen.Analysis.StallReport.Run(args[1..]);
    }
    catch (Exception ex) when (ex is ArgumentException or FormatException or IOException)
    {
        await Console.Error.WriteLineAsync(ex.Message + Environment.NewLine + Settings.Usage);
        return 2;
    }
}

if (args.Length == 0 || args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(Settings.Usage);
    return args.Length == 0 ? 2 : 0;
}

Settings settings;
try
{
    settings = Settings.Parse(args);
}
catch (Exception ex) when (ex is ArgumentException or FormatException)
{
    await Console.Error.WriteLineAsync(ex.Message + Environment.NewLine + Settings.Usage);
    return 2;
}
var startedAt = DateTimeOffset.UtcNow;
var runDir = Path.Combine(settings.OutDir, startedAt.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + settings.Mode);
Directory.CreateDirectory(runDir);
var problems = new List<string>();
var report = new JsonObject
{
    ["mode"] = settings.Mode,
    ["startedAt"] = startedAt.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
    ["machine"] = MachineInfo.Describe(),
    ["servers"] = settings.DescribeServers(),
    ["checks"] = new JsonObject(),
};
var scenarios = new Scenarios(settings, runDir, report, problems);
var failed = false;
try
{
    if (settings.Scenarios.Contains("idle"))
        await scenarios.IdleAsync();
    var chat = settings.Scenarios.Contains("chat");
    var storm = settings.Scenarios.Contains("reconnect-storm");
    if (chat || storm)
        await scenarios.ChatAndStormAsync(chat, storm);
    if (settings.Scenarios.Contains("burst"))
        await scenarios.BurstAsync();
}
catch (Exception ex)
{
    failed = true;
    problems.Add($"run failed: {ex.GetType().Name}: {ex.Message}");
    Console.Error.WriteLine(ex);
}

report["problems"] = new JsonArray(problems.Select(p => (JsonNode)p).ToArray());
var command = "dotnet Kefu.LoadGen.dll " + string.Join(' ', args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a))
    .Replace(settings.AdminPassword, "***", StringComparison.Ordinal);
var json = report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
await File.WriteAllTextAsync(Path.Combine(runDir, "report.json"), json);
var markdown = ReportWriter.Markdown(report, command);
await File.WriteAllTextAsync(Path.Combine(runDir, "report.md"), markdown);
if (settings.MarkdownOut is not null)
    await File.WriteAllTextAsync(settings.MarkdownOut, ReportWriter.Splice(File.Exists(settings.MarkdownOut) ? await File.ReadAllTextAsync(settings.MarkdownOut) : null, markdown));
Console.WriteLine(markdown);
Console.Error.WriteLine($"report: {runDir}/report.json");

// Only broken delivery or errors fail the run; a missed performance target never does.
var checksFailed = report["checks"]!.AsObject().Any(c => !c.Value!["ok"]!.GetValue<bool>());
return failed || checksFailed || problems.Count > 0 ? 1 : 0;
