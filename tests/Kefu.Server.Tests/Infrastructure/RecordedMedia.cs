namespace Kefu.Server.Tests.Infrastructure;

/// <summary>
/// Small media files laid out as browsers record them: WebM the way MediaRecorder writes it (EBML header, a Segment
/// of unknown size, Info, Tracks, then Clusters of SimpleBlocks) and an Ogg Opus stream (OpusHead and OpusTags pages).
/// </summary>
internal static class RecordedMedia
{
    /// <summary>A WebM recording with an Opus audio track and, if asked, a VP8 video track.</summary>
    public static byte[] WebM(bool withVideo)
    {
        var header = Element(0x1A45DFA3, [
            .. Element(0x4286, [1]), // EBMLVersion
            .. Element(0x42F7, [1]), // EBMLReadVersion
            .. Element(0x42F2, [4]), // EBMLMaxIDLength
            .. Element(0x42F3, [8]), // EBMLMaxSizeLength
            .. Element(0x4282, "webm"u8.ToArray()), // DocType
            .. Element(0x4287, [4]), // DocTypeVersion
            .. Element(0x4285, [2]), // DocTypeReadVersion
        ]);
        var info = Element(0x1549A966, [
            .. Element(0x2AD7B1, [0x0F, 0x42, 0x40]), // TimecodeScale 1 ms
            .. Element(0x4D80, "Chrome"u8.ToArray()), // MuxingApp
            .. Element(0x5741, "Chrome"u8.ToArray()), // WritingApp
        ]);
        var audio = Element(0xAE, [
            .. Element(0xD7, [1]), // TrackNumber
            .. Element(0x73C5, [0x11, 0x22, 0x33, 0x44]), // TrackUID
            .. Element(0x83, [2]), // TrackType: audio
            .. Element(0x86, "A_OPUS"u8.ToArray()), // CodecID
            .. Element(0x63A2, OpusHead()), // CodecPrivate
            .. Element(0xE1, [.. Element(0xB5, [0x40, 0xE7, 0x70, 0x00]), .. Element(0x9F, [1])]), // Audio: 48000 Hz, mono
        ]);
        var video = Element(0xAE, [
            .. Element(0xD7, [2]),
            .. Element(0x73C5, [0x55, 0x66, 0x77, 0x88]),
            .. Element(0x83, [1]), // TrackType: video
            .. Element(0x86, "V_VP8"u8.ToArray()),
            .. Element(0xE0, [.. Element(0xB0, [0x01, 0x40]), .. Element(0xBA, [0xF0])]), // Video: 320x240
        ]);
        var tracks = Element(0x1654AE6B, withVideo ? [.. audio, .. video] : audio);
        // A Cluster of unknown size with a timecode and one SimpleBlock (track 1, keyframe, an Opus silence frame).
        byte[] cluster = [0x1F, 0x43, 0xB6, 0x75, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
            .. Element(0xE7, [0]), .. Element(0xA3, [0x81, 0x00, 0x00, 0x80, 0xF8, 0xFF, 0xFE])];
        // The Segment's size is "unknown" (all ones), as a live recorder writes it.
        return [.. header, 0x18, 0x53, 0x80, 0x67, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, .. info, .. tracks, .. cluster];
    }

    /// <summary>An Ogg Opus stream: the OpusHead page, the OpusTags page and one audio page.</summary>
    public static byte[] OggOpus()
    {
        byte[] tags = [.. "OpusTags"u8, 6, 0, 0, 0, .. "Chrome"u8, 0, 0, 0, 0];
        return [.. OggPage(OpusHead(), 0x02, 0), .. OggPage(tags, 0x00, 1), .. OggPage([0xF8, 0xFF, 0xFE], 0x04, 2)];
    }

    private static byte[] OpusHead() => [.. "OpusHead"u8, 1, 1, 0x38, 0x01, 0x80, 0xBB, 0, 0, 0, 0, 0];

    private static byte[] OggPage(byte[] packet, byte flags, uint sequence)
    {
        var page = new List<byte>();
        page.AddRange("OggS"u8.ToArray());
        page.Add(0); // version
        page.Add(flags);
        page.AddRange(new byte[8]); // granule position
        page.AddRange(BitConverter.GetBytes(0x4B656675u)); // serial
        page.AddRange(BitConverter.GetBytes(sequence));
        page.AddRange(new byte[4]); // CRC (not checked by a sniffer)
        page.Add(1); // one segment
        page.Add((byte)packet.Length);
        page.AddRange(packet);
        return [.. page];
    }

    private static byte[] Element(uint id, byte[] data)
    {
        var idBytes = BitConverter.GetBytes(id).Reverse().SkipWhile(b => b == 0).ToArray();
        // An 8-byte size (0x01 marker), as recorders often write it.
        byte[] size = [0x01, .. BitConverter.GetBytes((ulong)data.Length).Reverse().Skip(1)];
        return [.. idBytes, .. size, .. data];
    }

}
