using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Kefu.LoadGen.Coordinator;

/// <summary>Renders the run's JSON report as Markdown tables, each number next to its target.</summary>
internal static class ReportWriter
{
    public static string Markdown(JsonObject report, string command)
    {
        var md = new StringBuilder();
        var machine = report["machine"]!.AsObject();
        md.AppendLine(Inv($"## Run {report["startedAt"]} ({report["mode"]})"));
        md.AppendLine();
        md.AppendLine(Inv($"Machine: {machine["cores"]} cores ({machine["cpu"]}), {machine["memoryGiB"]} GiB, `ulimit -Hn` {machine["ulimitHn"]}, {machine["dotnet"]}, {machine["os"]}. Load generator on the same machine."));
        md.AppendLine();
        if (report["servers"] is JsonObject servers)
        {
            md.AppendLine(Inv($"Servers: {servers["nodes"]} node(s), store {servers["store"]}, bus {servers["bus"]}."));
            md.AppendLine();
        }

        md.AppendLine(Inv($"Command: `{command}`"));
        md.AppendLine();

        if (report["idle"] is JsonObject idle)
        {
            md.AppendLine("### idle");
            md.AppendLine();
            Table(md,
                ("connections held (online)", $"{idle["connections"]} ({idle["online"]})", ""),
                ("server RSS before / with", $"{idle["rssBeforeMiB"]} MiB / {idle["rssWithMiB"]} MiB", ""),
                ("server RSS per connection", $"{idle["rssPerConnectionKiB"]} KiB", "≤ 16 KB"),
                ("server CPU while idle", $"{idle["serverCpuPercentOfCore"]} % of a core over {idle["holdSeconds"]} s", "≤ 3 %"),
                ("server open files (all nodes / most on one node)", $"{idle["serverOpenFiles"]} / {idle["nodeOpenFilesMax"]}", "< 20,000 per process"),
                ("load generator RSS per connection", $"{idle["loadGenRssPerConnectionKiB"]} KiB", ""),
                ("load generator CPU", $"{idle["loadGenCpuPercentOfCore"]} % of a core", ""));
        }

        if (report["chat"] is JsonObject chat)
        {
            md.AppendLine("### chat");
            md.AppendLine();
            Table(md,
                ("connections online", $"{chat["online"]} ({chat["pairs"]} chatting visitors, {chat["agentMode"]}, {chat["assignedBeforeRun"]} conversations assigned before the run)", "19,000"),
                ("rate (target / acked)", $"{chat["rateTarget"]} / {chat["ackedPerSecond"]} msg/s for {chat["seconds"]} s{Warm(chat)}", "2,000 durable msg/s"),
                ("send → ack", Lat(chat["ackMs"]), "p50 ≤ 2, p99 ≤ 10, p99.9 ≤ 40 ms"),
                ($"send → ack p99 per {chat["windowSeconds"]} s", ByWindow(chat["ackP99ByWindow"]), ""),
                ("send → other party's message", Lat(chat["deliveryMs"]), ""),
                ("ping → pong (no store)", Lat(chat["pongMs"]), ""),
                ("generator lateness (intended → written)", Lat(chat["latenessMs"]), ""),
                ("server CPU / RSS", $"{chat["serverCpuPercentOfCore"]} % of a core / {chat["serverRssMiB"]} MiB", ""),
                ("load generator CPU", $"{chat["loadGenCpuPercentOfCore"]} % of a core", ""));
        }

        if (report["reconnectStorm"] is JsonObject storm)
        {
            md.AppendLine("### reconnect-storm");
            md.AppendLine();
            Table(md,
                ("connections dropped at once / resumed", $"{storm["dropped"]} / {storm["resumed"]}", "all"),
                ("time until all resumed (welcome)", $"{storm["allResumedSeconds"]} s", ""),
                ("per-connection resume time", Lat(storm["resumeMs"]), ""),
                ("traffic during the storm", $"{storm["ackedPerSecond"]} msg/s acked over {storm["trafficSeconds"]} s", ""),
                ("send → ack during the storm", Lat(storm["ackMs"]), ""),
                ("send → other party during the storm", Lat(storm["deliveryMs"]), ""));
        }

        if (report["burst"] is JsonObject burst)
        {
            md.AppendLine("### burst");
            md.AppendLine();
            md.AppendLine(Inv($"{burst["pairs"]} chatting visitors, {burst["agentMode"]}, {burst["stepSeconds"]} s per step: up the ladder of rates, then halving the gap between the last rate that held and the first that did not (a step holds when its ack p99 is ≤ 50 ms and at least 98 % of its sends were acked). Highest rate with ack p99 ≤ 50 ms: **{burst["highestRateAtP99Under50Ms"]?.ToString() ?? "none"} msg/s** (target ≥ 25,000)."));
            md.AppendLine();
            md.AppendLine("| target msg/s | acked msg/s | ack p50 | ack p99 | ack p99.9 | delivery p99 | server CPU | load gen CPU | held |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|");
            foreach (var step in burst["steps"]!.AsArray().OrderBy(s => s!["rateTarget"]!.GetValue<double>()))
            {
                var ack = step!["ackMs"]!;
                var held = step["held"]?.GetValue<bool>() == true ? "yes" : "no";
                md.AppendLine(Inv($"| {step["rateTarget"]} | {step["ackedPerSecond"]} | {ack["p50"]} ms | {ack["p99"]} ms | {ack["p999"]} ms | {step["deliveryMs"]!["p99"]} ms | {step["serverCpuPercentOfCore"]} % | {step["loadGenCpuPercentOfCore"]} % | {held} |"));
            }

            md.AppendLine();
        }

        if (report["checks"] is JsonObject checks && checks.Count > 0)
        {
            md.AppendLine("### delivery checks");
            md.AppendLine();
            md.AppendLine("| run | acked | lost | duplicated | reordered | seq holes | jumps healed by sync | unacked after drain | send errors | unexpected closes |");
            md.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
            foreach (var (name, node) in checks)
            {
                var c = node!;
                md.AppendLine(Inv($"| {name} | {c["acked"]} | {c["lost"]} | {c["duplicated"]} | {c["reordered"]} | {c["seqHoles"]} | {c["gapSyncs"]} | {c["unackedAfterDrain"]} | {c["sendErrors"]} | {c["unexpectedCloses"]} |"));
            }

            md.AppendLine();
        }

        var limits = (report["chat"] ?? report["idle"] ?? report["burst"])?["limits"]?.AsObject();
        if (limits is not null)
        {
            md.AppendLine("Server settings in force (set by the generator when it starts the server): "
                + (limits.Count == 0 ? "the external server's own." : string.Join(", ", limits.Select(l => $"`{l.Key}={l.Value}`"))) + ".");
            md.AppendLine();
        }

        if (report["problems"] is JsonArray problems && problems.Count > 0)
        {
            md.AppendLine("Problems seen:");
            md.AppendLine();
            foreach (var problem in problems)
                md.AppendLine(Inv($"- {problem}"));
            md.AppendLine();
        }

        return md.ToString();
    }

    private const string Begin = "<!-- loadgen:results:begin -->";
    private const string End = "<!-- loadgen:results:end -->";

    /// <summary>Replaces the generated section of a hand-written document, keeping its prose; or makes a new one.</summary>
    public static string Splice(string? document, string results)
    {
        var section = $"{Begin}\n{results}{End}";
        if (document is null)
            return $"# Kefu benchmarks\n\n{section}\n";
        var start = document.IndexOf(Begin, StringComparison.Ordinal);
        var end = document.IndexOf(End, StringComparison.Ordinal);
        return start >= 0 && end > start
            ? string.Concat(document.AsSpan(0, start), section, document.AsSpan(end + End.Length))
            : document.TrimEnd() + "\n\n" + section + "\n";
    }

    private static string Lat(JsonNode? ms)
        => ms is null || ms["count"]!.GetValue<long>() == 0
            ? "no samples"
            : Inv($"p50 {ms["p50"]} · p90 {ms["p90"]} · p99 {ms["p99"]} · p99.9 {ms["p999"]} · max {ms["max"]} ms (n={ms["count"]})");

    private static string ByWindow(JsonNode? p99s)
        => p99s is JsonArray { Count: > 0 } list
            ? string.Join(" · ", list.Select(p => p?.ToString() ?? "-")) + " ms"
            : "";

    private static void Table(StringBuilder md, params (string Name, string Value, string Target)[] rows)
    {
        md.AppendLine("| measure | value | target |");
        md.AppendLine("|---|---|---|");
        foreach (var (name, value, target) in rows)
            md.AppendLine(Inv($"| {name} | {value} | {target} |"));
        md.AppendLine();
    }

    private static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static string Warm(JsonObject chat) =>
        chat["warmSeconds"]?.GetValue<double>() is > 0 and var warm ? Inv($", after {warm} s of the same traffic not measured") : "";
}
