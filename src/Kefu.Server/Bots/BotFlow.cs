using Kefu.Bots.Chain;
using Kefu.Bots.Faq;
using Kefu.Bots.Learning;
using Kefu.Core.Bots;
using Kefu.Core.Protocol;
using Kefu.Core.Storage;
using Kefu.Server.Auth;
using Kefu.Server.Routing;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Bots;

/// <summary>
/// The bot's side of a conversation, off the send path: the node that committed a visitor's message answers it
/// (so each message is answered once), one turn at a time per conversation, conversations in parallel. A
/// request for a human is also handled on its own, so it never waits behind a slow turn. Handoff moves the
/// conversation to the routing queue with the team and skills chosen at entry.
/// </summary>
internal sealed class BotFlow(
    IConversationStore conversations,
    IBotFlowStore store,
    BotEngine engine,
    BotRules rules,
    FaqCatalog faq,
    BotSiteConfig config,
    BotAgents agents,
    LearningLoop learning,
    RoutingSignals routing,
    IOptions<BotOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<BotFlow> logger)
{
    private const int HandOverBatch = 100;
    private readonly ConversationLanes _lanes = new();
    private readonly NotBotConversations _notServed = new();
    private readonly NotBotConversations _withoutSession = new();

    /// <summary>A conversation started in <c>bot</c> status: records its session (mode, team and skills chosen at entry).</summary>
    public void Started(Conversation conversation, BotMode mode, RoutingHint hint)
    {
        ArgumentNullException.ThrowIfNull(conversation);
        ArgumentNullException.ThrowIfNull(hint);
        Run(conversation.Id, async ct =>
        {
            await store.StartSessionAsync(
                new BotSession(conversation.Id, conversation.TenantId, conversation.SiteId, conversation.TeamId, mode, hint.Skills, hint.Priority, conversation.CreatedAt),
                ct);
            if (mode == BotMode.BotWhenNoAgent && await agents.AnyAvailableAsync(conversation.TenantId, conversation.TeamId, ct))
            {
                await HandOffAsync(conversation, "agentAvailable", ct);
            }
        });
    }

    /// <summary>A message was committed on this node. Never blocks: the bot's work runs after the sender's ack.</summary>
    public void Sent(Caller caller, StoredMessage message)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(message);
        if (caller.IsVisitor)
        {
            if (_notServed.Contains(message.ConversationId))
            {
                return;
            }
            Run(message.ConversationId, ct => AnswerAsync(message, ct));
            _ = Detached(message.ConversationId, ct => HandOffIfAskedAsync(message, ct));
        }
        else if (message.Kind == MessageKinds.Text && !string.IsNullOrWhiteSpace(message.Text) && !_withoutSession.Contains(message.ConversationId))
        {
            Run(message.ConversationId, ct => LearnAsync(message, ct));
        }
    }

    /// <summary>An agent of these teams became available: conversations the bot serves only while nobody is there go to the queue.</summary>
    public void AgentAvailable(IReadOnlyList<string> teamIds)
    {
        ArgumentNullException.ThrowIfNull(teamIds);
        foreach (var teamId in teamIds)
        {
            _ = Detached(teamId, async ct =>
            {
                foreach (var id in await store.ListWaitingForAgentAsync(teamId, HandOverBatch, ct))
                {
                    Run(id, async token =>
                    {
                        var conversation = await conversations.GetConversationAsync(id, token);
                        if (conversation?.Status == ConversationStatuses.Bot)
                        {
                            await HandOffAsync(conversation, "agentAvailable", token);
                        }
                        else if (conversation is not null)
                        {
                            await store.EndSessionAsync(id, token);
                        }
                    });
                }
            });
        }
    }

    private async Task AnswerAsync(StoredMessage question, CancellationToken cancellationToken)
    {
        var conversation = await conversations.GetConversationAsync(question.ConversationId, cancellationToken);
        if (conversation?.Status is ConversationStatuses.Queued or ConversationStatuses.Open)
        {
            // With people (started there or handed off): it never returns to the bot. A closed one may (reopened).
            _notServed.Add(conversation.Id);
        }
        if (conversation?.Status != ConversationStatuses.Bot || question.Kind != MessageKinds.Text || string.IsNullOrWhiteSpace(question.Text)
            || BotMessages.IsLeftMessage(question.MetaJson) || BotMessages.IsHandoffPick(question.MetaJson))
        {
            return;
        }
        var session = await store.GetSessionAsync(conversation.Id, cancellationToken);
        var settings = await config.GetAsync(conversation.SiteId, cancellationToken);
        await rules.EnsureFreshAsync(cancellationToken);
        await faq.EnsureFreshAsync(conversation.SiteId, cancellationToken);
        var earlier = options.Value.HistoryMessages == 0
            ? []
            : await conversations.ReadBeforeAsync(conversation.Id, question.Seq, options.Value.HistoryMessages, cancellationToken);
        var history = earlier.Where(m => m.Text is not null && m.Kind != MessageKinds.Event).Select(m => new BotTurn(m.SenderType, m.Text!)).ToList();
        var context = new BotContext(
            conversation.TenantId, conversation.SiteId, conversation.VisitorId, question.SenderName, history, question.Text, session?.TeamId ?? conversation.TeamId, conversation.Id);

        var result = await engine.Chain.AnswerAsync(context, cancellationToken);
        if (result.Outcome == BotOutcome.Handoff)
        {
            // The request was seen on its own path already (HandOffIfAskedAsync), which answers it.
            return;
        }
        var decision = BotEngine.PolicyFor(settings).Next(session?.FailuresInARow ?? 0, result.Outcome);
        var english = BotTexts.IsEnglish(question.Text);
        var name = settings.BotName ?? BotTexts.BotName(english);
        var key = BotMessages.ReplyKey(question);
        var reply = result.Reply is { } r
            ? BotMessages.From(conversation.Id, key, name, r)
            : decision.Handoff
                ? BotMessages.Text(conversation.Id, key, name, BotTexts.GivingUp(english))
                : BotMessages.WithOptions(conversation.Id, key, name, BotTexts.Unknown(english), [new QuickReplyOption(BotTexts.HandoffButtonLabel(english), BotTexts.HandoffButtonValue(english), QuickReplyPayload.Handoff)]);

        // A handoff meanwhile (a request on its own path, another node) makes this turn moot.
        if ((await conversations.GetConversationAsync(conversation.Id, cancellationToken))?.Status != ConversationStatuses.Bot)
        {
            return;
        }
        await conversations.AppendAsync(reply, cancellationToken);
        if (result.Outcome is BotOutcome.Unknown or BotOutcome.Suggested)
        {
            await learning.RecordUnansweredAsync(context, cancellationToken);
        }
        await store.RecordTurnAsync(conversation.Id, result.Outcome == BotOutcome.Answered, decision.FailuresInARow, cancellationToken);
        if (decision.Handoff)
        {
            await HandOffAsync(conversation, "failures", cancellationToken);
        }
    }

    /// <summary>
    /// A request for a person (in words, or the bot's quick-reply button, known by its payload and also sent as
    /// words for clients that send no payload), or the leave-a-message form: handed over at once, whatever the bot
    /// is still busy with.
    /// </summary>
    private async Task HandOffIfAskedAsync(StoredMessage message, CancellationToken cancellationToken)
    {
        if (BotMessages.IsLeftMessage(message.MetaJson))
        {
            if (await conversations.GetConversationAsync(message.ConversationId, cancellationToken) is { Status: ConversationStatuses.Bot } left)
            {
                await HandOffAsync(left, "leaveMessage", cancellationToken);
            }
            return;
        }
        if (message.Kind != MessageKinds.Text || string.IsNullOrWhiteSpace(message.Text))
        {
            return;
        }
        var picked = BotMessages.IsHandoffPick(message.MetaJson);
        var reply = picked ? null : await engine.Handoff.AnswerAsync(new BotContext("", "", message.SenderId, null, [], message.Text), cancellationToken);
        if (!picked && reply is null)
        {
            return;
        }
        var conversation = await conversations.GetConversationAsync(message.ConversationId, cancellationToken);
        if (conversation?.Status != ConversationStatuses.Bot)
        {
            return;
        }
        var settings = await config.GetAsync(conversation.SiteId, cancellationToken);
        var english = BotTexts.IsEnglish(message.Text);
        var text = reply?.Text ?? engine.HandoffText(english);
        await conversations.AppendAsync(BotMessages.Text(conversation.Id, BotMessages.ReplyKey(message), settings.BotName ?? BotTexts.BotName(english), text), cancellationToken);
        await HandOffAsync(conversation, "request", cancellationToken);
    }

    private async Task LearnAsync(StoredMessage agentReply, CancellationToken cancellationToken)
    {
        // Only conversations the bot served have questions to learn from; others cost one read.
        if (await store.GetSessionAsync(agentReply.ConversationId, cancellationToken) is null)
        {
            _withoutSession.Add(agentReply.ConversationId);
            return;
        }
        await learning.OnAgentReplyAsync(agentReply.ConversationId, agentReply.Text!, cancellationToken);
    }

    private async Task HandOffAsync(Conversation conversation, string reason, CancellationToken cancellationToken)
    {
        var session = await store.GetSessionAsync(conversation.Id, cancellationToken);
        // Routing takes the hint with the committed change, on this node. It is not taken back when another path
        // handed off first: that path's hint is the same, and the router may not have taken it yet.
        // Like a conversation that starts with people, the visitor hears when nobody can answer now; the visitor who
        // left a message has just been told.
        routing.SetHint(conversation.VisitorId, new RoutingHint(session?.Skills ?? [], session?.Priority ?? 0, null, Announce: reason != "leaveMessage"));
        if (await store.HandOffAsync(conversation.Id, reason, cancellationToken) is not null)
        {
            BotFlowLog.HandedOff(logger, conversation.Id, reason);
        }
    }

    private void Run(string conversationId, Func<CancellationToken, Task> work) =>
        _lanes.Run(conversationId, () => Guarded(conversationId, work));

    private Task Detached(string key, Func<CancellationToken, Task> work) => Task.Run(() => Guarded(key, work));

    private async Task Guarded(string key, Func<CancellationToken, Task> work)
    {
        var stopping = lifetime.ApplicationStopping;
        try
        {
            await work(stopping);
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutting down: the visitor's message is stored; the bot simply does not answer it.
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            BotFlowLog.StepFailed(logger, key, ex);
        }
    }
}
