using Kefu.Core.Bots;
using Kefu.Storage.Postgres.Bots;

namespace Kefu.Storage.Postgres;

public sealed partial class PostgresStore
{
    private IFaqStore? _faq;
    private ILearningStore? _learning;
    private IBotFlowStore? _botFlow;

    /// <summary>The bot's FAQ entries on this store.</summary>
    public IFaqStore Faq => _faq ??= new PostgresFaqStore(_reader, _time);

    /// <summary>The bot's learning loop (unanswered questions, suggestions) on this store.</summary>
    public ILearningStore Learning => _learning ??= new PostgresLearningStore(_reader);

    /// <summary>The bot's settings, rules and sessions on this store.</summary>
    public IBotFlowStore BotFlow => _botFlow ??= new PostgresBotFlowStore(_writer, _reader, _time);
}
