using Kefu.Bots.Faq;
using Kefu.Core.Bots;

namespace Kefu.Server.Bots;

/// <summary>A site's effective bot settings: what the admin saved, or the defaults.</summary>
internal sealed class BotSiteConfig(IBotFlowStore store, BotRules rules, FaqCatalog faq, BotEngine engine, TimeProvider time)
{
    public const int DefaultFailuresBeforeHandoff = 3;

    public async Task<BotSiteSettings> GetAsync(string siteId, CancellationToken cancellationToken) =>
        await store.GetSettingsAsync(siteId, cancellationToken)
        ?? new BotSiteSettings(siteId, null, null, DefaultFailuresBeforeHandoff, null, time.GetUtcNow());

    /// <summary>The saved mode, or automatic: bot first when the site has a rule, an FAQ entry or the server a language model.</summary>
    public async Task<BotMode> ModeOfAsync(BotSiteSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Mode is { } mode)
        {
            return mode;
        }
        await rules.EnsureFreshAsync(cancellationToken);
        await faq.EnsureFreshAsync(settings.SiteId, cancellationToken);
        return engine.HasLanguageModel || rules.HasRulesFor(settings.SiteId) || faq.Index.HasEntries(settings.SiteId)
            ? BotMode.BotFirst
            : BotMode.HumanFirst;
    }
}
