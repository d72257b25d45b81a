using System.Text.Json.Nodes;
using HdrHistogram;
using Kefu.LoadGen.Worker;

namespace Kefu.LoadGen.Coordinator;

/// <summary>Merges worker histograms and summarises them in milliseconds.</summary>
internal static class Latency
{
    public static LongHistogram Merge(IEnumerable<JsonObject> snapshots, string key)
    {
        var merged = LatencyRecorder.New();
        foreach (var snapshot in snapshots)
            LatencyRecorder.AddEncoded(merged, snapshot[key]?.AsArray());
        return merged;
    }

    public static JsonObject Summary(LongHistogram histogram)
    {
        static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
        return new JsonObject
        {
            ["count"] = histogram.TotalCount,
            ["p50"] = histogram.TotalCount == 0 ? null : Ms(histogram.GetValueAtPercentile(50)),
            ["p90"] = histogram.TotalCount == 0 ? null : Ms(histogram.GetValueAtPercentile(90)),
            ["p99"] = histogram.TotalCount == 0 ? null : Ms(histogram.GetValueAtPercentile(99)),
            ["p999"] = histogram.TotalCount == 0 ? null : Ms(histogram.GetValueAtPercentile(99.9)),
            ["max"] = histogram.TotalCount == 0 ? null : Ms(histogram.GetMaxValue()),
        };
    }

    public static JsonObject SumCounters(IEnumerable<JsonObject> snapshots)
    {
        var sum = new JsonObject();
        foreach (var snapshot in snapshots)
        {
            foreach (var (name, value) in snapshot["counters"]!.AsObject())
                sum[name] = (sum[name]?.GetValue<long>() ?? 0) + value!.GetValue<long>();
        }

        return sum;
    }
}
