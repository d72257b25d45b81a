using Kefu.Bots.Faq;

namespace Kefu.Server.Bots;

/// <summary>Loads the FAQ index and the rules from the store before the server listens (after first run has migrated it).</summary>
internal sealed partial class BotStartup(FaqCatalog catalog, BotRules rules, ILogger<BotStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var count = await catalog.LoadAsync(cancellationToken);
        await rules.EnsureFreshAsync(cancellationToken);
        LogLoaded(logger, count, rules.Set.Rules.Count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Bot loaded: {Count} FAQ entries, {Rules} rules")]
    private static partial void LogLoaded(ILogger logger, int count, int rules);
}
