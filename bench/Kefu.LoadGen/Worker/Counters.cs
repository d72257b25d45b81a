using System.Text.Json.Nodes;

namespace Kefu.LoadGen.Worker;

/// <summary>Event counts of one worker; the phase counts are reset by each snapshot.</summary>
internal sealed class Counters
{
    public long Scheduled;
    public long Sent;
    public long Acked;
    public long Received;
    public long Replayed;
    public long SendErrors;
    public long ErrorFrames;
    public long SkippedNoConversation;
    public long DuplicateSeq;
    public long ReorderedSeq;
    public long DuplicateTag;
    public long UnexpectedCloses;
    public long ConnectFailures;
    public long Pongs;
    public long GapSyncs;

    public JsonObject SnapshotAndReset()
    {
        var result = Totals();
        // Each phase count is read and zeroed in one step: a snapshot taken while sends run (the chat's 10 s
        // windows) loses none of the events that land between the read and the reset.
        result["scheduled"] = Interlocked.Exchange(ref Scheduled, 0);
        result["sent"] = Interlocked.Exchange(ref Sent, 0);
        result["acked"] = Interlocked.Exchange(ref Acked, 0);
        result["received"] = Interlocked.Exchange(ref Received, 0);
        result["replayed"] = Interlocked.Exchange(ref Replayed, 0);
        result["skippedNoConversation"] = Interlocked.Exchange(ref SkippedNoConversation, 0);
        result["pongs"] = Interlocked.Exchange(ref Pongs, 0);
        return result;
    }

    public JsonObject Totals()
    {
        var result = new JsonObject();
        foreach (var (name, getter) in Fields())
            result[name] = getter(this);
        return result;
    }

    private static IEnumerable<(string Name, Func<Counters, long> Get)> Fields()
    {
        yield return ("scheduled", c => Interlocked.Read(ref c.Scheduled));
        yield return ("sent", c => Interlocked.Read(ref c.Sent));
        yield return ("acked", c => Interlocked.Read(ref c.Acked));
        yield return ("received", c => Interlocked.Read(ref c.Received));
        yield return ("replayed", c => Interlocked.Read(ref c.Replayed));
        yield return ("sendErrors", c => Interlocked.Read(ref c.SendErrors));
        yield return ("errorFrames", c => Interlocked.Read(ref c.ErrorFrames));
        yield return ("skippedNoConversation", c => Interlocked.Read(ref c.SkippedNoConversation));
        yield return ("duplicateSeq", c => Interlocked.Read(ref c.DuplicateSeq));
        yield return ("reorderedSeq", c => Interlocked.Read(ref c.ReorderedSeq));
        yield return ("duplicateTag", c => Interlocked.Read(ref c.DuplicateTag));
        yield return ("unexpectedCloses", c => Interlocked.Read(ref c.UnexpectedCloses));
        yield return ("connectFailures", c => Interlocked.Read(ref c.ConnectFailures));
        yield return ("pongs", c => Interlocked.Read(ref c.Pongs));
        yield return ("gapSyncs", c => Interlocked.Read(ref c.GapSyncs));
    }
}
