using System.Text.Json;
using Kefu.Core.Bots;
using Kefu.Core.Storage;
using Kefu.Server.Auth;

namespace Kefu.Server.Bots;

/// <summary>Whether the bot serves a visitor's new conversation, and with which welcome.</summary>
internal sealed record BotEntryDecision(BotMode Mode, BotGreeting Greeting);

/// <summary>Decides, when a visitor's conversation starts, whether the bot serves it first (the site's mode).</summary>
internal sealed class BotEntry(BotSiteConfig config, BotAgents agents, IDirectoryStore directory)
{
    /// <returns>Null when the conversation goes straight to the routing queue.</returns>
    public async Task<BotEntryDecision?> DecideAsync(Caller caller, string? teamId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (caller.SiteId is not { } siteId)
        {
            return null;
        }
        var settings = await config.GetAsync(siteId, cancellationToken);
        var mode = await config.ModeOfAsync(settings, cancellationToken);
        if (mode == BotMode.HumanFirst
            || (mode == BotMode.BotWhenNoAgent && await agents.AnyAvailableAsync(caller.TenantId, teamId, cancellationToken)))
        {
            return null;
        }
        var english = await PrefersEnglishAsync(caller.UserId, cancellationToken);
        var welcome = settings.Welcome ?? BotTexts.Welcome(english);
        return new BotEntryDecision(mode, new BotGreeting(settings.BotName ?? BotTexts.BotName(english), welcome.Length == 0 ? null : welcome));
    }

    /// <summary>English when the visitor's page said so (<c>context.locale</c>); Chinese otherwise.</summary>
    private async Task<bool> PrefersEnglishAsync(string visitorId, CancellationToken cancellationToken)
    {
        var visitor = await directory.GetVisitorAsync(visitorId, cancellationToken);
        if (visitor?.ContextJson is not { Length: > 0 } json)
        {
            return false;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("locale", out var locale)
                && locale.ValueKind == JsonValueKind.String
                && locale.GetString()!.StartsWith("en", StringComparison.OrdinalIgnoreCase);
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
