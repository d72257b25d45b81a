using Kefu.Core.Bots;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Bots;

/// <summary>
/// Closes bot-served conversations the visitor left (no question for <c>Kefu:Bot:IdleCloseMinutes</c>): closed
/// without a handoff, they count as resolved by the bot. Every node sweeps; closing twice is harmless.
/// </summary>
internal sealed class BotIdleCloser(
    IBotFlowStore store, IConversationStore conversations, IOptions<BotOptions> options, TimeProvider time, ILogger<BotIdleCloser> logger) : BackgroundService
{
    private const int Batch = 200;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var idle = TimeSpan.FromMinutes(options.Value.IdleCloseMinutes);
        if (idle <= TimeSpan.Zero)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(idle.TotalSeconds / 4, 0.5, 60)), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await SweepAsync(idle, stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                BotFlowLog.SweepFailed(logger, ex);
            }
        }
    }

    private async Task SweepAsync(TimeSpan idle, CancellationToken cancellationToken)
    {
        foreach (var id in await store.ListIdleAsync(time.GetUtcNow() - idle, Batch, cancellationToken))
        {
            var conversation = await conversations.GetConversationAsync(id, cancellationToken);
            if (conversation?.Status == ConversationStatuses.Bot)
            {
                await conversations.CloseAsync(id, SenderTypes.System, SenderTypes.System, null, cancellationToken);
                BotFlowLog.ClosedIdle(logger, id);
            }
            await store.EndSessionAsync(id, cancellationToken);
        }
    }
}
