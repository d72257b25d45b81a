using System.Buffers.Text;
using System.Text;

namespace Kefu.Server.Uploads;

/// <summary>The tus <c>Upload-Metadata</c> header: comma-separated <c>key base64value</c> pairs (the value may be absent).</summary>
internal static class TusMetadata
{
    private const int MaxHeaderLength = 4096;

    /// <summary>The decoded pairs, or null when the header is malformed.</summary>
    public static Dictionary<string, string>? Parse(string? header)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(header))
        {
            return result;
        }
        if (header.Length > MaxHeaderLength)
        {
            return null;
        }
        foreach (var pair in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = pair.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 0 or > 2 || result.ContainsKey(parts[0]))
            {
                return null;
            }
            if (parts.Length == 1)
            {
                result[parts[0]] = "";
                continue;
            }
            if (!Base64.IsValid(parts[1]))
            {
                return null;
            }
            try
            {
                result[parts[0]] = new UTF8Encoding(false, true).GetString(Convert.FromBase64String(parts[1]));
            }
            catch (DecoderFallbackException)
            {
                return null;
            }
        }
        return result;
    }
}
