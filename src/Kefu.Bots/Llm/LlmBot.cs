using System.Text;
using Kefu.Bots.Faq;
using Kefu.Core.Bots;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace Kefu.Bots.Llm;

/// <summary>
/// Answers with a language model grounded on the FAQ entries retrieved for the question. A timeout
/// and a circuit breaker keep a slow or failing model from delaying the chain: while the circuit is
/// open the bot returns nothing at once, so FAQ suggestions and handoff still work. The model is
/// told to reply <see cref="NoAnswer"/> when the entries do not cover the question.
/// </summary>
public sealed partial class LlmBot : IBot
{
    public const string NoAnswer = "NO_ANSWER";

    private readonly IChatClient _client;
    private readonly FaqIndex _index;
    private readonly LlmOptions _options;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;

    public LlmBot(IChatClient client, FaqIndex index, LlmOptions options, TimeProvider time, ILogger<LlmBot> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _client = client;
        _index = index;
        _options = options;
        _logger = logger;
        _pipeline = new ResiliencePipelineBuilder { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.FailureRatio,
                MinimumThroughput = options.MinimumThroughput,
                SamplingDuration = options.SamplingDuration,
                BreakDuration = options.BreakDuration,
            })
            .AddTimeout(options.Timeout)
            .Build();
    }

    public string Name => "llm";

    public async ValueTask<BotReply?> AnswerAsync(BotContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var grounding = _index.Search(context.SiteId, context.Question, _options.GroundingEntries);
        if (grounding.Matches.Count == 0)
        {
            // Nothing to ground on: an ungrounded answer is exactly what this bot must not give.
            return null;
        }
        var messages = BuildMessages(context, grounding.Matches);
        var chatOptions = new ChatOptions { Temperature = 0.1f, MaxOutputTokens = _options.MaxOutputTokens };
        try
        {
            var response = await _pipeline.ExecuteAsync(
                async token => await _client.GetResponseAsync(messages, chatOptions, token),
                cancellationToken);
            var text = response.Text.Trim();
            if (text.Length == 0 || text.Contains(NoAnswer, StringComparison.Ordinal))
            {
                LogNotCovered(_logger, grounding.Matches.Count);
                return null;
            }
            return BotReply.FromText(text, _options.Confidence) with { SourceId = "llm:" + grounding.Matches[0].Entry.Id };
        }
        catch (BrokenCircuitException)
        {
            LogCircuitOpen(_logger);
            return null;
        }
        catch (TimeoutRejectedException)
        {
            LogTimedOut(_logger, _options.Timeout.TotalMilliseconds);
            return null;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogFailed(_logger, ex.GetType().Name, ex);
            return null;
        }
    }

    public ValueTask TrainAsync(IReadOnlyList<TrainingPair> pairs, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    private List<ChatMessage> BuildMessages(BotContext context, IReadOnlyList<FaqMatch> entries)
    {
        var system = new StringBuilder()
            .Append("You are the customer-service assistant of ").Append(_options.BrandName).AppendLine(".")
            .AppendLine("Answer the visitor's last question using ONLY the FAQ entries below, briefly, in the visitor's language.")
            .AppendLine("Do not invent policies, prices, dates or links that the entries do not state.")
            .Append("If the entries do not cover the question, reply with exactly ").Append(NoAnswer).AppendLine(" and nothing else.")
            .AppendLine()
            .AppendLine("FAQ entries:");
        for (var i = 0; i < entries.Count; i++)
        {
            system.Append('[').Append(i + 1).Append("] Q: ").AppendLine(entries[i].Entry.Question)
                .Append("    A: ").AppendLine(entries[i].Entry.Answer);
        }
        var messages = new List<ChatMessage> { new(ChatRole.System, system.ToString()) };
        // A little history resolves "and how long does that take?"; more only costs tokens.
        foreach (var turn in context.History.TakeLast(6))
        {
            var role = turn.SenderType == "visitor" ? ChatRole.User : ChatRole.Assistant;
            messages.Add(new ChatMessage(role, turn.Text));
        }
        messages.Add(new ChatMessage(ChatRole.User, context.Question));
        return messages;
    }

    [LoggerMessage(EventId = 7201, Level = LogLevel.Warning, Message = "Bot LLM did not answer within {TimeoutMs} ms")]
    private static partial void LogTimedOut(ILogger logger, double timeoutMs);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Debug, Message = "Bot LLM circuit is open; skipping the model")]
    private static partial void LogCircuitOpen(ILogger logger);

    [LoggerMessage(EventId = 7203, Level = LogLevel.Warning, Message = "Bot LLM call failed ({ExceptionType})")]
    private static partial void LogFailed(ILogger logger, string exceptionType, Exception exception);

    [LoggerMessage(EventId = 7204, Level = LogLevel.Debug, Message = "Bot LLM found the {Count} FAQ entries do not cover the question")]
    private static partial void LogNotCovered(ILogger logger, int count);
}
