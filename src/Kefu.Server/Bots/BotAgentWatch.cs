using Kefu.Core.Bots;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Bots;

/// <summary>
/// Hands <c>botWhenNoAgent</c> conversations over when an agent of their team is online on this node, whichever node
/// started them. A node knows only the agents connected to it, so the node that started a conversation may have
/// given it to the bot while an agent was online elsewhere; that agent's node finds it here within
/// <c>Kefu:Bot:AgentCheckSeconds</c>. Agent changes on this node hand over at once (<see cref="BotFlow.AgentAvailable"/>).
/// </summary>
internal sealed class BotAgentWatch(
    IBotFlowStore store, BotAgents agents, BotFlow flow, IOptions<BotOptions> options, TimeProvider time, ILogger<BotAgentWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = options.Value.AgentCheckSeconds;
        if (period <= 0)
        {
            return;
        }
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(period), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException and not OutOfMemoryException)
            {
                BotFlowLog.SweepFailed(logger, ex);
            }
        }
    }

    private async Task CheckAsync(CancellationToken cancellationToken)
    {
        var staffed = new List<string>();
        foreach (var waiting in await store.ListWaitingTeamsAsync(cancellationToken))
        {
            if (await agents.AnyAvailableAsync(waiting.TenantId, waiting.TeamId, cancellationToken))
            {
                staffed.Add(waiting.TeamId);
            }
        }
        if (staffed.Count > 0)
        {
            flow.AgentAvailable(staffed);
        }
    }
}
