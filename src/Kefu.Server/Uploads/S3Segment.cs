using System.Globalization;

namespace Kefu.Server.Uploads;

/// <summary>
/// One object of an upload in S3: the bytes [<see cref="Start"/>, <see cref="End"/>) of the file, under
/// <c>{prefix}{id}/{start}-{end}</c> (13 digits each, so a listing is in file order), or the whole file under
/// <c>{prefix}{id}/whole</c> once it was rewritten in one piece.
/// </summary>
internal readonly record struct S3Segment(string Key, long Start, long End)
{
    public const string WholeName = "whole";

    public long Length => End - Start;

    public bool IsWhole => Key.EndsWith("/" + WholeName, StringComparison.Ordinal);

    public static string Folder(string prefix, string id) => prefix + id + "/";

    public static string KeyOf(string prefix, string id, long start, long end) =>
        string.Create(CultureInfo.InvariantCulture, $"{Folder(prefix, id)}{start:D13}-{end:D13}");

    /// <summary>Reads a listed key back; false for a key Kefu did not write.</summary>
    public static bool TryParse(string key, string folder, long size, out S3Segment segment)
    {
        segment = default;
        if (!key.StartsWith(folder, StringComparison.Ordinal))
        {
            return false;
        }
        var name = key.AsSpan(folder.Length);
        if (name.SequenceEqual(WholeName))
        {
            segment = new S3Segment(key, 0, size);
            return true;
        }
        var dash = name.IndexOf('-');
        if (dash < 1
            || !long.TryParse(name[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var start)
            || !long.TryParse(name[(dash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var end)
            || end <= start || end - start != size)
        {
            return false;
        }
        segment = new S3Segment(key, start, end);
        return true;
    }

    /// <summary>
    /// The segments that make up the file's first <paramref name="limit"/> bytes, from byte 0 on: at each position the
    /// longest segment that does not go past the limit. Anything else (a write that was never recorded, a segment
    /// replaced by a longer one) is left out. A whole object, when there is one, is the file.
    /// </summary>
    public static List<S3Segment> Chain(IReadOnlyCollection<S3Segment> segments, long limit)
    {
        if (segments.FirstOrDefault(s => s.IsWhole) is { Key: not null } whole)
        {
            return whole.End <= limit ? [whole] : [];
        }
        var byStart = segments.ToLookup(s => s.Start);
        var chain = new List<S3Segment>();
        var position = 0L;
        while (position < limit)
        {
            var next = byStart[position].Where(s => s.End <= limit).OrderByDescending(s => s.End).FirstOrDefault();
            if (next.Key is null)
            {
                break;
            }
            chain.Add(next);
            position = next.End;
        }
        return chain;
    }
}
