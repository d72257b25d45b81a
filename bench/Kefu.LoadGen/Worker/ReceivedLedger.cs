using System.Text.Json.Nodes;

namespace Kefu.LoadGen.Worker;

/// <summary>Which message numbers of which sender this worker's connections received.</summary>
internal sealed class ReceivedLedger
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, RangeSet> bySender = new(StringComparer.Ordinal);

    /// <summary>False when this worker had already received that message.</summary>
    public bool Add(string sender, int number)
    {
        lock (gate)
        {
            if (!bySender.TryGetValue(sender, out var set))
                bySender[sender] = set = new RangeSet();
            return set.Add(number);
        }
    }

    public JsonObject ToJson()
    {
        var result = new JsonObject();
        lock (gate)
        {
            foreach (var (sender, set) in bySender)
                result[sender] = set.ToJson();
        }

        return result;
    }
}
