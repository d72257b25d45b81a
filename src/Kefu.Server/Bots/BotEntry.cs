using System.Text.Json;
using Kefu.Core.Bots;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Server.Auth;

namespace Kefu.Server.Bots;

/// <summary>Whether the bot serves a visitor's new conversation, and with which welcome.</summary>
internal sealed record BotEntryDecision(BotMode Mode, BotGreeting Greeting);

/// <summary>Decides, when a visitor's conversation starts, whether the bot serves it first (the site's mode).</summary>
internal sealed class BotEntry(BotSiteConfig config, BotAgents agents, IDirectoryStore directory, IBotFlowStore store)
{
    /// <summary>
    /// The visitor wrote again within the reopen window: the closed conversation goes back to the bot when the bot
    /// served it without handing it to people and the site's mode would give a new conversation to the bot now.
    /// </summary>
    /// <returns>The reopened conversation; null when it goes to people (or cannot be reopened).</returns>
    public async Task<Conversation?> ReopenAsync(Caller caller, Conversation closed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(closed);
        if (await store.GetSessionAsync(closed.Id, cancellationToken) is not { HandedOffAt: null }
            || await DecideAsync(caller, closed.TeamId, cancellationToken) is not { } decision)
        {
            return null;
        }
        return await store.ReopenToBotAsync(closed.Id, decision.Mode, new RoutingActor(caller.UserId, SenderTypes.Visitor, caller.Name, null), cancellationToken);
    }

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
        return new BotEntryDecision(mode, await GreetingAsync(settings, caller.UserId, cancellationToken));
    }

    /// <summary>The welcome in the visitor's language (see <see cref="BotWelcomes"/>), from the bot's name.</summary>
    public async Task<BotGreeting> GreetingAsync(BotSiteSettings settings, string visitorId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var locale = await LocaleOfAsync(visitorId, cancellationToken);
        return new BotGreeting(settings.BotName ?? BotTexts.BotName(BotWelcomes.IsEnglish(locale)), BotWelcomes.For(settings, locale));
    }

    /// <summary>The visitor's language tag (<c>context.locale</c>: its page's, else its browser's); null when unknown.</summary>
    private async Task<string?> LocaleOfAsync(string visitorId, CancellationToken cancellationToken)
    {
        var visitor = await directory.GetVisitorAsync(visitorId, cancellationToken);
        if (visitor?.ContextJson is not { Length: > 0 } json)
        {
            return null;
        }
        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("locale", out var locale)
                && locale.ValueKind == JsonValueKind.String
                    ? locale.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
