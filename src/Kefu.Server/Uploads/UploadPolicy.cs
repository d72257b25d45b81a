using System.Collections.Concurrent;
using Kefu.Core.Storage;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Uploads;

/// <summary>
/// Finds the limits of a site's uploads: the settings of its site key under <c>Kefu:Uploads:Sites</c> over
/// <c>Kefu:Uploads:Defaults</c>. Site keys never change, so each site's key is looked up once.
/// </summary>
internal sealed class UploadPolicy(IDirectoryStore directory, IOptions<UploadOptions> options)
{
    private readonly ConcurrentDictionary<string, string> _siteKeys = new(StringComparer.Ordinal);

    public async Task<UploadLimits> ForSiteAsync(string? siteId, CancellationToken cancellationToken)
    {
        var value = options.Value;
        if (siteId is null)
        {
            return UploadLimits.From(value, null, hasQuota: false);
        }
        if (!_siteKeys.TryGetValue(siteId, out var siteKey))
        {
            siteKey = (await directory.GetSiteAsync(siteId, cancellationToken))?.SiteKey;
            if (siteKey is null)
            {
                return UploadLimits.From(value, null, hasQuota: true);
            }
            _siteKeys[siteId] = siteKey;
        }
        return UploadLimits.From(value, value.Sites.GetValueOrDefault(siteKey), hasQuota: true);
    }
}
