using Kefu.Core.Protocol;

namespace Kefu.Server.Uploads;

/// <summary>The limits that apply to one site's uploads (or to agents', which belong to no site and have no quota).</summary>
internal sealed record UploadLimits(long MaxBytes, long? QuotaBytes, long MaxImageBytes, long MaxVoiceBytes, long MaxFileBytes, IReadOnlyList<string> AllowedTypes)
{
    public static UploadLimits From(UploadOptions options, SiteUploadOptions? site, bool hasQuota)
    {
        ArgumentNullException.ThrowIfNull(options);
        var defaults = options.Defaults;
        var max = Math.Min(options.MaxBytes, site?.MaxBytes ?? defaults.MaxBytes ?? options.MaxBytes);
        long Kind(long? own, long? fallback) => Math.Min(max, own ?? fallback ?? max);
        return new UploadLimits(
            max,
            hasQuota ? site?.QuotaBytes ?? defaults.QuotaBytes : null,
            Kind(site?.MaxImageBytes, defaults.MaxImageBytes),
            Kind(site?.MaxVoiceBytes, defaults.MaxVoiceBytes),
            Kind(site?.MaxFileBytes, defaults.MaxFileBytes),
            site?.AllowedTypes ?? defaults.AllowedTypes ?? []);
    }

    /// <summary>Whether the sniffed type is on the allow-list (an empty list allows any type).</summary>
    public bool Allows(string contentType)
    {
        ArgumentNullException.ThrowIfNull(contentType);
        if (AllowedTypes.Count == 0)
        {
            return true;
        }
        foreach (var allowed in AllowedTypes)
        {
            if (string.Equals(allowed, contentType, StringComparison.OrdinalIgnoreCase)
                || (allowed.EndsWith("/*", StringComparison.Ordinal) && contentType.StartsWith(allowed[..^1], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }
        return false;
    }

    public long MaxBytesFor(string kind) => kind switch
    {
        MessageKinds.Image => MaxImageBytes,
        MessageKinds.Voice => MaxVoiceBytes,
        _ => MaxFileBytes,
    };
}
