namespace Kefu.Server.Uploads;

/// <summary>The content type from a file's first bytes; the name and the client's type are never trusted.</summary>
internal static class ContentSniffer
{
    /// <summary>How many first bytes are sniffed: enough for a WebM recording's track list.</summary>
    public const int HeaderBytes = 4096;
    public const string Unknown = "application/octet-stream";

    private static readonly HashSet<string> InlineSafe = new(StringComparer.Ordinal)
    {
        "image/png", "image/jpeg", "image/gif", "image/webp",
        "audio/mpeg", "audio/ogg", "audio/wav", "audio/webm", "audio/mp4", "video/mp4", "video/webm",
    };

    /// <summary>Types a browser only ever decodes as media, so they may be shown inline; everything else is a download.</summary>
    public static bool IsInlineSafe(string contentType) => InlineSafe.Contains(contentType);

    /// <summary>Images the server decodes for dimensions and a thumbnail.</summary>
    public static bool IsImage(string contentType) => contentType is "image/png" or "image/jpeg" or "image/gif" or "image/webp";

    /// <summary>What a voice message may be: audio, or the WebM/MP4 containers browsers record audio into.</summary>
    public static bool IsVoice(string contentType) => contentType.StartsWith("audio/", StringComparison.Ordinal) || contentType is "video/webm" or "video/mp4";

    public static string Sniff(ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }
        if (head.StartsWith("GIF87a"u8) || head.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }
        if (head.Length >= 12 && head.StartsWith("RIFF"u8))
        {
            return head[8..12].SequenceEqual("WEBP"u8) ? "image/webp" : head[8..12].SequenceEqual("WAVE"u8) ? "audio/wav" : Unknown;
        }
        if (head.StartsWith("%PDF-"u8))
        {
            return "application/pdf";
        }
        if (head.StartsWith("OggS"u8))
        {
            return "audio/ogg";
        }
        if (head.StartsWith((ReadOnlySpan<byte>)[0x1A, 0x45, 0xDF, 0xA3]))
        {
            // Recorded voice is WebM (or Matroska) with only an audio track.
            return MatroskaTracks.IsAudioOnly(head) ? "audio/webm" : "video/webm";
        }
        if (head.Length >= 12 && head[4..8].SequenceEqual("ftyp"u8))
        {
            return head[8..12].SequenceEqual("M4A "u8) ? "audio/mp4" : "video/mp4";
        }
        if (head.StartsWith("ID3"u8) || (head.Length >= 2 && head[0] == 0xFF && (head[1] & 0xE0) == 0xE0 && (head[1] & 0x06) != 0))
        {
            return "audio/mpeg";
        }
        return Unknown;
    }
}
