using Kefu.Bots.Chain;
using Kefu.Bots.Faq;
using Kefu.Bots.Handoff;
using Kefu.Bots.Llm;
using Kefu.Bots.Rules;
using Kefu.Core.Bots;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Bots;

/// <summary>
/// The bot chain the server runs: handoff requests first, then the admin's rules, the FAQ, and the language
/// model when one is configured. Owns the model's client.
/// </summary>
internal sealed class BotEngine : IDisposable
{
    private readonly IChatClient? _chatClient;
    private readonly HandoffBotOptions _handoffOptions = new();

    public BotEngine(IOptions<BotOptions> options, BotRules rules, FaqCatalog catalog, TimeProvider time, ILoggerFactory loggerFactory)
    {
        var o = options.Value;
        var llm = new LlmOptions
        {
            BaseUrl = o.Llm.BaseUrl,
            Model = o.Llm.Model,
            ApiKey = o.Llm.ApiKey,
            Timeout = TimeSpan.FromSeconds(o.Llm.TimeoutSeconds),
            BrandName = o.Llm.BrandName,
        };
        Handoff = new HandoffBot(_handoffOptions);
        var bots = new List<IBot> { Handoff, new RuleBot(rules.Set, loggerFactory.CreateLogger<RuleBot>()), new FaqBot(catalog, time) };
        if (llm.IsConfigured)
        {
            _chatClient = LlmChatClientFactory.Create(llm);
            bots.Add(new LlmBot(_chatClient, catalog.Index, llm, time, loggerFactory.CreateLogger<LlmBot>()));
        }
        Chain = new BotChain(
            bots,
            new BotChainOptions
            {
                PerBotTimeout = TimeSpan.FromSeconds(o.BotTimeoutSeconds),
                // The model has its own timeout; the chain's is the backstop a little after it.
                Timeouts = new Dictionary<string, TimeSpan> { ["llm"] = llm.Timeout + TimeSpan.FromSeconds(1) },
            },
            time,
            loggerFactory.CreateLogger<BotChain>());
    }

    public BotChain Chain { get; }

    /// <summary>The first bot of the chain, also asked on its own so a request for a human never waits behind a slow turn.</summary>
    public HandoffBot Handoff { get; }

    /// <summary>What the bot says when it hands over on request.</summary>
    public string HandoffText(bool english) => english ? _handoffOptions.ReplyEnglish : _handoffOptions.ReplyChinese;

    public bool HasLanguageModel => _chatClient is not null;

    public static HandoffPolicy PolicyFor(BotSiteSettings settings) =>
        new(new HandoffPolicyOptions { MaxFailuresInARow = settings.FailuresBeforeHandoff });

    public void Dispose() => _chatClient?.Dispose();
}
