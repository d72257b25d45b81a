using Kefu.Core.Storage;
using Kefu.Server.Auth;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Routing;

/// <summary>
/// Decides, when a visitor's conversation starts, its team (the one the entry point asked for, else the
/// default team), its skills, its priority (identified visitors first) and its sticky agent (who served the
/// visitor last).
/// </summary>
internal sealed class EntryPoint(IDirectoryStore directory, IConversationStore store, VisitorRouting visitorRouting, IOptions<RoutingOptions> options)
{
    /// <returns>Also the visitor's most recent conversation, if any.</returns>
    public async Task<(string? TeamId, RoutingHint Hint, Conversation? Last)> PrepareAsync(Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var entry = await visitorRouting.GetAsync(caller.UserId, cancellationToken);
        var teams = await directory.ListTeamsAsync(caller.TenantId, cancellationToken);
        var team = teams.FirstOrDefault(t => t.Id == entry?.TeamId) ?? teams.FirstOrDefault(t => t.IsDefault);
        var visitor = await directory.GetVisitorAsync(caller.UserId, cancellationToken);
        var priority = visitor?.ExternalId is not null ? options.Value.IdentifiedPriority : 0;
        var recent = await store.ListForVisitorAsync(caller.UserId, 1, cancellationToken);
        var last = recent.Count == 1 ? recent[0] : null;
        var preferred = options.Value.StickyWaitSeconds > 0 ? last?.AssigneeId : null;
        return (team?.Id, new RoutingHint(entry?.Skills ?? [], priority, preferred), last);
    }

    public static TeamProfile? Resolve(IReadOnlyList<TeamProfile> teams, string? reference) =>
        string.IsNullOrWhiteSpace(reference)
            ? null
            : teams.FirstOrDefault(t => t.Id == reference) ?? teams.FirstOrDefault(t => string.Equals(t.Name, reference, StringComparison.OrdinalIgnoreCase));
}
