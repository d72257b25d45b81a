using System.Diagnostics;
using System.Text.Json.Nodes;
using HdrHistogram;

namespace Kefu.LoadGen.Worker;

/// <summary>
/// Send→ack and send→delivery latencies in microseconds, measured from the intended send time. A worker
/// ships its histograms as (value, count) pairs; the coordinator adds them up.
/// </summary>
internal sealed class LatencyRecorder
{
    public const long HighestMicros = 3_600_000_000;
    private readonly Lock gate = new();
    private LongHistogram ack = New();
    private LongHistogram delivery = New();
    private LongHistogram pong = New();
    private LongHistogram lateness = New();

    /// <summary>Where latencies over 5 ms are also written one by one (<c>--slow-log</c>); null: nowhere.</summary>
    public SlowEventLog? SlowLog { get; set; }

    public static LongHistogram New() => new(HighestMicros, 3);

    public static long MicrosSince(long intendedTicks)
    {
        var micros = (Stopwatch.GetTimestamp() - intendedTicks) * 1_000_000 / Stopwatch.Frequency;
        return Math.Clamp(micros, 0, HighestMicros);
    }

    public void RecordAck(long intendedTicks)
    {
        var micros = MicrosSince(intendedTicks);
        SlowLog?.Record("ack", intendedTicks, micros);
        lock (gate)
            ack.RecordValue(micros);
    }

    public void RecordDelivery(long intendedTicks)
    {
        var micros = MicrosSince(intendedTicks);
        SlowLog?.Record("delivery", intendedTicks, micros);
        lock (gate)
            delivery.RecordValue(micros);
    }

    /// <summary>Ping→pong: the server's round trip without the store, the baseline for the other two.</summary>
    public void RecordPong(long sentTicks)
    {
        var micros = MicrosSince(sentTicks);
        SlowLog?.Record("pong", sentTicks, micros);
        lock (gate)
            pong.RecordValue(micros);
    }

    /// <summary>
    /// Intended send time → the frame handed to the socket: the generator's own delay (its pacing thread wakes about
    /// once a millisecond). It is part of every send latency, which counts from the intended time.
    /// </summary>
    public void RecordLateness(long intendedTicks)
    {
        var micros = MicrosSince(intendedTicks);
        lock (gate)
            lateness.RecordValue(micros);
    }

    public JsonObject SnapshotAndReset()
    {
        LongHistogram a, d, p, l;
        lock (gate)
        {
            (a, ack) = (ack, New());
            (d, delivery) = (delivery, New());
            (p, pong) = (pong, New());
            (l, lateness) = (lateness, New());
        }

        return new JsonObject { ["ack"] = Encode(a), ["delivery"] = Encode(d), ["pong"] = Encode(p), ["lateness"] = Encode(l) };
    }

    public static JsonArray Encode(HistogramBase histogram)
    {
        var array = new JsonArray();
        foreach (var value in histogram.RecordedValues())
            array.Add(new JsonArray(value.ValueIteratedTo, value.CountAtValueIteratedTo));
        return array;
    }

    public static void AddEncoded(LongHistogram target, JsonArray? encoded)
    {
        if (encoded is null)
            return;
        foreach (var item in encoded)
        {
            var pair = item!.AsArray();
            target.RecordValueWithCount(pair[0]!.GetValue<long>(), pair[1]!.GetValue<long>());
        }
    }
}
