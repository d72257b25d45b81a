using System.Text.Json.Nodes;
using Kefu.LoadGen.Worker;

namespace Kefu.LoadGen.Coordinator;

/// <summary>
/// Joins the workers' ledgers: every acknowledged message must have been received by the other party exactly
/// once; per conversation the seqs each connection saw must be gapless and arrive in order. A jump a client
/// healed with a sync, as the protocol asks, is counted apart (<c>gapSyncs</c>): no loss, but a sign of one on the way.
/// </summary>
internal static class Reconciler
{
    public static JsonObject Check(JsonObject[] ledgers)
    {
        var acked = new Dictionary<string, RangeSet>(StringComparer.Ordinal);
        var received = new Dictionary<string, RangeSet>(StringComparer.Ordinal);
        long crossWorkerDuplicates = 0, seqHoles = 0, views = 0;
        long duplicateSeq = 0, reorderedSeq = 0, duplicateTag = 0, sendErrors = 0, errorFrames = 0, unexpectedCloses = 0, gapSyncs = 0;
        foreach (var ledger in ledgers)
        {
            foreach (var (sender, ranges) in ledger["acked"]!.AsObject())
                acked[sender] = RangeSet.FromJson(ranges!.AsArray());
            foreach (var (sender, ranges) in ledger["received"]!.AsObject())
            {
                var incoming = RangeSet.FromJson(ranges!.AsArray());
                if (!received.TryGetValue(sender, out var set))
                {
                    received[sender] = incoming;
                    continue;
                }

                foreach (var (start, end) in incoming.Ranges)
                {
                    for (var n = start; n <= end; n++)
                    {
                        if (!set.Add(n))
                            crossWorkerDuplicates++;
                    }
                }
            }

            seqHoles += ledger["seqHoles"]!.GetValue<long>();
            views += ledger["conversationViews"]!.GetValue<long>();
            var totals = ledger["totals"]!.AsObject();
            duplicateSeq += totals["duplicateSeq"]!.GetValue<long>();
            reorderedSeq += totals["reorderedSeq"]!.GetValue<long>();
            duplicateTag += totals["duplicateTag"]!.GetValue<long>();
            sendErrors += totals["sendErrors"]!.GetValue<long>();
            errorFrames += totals["errorFrames"]!.GetValue<long>();
            unexpectedCloses += totals["unexpectedCloses"]!.GetValue<long>();
            gapSyncs += totals["gapSyncs"]?.GetValue<long>() ?? 0;
        }

        long ackedCount = 0, lost = 0;
        foreach (var (sender, set) in acked)
        {
            ackedCount += set.Count;
            lost += received.TryGetValue(sender, out var got) ? set.CountMissingFrom(got) : set.Count;
        }

        var duplicates = duplicateTag + crossWorkerDuplicates + duplicateSeq;
        return new JsonObject
        {
            ["acked"] = ackedCount,
            ["lost"] = lost,
            ["duplicated"] = duplicates,
            ["reordered"] = reorderedSeq,
            ["seqHoles"] = seqHoles,
            ["gapSyncs"] = gapSyncs,
            ["conversationViews"] = views,
            ["sendErrors"] = sendErrors,
            ["errorFrames"] = errorFrames,
            ["unexpectedCloses"] = unexpectedCloses,
            ["ok"] = lost == 0 && duplicates == 0 && reorderedSeq == 0 && seqHoles == 0,
        };
    }
}
