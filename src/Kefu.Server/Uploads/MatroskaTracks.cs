namespace Kefu.Server.Uploads;

/// <summary>
/// Reads the track types of a WebM/Matroska file from its first bytes (EBML: the header, then the Segment's Info and
/// Tracks, which recorders such as MediaRecorder write before the first Cluster), so a recording with only audio
/// tracks is told apart from a video.
/// </summary>
internal static class MatroskaTracks
{
    private const uint Segment = 0x18538067;
    private const uint Tracks = 0x1654AE6B;
    private const uint TrackEntry = 0xAE;
    private const uint TrackType = 0x83;
    private const uint Cluster = 0x1F43B675;
    private const uint Ebml = 0x1A45DFA3;
    private const long VideoTrack = 1;
    private const long AudioTrack = 2;

    /// <summary>Whether the file's tracks are known and all audio; false for a video track or when the tracks are not in <paramref name="head"/>.</summary>
    public static bool IsAudioOnly(ReadOnlySpan<byte> head)
    {
        var position = 0;
        // The EBML header, then the Segment, whose children are walked (its size is often "unknown" while recording).
        if (!TryReadElement(head, ref position, out var id, out var size) || id != Ebml || size is null)
        {
            return false;
        }
        position += (int)Math.Min(size.Value, head.Length - position);
        if (!TryReadElement(head, ref position, out id, out _) || id != Segment)
        {
            return false;
        }
        while (TryReadElement(head, ref position, out id, out size))
        {
            if (id == Tracks)
            {
                var end = size is { } known ? (int)Math.Min(position + known, head.Length) : head.Length;
                return TracksAreAudioOnly(head[position..end]);
            }
            if (id == Cluster || size is null || position + size.Value > head.Length)
            {
                return false;
            }
            position += (int)size.Value;
        }
        return false;
    }

    private static bool TracksAreAudioOnly(ReadOnlySpan<byte> tracks)
    {
        var position = 0;
        var audio = 0;
        while (TryReadElement(tracks, ref position, out var id, out var size) && size is { } length && position + length <= tracks.Length)
        {
            if (id == TrackEntry)
            {
                var type = TrackTypeOf(tracks.Slice(position, (int)length));
                if (type != AudioTrack)
                {
                    return false; // video, subtitles, or a type that cannot be read
                }
                audio++;
            }
            position += (int)length;
        }
        return audio > 0 && position == tracks.Length;
    }

    private static long TrackTypeOf(ReadOnlySpan<byte> entry)
    {
        var position = 0;
        while (TryReadElement(entry, ref position, out var id, out var size) && size is { } length && position + length <= entry.Length)
        {
            if (id == TrackType && length is >= 1 and <= 8)
            {
                long value = 0;
                foreach (var b in entry.Slice(position, (int)length))
                {
                    value = (value << 8) | b;
                }
                return value;
            }
            position += (int)length;
        }
        return VideoTrack;
    }

    /// <summary>Reads an element's id and data size (null when the size is "unknown"), leaving <paramref name="position"/> at its data.</summary>
    private static bool TryReadElement(ReadOnlySpan<byte> data, ref int position, out uint id, out long? size)
    {
        id = 0;
        size = null;
        if (position >= data.Length)
        {
            return false;
        }
        var idLength = System.Numerics.BitOperations.LeadingZeroCount((uint)data[position]) - 24 + 1;
        if (idLength > 4 || position + idLength > data.Length)
        {
            return false;
        }
        for (var i = 0; i < idLength; i++)
        {
            id = (id << 8) | data[position + i];
        }
        var sizeAt = position + idLength;
        if (sizeAt >= data.Length || data[sizeAt] == 0)
        {
            return false;
        }
        var sizeLength = System.Numerics.BitOperations.LeadingZeroCount((uint)data[sizeAt]) - 24 + 1;
        if (sizeAt + sizeLength > data.Length)
        {
            return false;
        }
        long value = data[sizeAt] & (0xFF >> sizeLength);
        var allOnes = value == (0xFF >> sizeLength);
        for (var i = 1; i < sizeLength; i++)
        {
            value = (value << 8) | data[sizeAt + i];
            allOnes &= data[sizeAt + i] == 0xFF;
        }
        size = allOnes ? null : value;
        position = sizeAt + sizeLength;
        return true;
    }
}
