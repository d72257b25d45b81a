using System.Text.Json;
using Kefu.Core.Storage;

namespace Kefu.Server.Routing;

/// <summary>
/// A visitor's entry choices (<see cref="VisitorEntry"/>), kept in the store's settings so that whichever node
/// starts the visitor's next conversation finds them.
/// </summary>
internal sealed class VisitorRouting(IDirectoryStore directory)
{
    private static string Key(string visitorId) => "visitor-entry:" + visitorId;

    public async Task<VisitorEntry?> GetAsync(string visitorId, CancellationToken cancellationToken)
    {
        var json = await directory.GetSettingAsync(Key(visitorId), cancellationToken);
        return json is null ? null : JsonSerializer.Deserialize(json, RoutingJsonContext.Default.VisitorEntry);
    }

    /// <summary>Applies <paramref name="change"/> to the stored entry (or an empty one) and stores the result.</summary>
    public async Task UpdateAsync(string visitorId, Func<VisitorEntry, VisitorEntry> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var entry = change(await GetAsync(visitorId, cancellationToken) ?? new VisitorEntry(null, [], null, null));
        await directory.SetSettingAsync(Key(visitorId), JsonSerializer.Serialize(entry, RoutingJsonContext.Default.VisitorEntry), cancellationToken);
    }
}
