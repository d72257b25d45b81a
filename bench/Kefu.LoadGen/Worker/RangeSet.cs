using System.Text.Json.Nodes;

namespace Kefu.LoadGen.Worker;

/// <summary>
/// A set of non-negative integers kept as sorted inclusive ranges: message numbers and seqs arrive nearly in
/// order, so a set of thousands is usually one or two ranges.
/// </summary>
internal sealed class RangeSet
{
    private readonly List<(long Start, long End)> ranges = [];

    public int RangeCount => ranges.Count;

    public long Count
    {
        get
        {
            long count = 0;
            foreach (var (start, end) in ranges)
                count += end - start + 1;
            return count;
        }
    }

    public long Min => ranges.Count == 0 ? -1 : ranges[0].Start;

    public long Max => ranges.Count == 0 ? -1 : ranges[^1].End;

    /// <summary>Values between <see cref="Min"/> and <see cref="Max"/> that are missing.</summary>
    public long Holes => ranges.Count == 0 ? 0 : Max - Min + 1 - Count;

    public IReadOnlyList<(long Start, long End)> Ranges => ranges;

    public bool Contains(long value)
    {
        var index = FindFirstEndingAtOrAfter(value);
        return index < ranges.Count && ranges[index].Start <= value;
    }

    /// <summary>Adds <paramref name="value"/>; false if it was already there.</summary>
    public bool Add(long value)
    {
        // Fast path: appending right after the last range.
        if (ranges.Count > 0 && ranges[^1].End + 1 == value)
        {
            ranges[^1] = (ranges[^1].Start, value);
            return true;
        }

        var index = FindFirstEndingAtOrAfter(value);
        if (index < ranges.Count && ranges[index].Start <= value)
            return false;

        var joinsPrevious = index > 0 && ranges[index - 1].End + 1 == value;
        var joinsNext = index < ranges.Count && ranges[index].Start - 1 == value;
        if (joinsPrevious && joinsNext)
        {
            ranges[index - 1] = (ranges[index - 1].Start, ranges[index].End);
            ranges.RemoveAt(index);
        }
        else if (joinsPrevious)
        {
            ranges[index - 1] = (ranges[index - 1].Start, value);
        }
        else if (joinsNext)
        {
            ranges[index] = (value, ranges[index].End);
        }
        else
        {
            ranges.Insert(index, (value, value));
        }

        return true;
    }

    public void AddRange(long start, long end)
    {
        for (var value = start; value <= end; value++)
            Add(value);
    }

    /// <summary>Values of this set missing from <paramref name="other"/>.</summary>
    public long CountMissingFrom(RangeSet other)
    {
        long missing = 0;
        foreach (var (start, end) in ranges)
        {
            for (var value = start; value <= end; value++)
            {
                if (!other.Contains(value))
                    missing++;
            }
        }

        return missing;
    }

    public JsonArray ToJson()
    {
        var array = new JsonArray();
        foreach (var (start, end) in ranges)
            array.Add(new JsonArray(start, end));
        return array;
    }

    public static RangeSet FromJson(JsonArray? array)
    {
        var set = new RangeSet();
        if (array is null)
            return set;
        foreach (var item in array)
        {
            var pair = item!.AsArray();
            set.AddRange(pair[0]!.GetValue<long>(), pair[1]!.GetValue<long>());
        }

        return set;
    }

    private int FindFirstEndingAtOrAfter(long value)
    {
        int low = 0, high = ranges.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (ranges[mid].End < value)
                low = mid + 1;
            else
                high = mid;
        }

        return low;
    }
}
