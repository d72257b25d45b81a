using Kefu.Core.Bots;
using Microsoft.Extensions.Logging;

namespace Kefu.Bots.Chain;

/// <summary>
/// Runs bots in order; the first reply at or above the confidence threshold wins (a handoff request
/// included). A bot that throws or overruns its time budget is skipped and logged, never awaited
/// further: each bot runs on the thread pool, so even one that blocks its caller cannot hold the
/// chain. When no bot is confident, the best quick-replies reply above the suggestion threshold is
/// offered as suggestions. Thread-safe.
/// </summary>
public sealed class BotChain
{
    private readonly IReadOnlyList<IBot> _bots;
    private readonly BotChainOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public BotChain(IEnumerable<IBot> bots, BotChainOptions options, TimeProvider time, ILogger<BotChain> logger)
    {
        ArgumentNullException.ThrowIfNull(bots);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _bots = [.. bots];
        _options = options;
        _time = time;
        _logger = logger;
    }

    public IReadOnlyList<IBot> Bots => _bots;

    public async Task<BotChainResult> AnswerAsync(BotContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        BotReply? suggestion = null;
        string? suggestionBot = null;
        foreach (var bot in _bots)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var reply = await RunAsync(bot, context, cancellationToken);
            if (reply is null)
            {
                continue;
            }
            if (reply.Confidence >= _options.ConfidenceThreshold)
            {
                var outcome = reply.Handoff ? BotOutcome.Handoff : BotOutcome.Answered;
                BotChainLog.BotAnswered(_logger, bot.Name, reply.Confidence, outcome);
                return new BotChainResult(outcome, reply, bot.Name);
            }
            if (reply.Kind == BotReplyKind.QuickReplies && reply.Options.Count > 0
                && reply.Confidence >= _options.SuggestionThreshold
                && (suggestion is null || reply.Confidence > suggestion.Confidence))
            {
                suggestion = reply;
                suggestionBot = bot.Name;
            }
        }
        return suggestion is null ? BotChainResult.Unknown : new BotChainResult(BotOutcome.Suggested, suggestion, suggestionBot);
    }

    /// <summary>Trains every bot; one that fails is logged and the others still train.</summary>
    public async Task TrainAsync(IReadOnlyList<TrainingPair> pairs, CancellationToken cancellationToken)
    {
        foreach (var bot in _bots)
        {
            try
            {
                await bot.TrainAsync(pairs, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                BotChainLog.BotFailed(_logger, bot.Name, ex.GetType().Name, ex);
            }
        }
    }

    private async Task<BotReply?> RunAsync(IBot bot, BotContext context, CancellationToken cancellationToken)
    {
        var timeout = _options.TimeoutFor(bot.Name);
        using var deadline = new CancellationTokenSource(timeout, _time);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var task = Task.Run(() => bot.AnswerAsync(context, budget.Token).AsTask(), CancellationToken.None);
        try
        {
            return await task.WaitAsync(timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            BotChainLog.BotTimedOut(_logger, bot.Name, timeout.TotalMilliseconds);
            Observe(task, bot.Name);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The bot honoured its budget's cancellation: that is a timeout too.
            BotChainLog.BotTimedOut(_logger, bot.Name, timeout.TotalMilliseconds);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            BotChainLog.BotFailed(_logger, bot.Name, ex.GetType().Name, ex);
            return null;
        }
    }

    /// <summary>A skipped bot may still fault later; observe it so the failure is logged, not lost.</summary>
    private void Observe(Task task, string botName) =>
        _ = task.ContinueWith(
            t => BotChainLog.AbandonedBotFaulted(_logger, botName, t.Exception!.GetBaseException().GetType().Name),
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
