using Kefu.Bots.Faq;

namespace Kefu.Server.Bots;

/// <summary>Loads the FAQ index from the store before the server listens (after first run has migrated it).</summary>
internal sealed partial class BotStartup(FaqCatalog catalog, ILogger<BotStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var count = await catalog.LoadAsync(cancellationToken);
        LogLoaded(logger, count);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Bot knowledge base loaded: {Count} FAQ entries")]
    private static partial void LogLoaded(ILogger logger, int count);
}
